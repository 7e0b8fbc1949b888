import { ModelIncompleteError } from '../errors';
import type { Components, MessageDef, TypeDef } from '../model/dsl';

/**
 * One message with exactly the types reachable from its global element: the
 * input of every generator (XSD, JSON Schema, codec rules).
 */
export interface MessageSchema {
  /** `pacs.008.001.08` */
  readonly id: string;
  readonly namespace: string;
  /** Global element: `Document`, or `AppHdr` for the business application header. */
  readonly rootElement: string;
  readonly rootType: string;
  /** Reachable types by name, in a stable (alphabetical) order. */
  readonly types: ReadonlyMap<string, TypeDef>;
}

/** Names of the types a type refers to directly. */
export function referencedTypes(def: TypeDef): string[] {
  switch (def.kind) {
    case 'sequence':
    case 'choice':
      return def.elements.map((element) => element.type);
    case 'valueWithAttributes':
      return [def.base, ...def.attributes.map((attribute) => attribute.type)];
    case 'wildcard':
    case 'simple':
      return [];
  }
}

/**
 * Collects the types reachable from a message's root type. Message-local types
 * (its `Document`) win over shared components of the same name.
 *
 * @throws ModelIncompleteError naming every referenced type that has no definition.
 */
export function resolveMessage(message: MessageDef, components: Components): MessageSchema {
  const found = new Map<string, TypeDef>();
  const missing = new Set<string>();
  const pending = [message.rootType];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (found.has(name) || missing.has(name)) continue;
    const def = Object.hasOwn(message.localTypes, name) ? message.localTypes[name] : Object.hasOwn(components, name) ? components[name] : undefined;
    if (!def) {
      missing.add(name);
      continue;
    }
    found.set(name, def);
    pending.push(...referencedTypes(def));
  }
  if (missing.size > 0) throw new ModelIncompleteError(message.id, [...missing].sort());
  const types = new Map([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { id: message.id, namespace: message.namespace, rootElement: message.rootElement, rootType: message.rootType, types };
}

/** The definition of `name` in `schema`; the schema is closed, so a miss is a programming error. */
export function typeOf(schema: MessageSchema, name: string): TypeDef {
  const def = schema.types.get(name);
  if (!def) throw new Error(`${schema.id}: type ${name} is not part of the message`);
  return def;
}

/** The primitive base of a simple or value-with-attributes type. */
export function primitiveOf(schema: MessageSchema, name: string): string {
  const def = typeOf(schema, name);
  if (def.kind === 'simple') return def.base;
  if (def.kind === 'valueWithAttributes') return primitiveOf(schema, def.base);
  throw new Error(`${schema.id}: type ${name} has no simple value`);
}
