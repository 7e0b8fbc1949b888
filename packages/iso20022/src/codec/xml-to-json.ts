import { XMLParser } from 'fast-xml-parser';
import type { CodecRules } from '../schema/codec-rules';

/** A message in its JSON form: every value a string, repeating elements arrays, attributes beside `value`. */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | JsonObject | JsonValue[];

const parsers = new Map<string, XMLParser>();

/**
 * A fast-xml-parser configured for the JSON form: no number or boolean
 * parsing, namespace prefixes dropped (the namespace was checked during
 * detection), and elements with wildcard content kept as raw XML text.
 */
export function parserFor(rawElements: Iterable<string>): XMLParser {
  const names = [...new Set(rawElements)].sort();
  const key = names.join(',');
  let parser = parsers.get(key);
  if (!parser) {
    parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: true,
      // Character references (&#65;) are decoded by this option; named HTML
      // entities cannot reach here because libxml2 has already refused them.
      htmlEntities: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      stopNodes: names.map((name) => `*.${name}`),
    });
    parsers.set(key, parser);
  }
  return parser;
}

type Raw = unknown;

const isRecord = (value: Raw): value is Record<string, Raw> => typeof value === 'object' && value !== null && !Array.isArray(value);

function textOf(raw: Raw): string {
  if (typeof raw === 'string') return raw;
  if (isRecord(raw)) {
    const text = raw['#text'];
    return text === undefined ? '' : String(text);
  }
  return raw === undefined || raw === null ? '' : String(raw);
}

function read(rules: CodecRules, typeName: string, raw: Raw): JsonValue {
  const rule = rules.types.get(typeName);
  if (!rule) throw new Error(`${rules.messageId}: no codec rule for type ${typeName}`);
  switch (rule.kind) {
    case 'simple':
      return textOf(raw);
    case 'wildcard':
      return textOf(raw).trim();
    case 'value': {
      const value: JsonObject = { value: textOf(raw) };
      for (const attribute of rule.attributes) {
        const found = isRecord(raw) ? raw[`@_${attribute.name}`] : undefined;
        if (found !== undefined) value[attribute.name] = String(found);
      }
      return value;
    }
    case 'complex': {
      const source = isRecord(raw) ? raw : {};
      const result: JsonObject = {};
      // Model order, not input order: the JSON form's key order is the schema's.
      for (const element of rule.elements) {
        const found = source[element.name];
        if (found === undefined) continue;
        if (element.repeats) {
          result[element.name] = (Array.isArray(found) ? found : [found]).map((item) => read(rules, element.type, item));
        } else {
          result[element.name] = read(rules, element.type, Array.isArray(found) ? found[0] : found);
        }
      }
      return result;
    }
  }
}

/**
 * Shapes the parsed content of a message's global element (`Document` or
 * `AppHdr`) by its codec rules.
 */
export function shapeGlobalElement(rules: CodecRules, raw: Raw): JsonObject {
  return read(rules, rules.rootType, raw) as JsonObject;
}
