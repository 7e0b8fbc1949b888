import type { PrimitiveBase } from '../model/dsl';
import { primitiveOf, type MessageSchema } from './message-schema';

/** How one child element is read and written. */
export interface ElementRule {
  readonly name: string;
  readonly type: string;
  /** maxOccurs > 1: always an array in the JSON form. */
  readonly repeats: boolean;
  readonly required: boolean;
}

/** How the content of one type is read and written. */
export type TypeRule =
  | { readonly kind: 'complex'; readonly choice: boolean; readonly elements: readonly ElementRule[]; readonly byName: ReadonlyMap<string, ElementRule> }
  | { readonly kind: 'value'; readonly base: PrimitiveBase; readonly attributes: readonly { readonly name: string; readonly required: boolean }[] }
  | { readonly kind: 'simple'; readonly base: PrimitiveBase }
  | { readonly kind: 'wildcard' };

/** The XML↔JSON rules of one message, derived from its model. */
export interface CodecRules {
  readonly messageId: string;
  readonly namespace: string;
  readonly rootElement: string;
  readonly rootType: string;
  readonly types: ReadonlyMap<string, TypeRule>;
  /** Names of elements whose content is kept as raw XML (wildcards such as `Envlp`, `Sgntr`). */
  readonly rawElements: ReadonlySet<string>;
}

/**
 * Derives the codec rules: element order per type, which elements repeat,
 * attributes, value types, and the elements holding raw XML.
 * An element name may hold wildcard content in one type and structured
 * content in another (`Sgntr` in pain.013): it is a raw element, and the
 * reader parses the structured occurrences again.
 */
export function generateCodecRules(schema: MessageSchema): CodecRules {
  const types = new Map<string, TypeRule>();
  const rawElements = new Set<string>();
  for (const [name, def] of schema.types) {
    switch (def.kind) {
      case 'sequence':
      case 'choice': {
        const elements = def.elements.map((element) => ({
          name: element.name,
          type: element.type,
          repeats: element.maxOccurs === 'unbounded' || element.maxOccurs > 1,
          required: element.minOccurs > 0,
        }));
        for (const element of def.elements) if (schema.types.get(element.type)?.kind === 'wildcard') rawElements.add(element.name);
        types.set(name, { kind: 'complex', choice: def.kind === 'choice', elements, byName: new Map(elements.map((element) => [element.name, element])) });
        break;
      }
      case 'valueWithAttributes':
        types.set(name, { kind: 'value', base: primitiveOf(schema, def.base) as PrimitiveBase, attributes: def.attributes.map(({ name: attribute, required }) => ({ name: attribute, required })) });
        break;
      case 'simple':
        types.set(name, { kind: 'simple', base: def.base });
        break;
      case 'wildcard':
        types.set(name, { kind: 'wildcard' });
        break;
    }
  }
  return { messageId: schema.id, namespace: schema.namespace, rootElement: schema.rootElement, rootType: schema.rootType, types, rawElements };
}

/** For each type, the names of its elements that repeat (and so are always arrays in JSON). */
export function repeatingElements(rules: CodecRules): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, rule] of rules.types) {
    if (rule.kind !== 'complex') continue;
    const repeating = rule.elements.filter((element) => element.repeats).map((element) => element.name);
    if (repeating.length > 0) result[name] = repeating;
  }
  return result;
}
