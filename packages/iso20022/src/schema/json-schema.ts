import { isGroup, type ElementDef, type GroupParticle, type Particle, type SimpleType, type TypeDef } from '../model/dsl';
import type { MessageSchema } from './message-schema';

/** A JSON Schema (draft 2020-12) document or subschema. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const timezone = '(?:Z|[+-][0-9]{2}:[0-9]{2})?';
const lexical: Record<string, string> = {
  date: `^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}${timezone}$`,
  dateTime: `^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?${timezone}$`,
  time: `^[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?${timezone}$`,
  gYear: `^-?[0-9]{4,}${timezone}$`,
  gYearMonth: `^-?[0-9]{4,}-[0-9]{2}${timezone}$`,
  gMonth: `^--[0-9]{2}${timezone}$`,
  gDay: `^---[0-9]{2}${timezone}$`,
  gMonthDay: `^--[0-9]{2}-[0-9]{2}${timezone}$`,
  duration: '^-?P(?=[0-9T])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\\.[0-9]+)?S)?)?$',
  base64Binary: '^[A-Za-z0-9+/=\\s]*$',
  hexBinary: '^(?:[0-9A-Fa-f]{2})*$',
  float: '^\\s*(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF|-INF|NaN)\\s*$',
  double: '^\\s*(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|INF|-INF|NaN)\\s*$',
};

// Built-in types derived from xs:string: their values are strings under the string facets.
const stringLike = new Set(['string', 'normalizedString', 'token', 'language', 'Name', 'NCName', 'NMTOKEN', 'ID', 'IDREF', 'QName', 'anyURI']);
// Built-in types derived from xs:integer: decimals without a fraction, signed as their range allows.
const integerSign: Readonly<Record<string, string>> = {
  integer: '[+-]?', long: '[+-]?', int: '[+-]?', short: '[+-]?', byte: '[+-]?',
  nonNegativeInteger: '\\+?', unsignedLong: '\\+?', unsignedInt: '\\+?', unsignedShort: '\\+?', unsignedByte: '\\+?',
  positiveInteger: '\\+?', nonPositiveInteger: '[+-]?', negativeInteger: '-',
};

// XML name characters for the XSD multi-character escapes \i and \c, as class ranges.
const nameStart = 'A-Za-z_:\\u00C0-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const nameRest = `${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;

/**
 * Translates an XSD regular expression into an ECMAScript one (unicode mode)
 * that matches the whole value. XSD patterns are implicitly anchored, treat
 * `^` and `$` as ordinary characters, allow `\-` outside a class and know
 * the \i and \c escapes; ECMAScript differs on each.
 */
export function xsdPatternToJs(xsdPattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < xsdPattern.length; i++) {
    const char = xsdPattern[i];
    if (char === '\\') {
      const next = xsdPattern[i + 1] ?? '';
      i++;
      if (next === 'i' || next === 'c' || next === 'I' || next === 'C') {
        const ranges = next.toLowerCase() === 'i' ? nameStart : nameRest;
        const negated = next === 'I' || next === 'C';
        out += inClass ? ranges : `[${negated ? '^' : ''}${ranges}]`;
      } else if (next === '-' && !inClass) {
        out += '-';
      } else {
        out += `\\${next}`;
      }
    } else if (char === '[' && !inClass) {
      inClass = true;
      out += char;
      if (xsdPattern[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else if (char === ']' && inClass) {
      inClass = false;
      out += char;
    } else if ((char === '$' || char === '^') && !inClass) {
      out += `\\${char}`;
    } else {
      out += char;
    }
  }
  return `^(?:${out})$`;
}

/**
 * Decimals stay strings in the JSON form, so their facets become a pattern:
 * at most `totalDigits` digits (counted with a lookahead), at most
 * `fractionDigits` after the point, and no minus sign when the minimum is not negative.
 */
function decimalPattern(def: SimpleType): string {
  const { totalDigits, fractionDigits, minInclusive } = def.facets;
  const sign = minInclusive !== undefined && !minInclusive.trim().startsWith('-') ? '\\+?' : '[+-]?';
  const digits = totalDigits === undefined ? '' : `(?=(?:[^0-9]*[0-9]){1,${totalDigits}}[^0-9]*$)`;
  if (fractionDigits === 0) return `^${digits}${sign}[0-9]+$`;
  const optional = fractionDigits === undefined ? '[0-9]*' : `[0-9]{0,${fractionDigits}}`;
  const required = fractionDigits === undefined ? '[0-9]+' : `[0-9]{1,${fractionDigits}}`;
  const shape = `${sign}(?:[0-9]+(?:\\.${optional})?|\\.${required})`;
  return `^${digits}${shape}$`;
}

function simpleSchema(def: SimpleType): JsonSchema {
  const { facets } = def;
  const integer = integerSign[def.base];
  if (integer !== undefined) return { type: 'string', pattern: `^\\s*${integer}[0-9]+\\s*$`, ...(facets.enumeration ? { enum: [...facets.enumeration] } : {}) };
  if (stringLike.has(def.base)) {
    const schema: Record<string, unknown> = { type: 'string' };
    if (facets.enumeration) schema.enum = [...facets.enumeration];
    if (facets.length !== undefined) {
      schema.minLength = facets.length;
      schema.maxLength = facets.length;
    }
    if (facets.minLength !== undefined) schema.minLength = facets.minLength;
    if (facets.maxLength !== undefined) schema.maxLength = facets.maxLength;
    if (facets.pattern !== undefined) schema.pattern = xsdPatternToJs(facets.pattern);
    return schema;
  }
  switch (def.base) {
    case 'decimal':
      return { type: 'string', pattern: decimalPattern(def) };
    case 'boolean':
      return { type: 'string', enum: ['true', 'false', '1', '0'] };
    default: {
      const pattern = lexical[def.base];
      const schema: Record<string, unknown> = pattern === undefined ? { type: 'string' } : { type: 'string', pattern };
      if (facets.enumeration) schema.enum = [...facets.enumeration];
      return schema;
    }
  }
}

const ref = (type: string): JsonSchema => ({ $ref: `#/$defs/${type}` });

function elementSchema(element: ElementDef): JsonSchema {
  if (element.maxOccurs === 1) return ref(element.type);
  const schema: Record<string, unknown> = { type: 'array', items: ref(element.type), minItems: element.minOccurs };
  if (element.maxOccurs !== 'unbounded') schema.maxItems = element.maxOccurs;
  return schema;
}

const elementsOf = (particle: Particle): string[] => (isGroup(particle) ? particle.particles.flatMap(elementsOf) : [particle.name]);

// Strict ajv wants every required property declared beside it; the type is the parent's.
const requires = (name: string): JsonSchema => ({ properties: { [name]: true }, required: [name] });

/** Holds when at least one element of the particle is present. */
const present = (particle: Particle): JsonSchema => {
  const names = elementsOf(particle);
  return names.length === 1 ? requires(names[0]) : { anyOf: names.map(requires) };
};

/**
 * The presence rules of nested groups, on the flat object of the JSON form: a
 * sequence needs its required particles, a choice exactly one branch, and an
 * optional particle is checked only when one of its elements is there.
 */
function particleConstraint(particle: Particle): JsonSchema {
  if (!isGroup(particle)) return particle.minOccurs > 0 ? requires(particle.name) : {};
  const inner = groupConstraint(particle);
  if (particle.minOccurs > 0) return inner;
  return Object.keys(inner).length === 0 ? {} : { anyOf: [{ not: present(particle) }, inner] };
}

function groupConstraint(group: GroupParticle): JsonSchema {
  const parts = group.particles.map(particleConstraint).filter((part) => Object.keys(part).length > 0);
  if (group.group === 'sequence') return parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { allOf: parts };
  const branches = group.particles.map((branch, index) => {
    const others = group.particles.filter((_, other) => other !== index);
    const conditions = [particleConstraint(branch), ...others.map((other) => ({ not: present(other) }))].filter((part) => Object.keys(part).length > 0);
    return conditions.length === 1 ? conditions[0] : { allOf: conditions };
  });
  return { anyOf: branches };
}

function typeSchema(def: TypeDef): JsonSchema {
  switch (def.kind) {
    case 'simple':
      return simpleSchema(def);
    case 'wildcard':
      // Wildcard content travels as the raw XML of the one element it holds.
      return { type: 'string', minLength: 1, description: 'raw XML of one element' };
    case 'valueWithAttributes':
      return {
        type: 'object',
        properties: { value: ref(def.base), ...Object.fromEntries(def.attributes.map((attribute) => [attribute.name, ref(attribute.type)])) },
        required: ['value', ...def.attributes.filter((attribute) => attribute.required).map((attribute) => attribute.name)],
        additionalProperties: false,
      };
    case 'sequence':
    case 'choice':
      if (def.particles) {
        return {
          type: 'object',
          properties: Object.fromEntries(def.elements.map((element) => [element.name, elementSchema(element)])),
          additionalProperties: false,
          ...groupConstraint({ group: def.kind, minOccurs: 1, maxOccurs: 1, particles: def.particles }),
        };
      }
      if (def.kind === 'choice') {
        return {
          type: 'object',
          properties: Object.fromEntries(def.elements.map((element) => [element.name, elementSchema(element)])),
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: false,
        };
      }
      return {
        type: 'object',
        properties: Object.fromEntries(def.elements.map((element) => [element.name, elementSchema(element)])),
        required: def.elements.filter((element) => element.minOccurs > 0).map((element) => element.name),
        additionalProperties: false,
      };
  }
}

/**
 * The JSON Schema (draft 2020-12) of a message's JSON form: the content of its
 * global element, e.g. `{ "FIToFICstmrCdtTrf": { … } }` for a pacs.008 Document.
 */
export function generateJsonSchema(schema: MessageSchema): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `${schema.id} ${schema.rootElement}`,
    $ref: `#/$defs/${schema.rootType}`,
    $defs: Object.fromEntries([...schema.types].map(([name, def]) => [name, typeSchema(def)])),
  };
}
