import { XMLParser } from 'fast-xml-parser';
import type { CodecRules } from '../schema/codec-rules';
import type { ScannedElement } from '../xml/guard';
import { rawElementScopes, selfContained } from './raw-xml';

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

type Scopes = ReadonlyMap<string, ReadonlyMap<string, string>>;

function read(rules: CodecRules, typeName: string, raw: Raw, path: string, scopes: Scopes): JsonValue {
  const rule = rules.types.get(typeName);
  if (!rule) throw new Error(`${rules.messageId}: no codec rule for type ${typeName}`);
  switch (rule.kind) {
    case 'simple':
      return textOf(raw);
    case 'wildcard': {
      const scope = scopes.get(path);
      const content = textOf(raw).trim();
      return scope ? selfContained(content, scope) : content;
    }
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
          result[element.name] = (Array.isArray(found) ? found : [found]).map((item, index) => read(rules, element.type, item, `${path}/${element.name}[${index}]`, scopes));
        } else {
          result[element.name] = read(rules, element.type, Array.isArray(found) ? found[0] : found, `${path}/${element.name}[0]`, scopes);
        }
      }
      return result;
    }
  }
}

/**
 * Shapes the parsed content of a message's global element (`Document` or
 * `AppHdr`) by its codec rules. `scanned` is the same element in the guard's
 * outline, which gives wildcard content its namespace context.
 */
export function shapeGlobalElement(rules: CodecRules, raw: Raw, scanned: ScannedElement): JsonObject {
  return read(rules, rules.rootType, raw, '', rawElementScopes(scanned, rules.rawElements)) as JsonObject;
}
