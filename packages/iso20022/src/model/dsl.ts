/**
 * The message model: one definition of every ISO 20022 message the project
 * supports, from which the XSDs, the JSON Schemas and the XML<->JSON rules are
 * generated. Components are written once and shared by all messages, since the
 * ISO 20022 repository versions each component by name.
 *
 * Authoring syntax for an element's type and multiplicity:
 *   'Max35Text'        exactly one           (minOccurs 1, maxOccurs 1)
 *   'Max35Text?'       optional              (0..1)
 *   'Max35Text*'       any number            (0..unbounded)
 *   'Max35Text+'       at least one          (1..unbounded)
 *   'Max35Text{0,3}'   bounded repetition    (0..3)
 */

export type MaxOccurs = number | 'unbounded';

export interface ElementDef {
  readonly name: string;
  readonly type: string;
  readonly minOccurs: number;
  readonly maxOccurs: MaxOccurs;
}

export interface Facets {
  readonly pattern?: string;
  readonly length?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly enumeration?: readonly string[];
  readonly totalDigits?: number;
  readonly fractionDigits?: number;
  readonly minInclusive?: string;
  readonly maxInclusive?: string;
  readonly minExclusive?: string;
  readonly maxExclusive?: string;
}

/**
 * The XML Schema built-in types a simple type may derive from, or an element
 * may use directly. The ISO 20022 messages use the first row; the rest are the
 * other built-ins a scheme's own XSD may use, carried through to the generated
 * XSD unchanged.
 */
export const primitiveBases = [
  'string', 'decimal', 'date', 'dateTime', 'time', 'gYear', 'boolean', 'base64Binary',
  'gYearMonth', 'gMonth', 'gDay', 'gMonthDay', 'duration', 'anyURI', 'hexBinary', 'float', 'double',
  'normalizedString', 'token', 'language', 'Name', 'NCName', 'NMTOKEN', 'ID', 'IDREF', 'QName',
  'integer', 'nonNegativeInteger', 'positiveInteger', 'nonPositiveInteger', 'negativeInteger',
  'long', 'int', 'short', 'byte', 'unsignedLong', 'unsignedInt', 'unsignedShort', 'unsignedByte',
] as const;
export type PrimitiveBase = (typeof primitiveBases)[number];

/**
 * A group nested in a complex type's content, as older ISO 20022 schemas write
 * them: `<xs:sequence><xs:element/><xs:choice>…</xs:choice></xs:sequence>`.
 */
export interface GroupParticle {
  readonly group: 'sequence' | 'choice';
  readonly minOccurs: number;
  readonly maxOccurs: MaxOccurs;
  readonly particles: readonly Particle[];
}
/** An element, or a nested group of particles. */
export type Particle = ElementDef | GroupParticle;

/** Whether a particle is a nested group rather than an element. */
export const isGroup = (particle: Particle): particle is GroupParticle => 'group' in particle;

/**
 * A complex type whose content is an ordered sequence of elements. When the
 * content nests groups, `particles` holds it as written and `elements` lists
 * its elements in document order (the JSON form has one key per element).
 */
export interface SequenceType {
  readonly kind: 'sequence';
  readonly elements: readonly ElementDef[];
  readonly particles?: readonly Particle[];
}
/** A complex type whose content is exactly one of its particles; `particles` as in {@link SequenceType}. */
export interface ChoiceType {
  readonly kind: 'choice';
  readonly elements: readonly ElementDef[];
  readonly particles?: readonly Particle[];
}
/** A complex type with a simple value and attributes, such as an amount with its `Ccy`. */
export interface ValueWithAttributesType {
  readonly kind: 'valueWithAttributes';
  readonly base: string;
  readonly attributes: readonly { readonly name: string; readonly type: string; readonly required: boolean }[];
}
/** A complex type holding one element of any name (supplementary data, signatures). */
export interface WildcardType {
  readonly kind: 'wildcard';
  readonly namespace: string;
  readonly processContents: 'lax' | 'skip' | 'strict';
}
/** A simple type: a primitive restricted by facets. */
export interface SimpleType {
  readonly kind: 'simple';
  readonly base: PrimitiveBase;
  readonly facets: Facets;
}

export type ComplexType = SequenceType | ChoiceType | ValueWithAttributesType | WildcardType;
export type TypeDef = ComplexType | SimpleType;
export type Components = Readonly<Record<string, TypeDef>>;

/** A message: its identifier (`pacs.008.001.08`), global element and that element's type. */
export interface MessageDef {
  readonly id: string;
  readonly namespace: string;
  readonly rootElement: string;
  readonly rootType: string;
  /** Types defined only for this message (its `Document`). */
  readonly localTypes: Components;
}

const multiplicity = /^([A-Za-z0-9_]+)(\?|\*|\+|\{(\d+),(\d+|unbounded)\})?$/;

/** Parses `'Type?'`-style element notation into an element definition. */
export function parseElement(name: string, spec: string): ElementDef {
  const match = multiplicity.exec(spec);
  if (!match) throw new Error(`element ${name}: cannot read type specification '${spec}'`);
  const [, type, suffix, min, max] = match;
  switch (suffix) {
    case undefined:
      return { name, type, minOccurs: 1, maxOccurs: 1 };
    case '?':
      return { name, type, minOccurs: 0, maxOccurs: 1 };
    case '*':
      return { name, type, minOccurs: 0, maxOccurs: 'unbounded' };
    case '+':
      return { name, type, minOccurs: 1, maxOccurs: 'unbounded' };
    default:
      return { name, type, minOccurs: Number(min), maxOccurs: max === 'unbounded' ? 'unbounded' : Number(max) };
  }
}

const elements = (fields: Readonly<Record<string, string>>): ElementDef[] =>
  Object.entries(fields).map(([name, spec]) => parseElement(name, spec));

/** An ordered sequence; the key order of `fields` is the element order. */
export const seq = (fields: Readonly<Record<string, string>>): SequenceType => ({ kind: 'sequence', elements: elements(fields) });

/** A choice between the elements of `fields`. */
export const choice = (fields: Readonly<Record<string, string>>): ChoiceType => ({ kind: 'choice', elements: elements(fields) });

/** A value of simple type `base` carrying required attributes, e.g. `withAttributes('ActiveCurrencyAndAmount_SimpleType', { Ccy: 'ActiveCurrencyCode' })`. */
export const withAttributes = (base: string, attributes: Readonly<Record<string, string>>): ValueWithAttributesType => ({
  kind: 'valueWithAttributes',
  base,
  attributes: Object.entries(attributes).map(([name, type]) => ({ name, type, required: true })),
});

/** One element of any name from `namespace` (`##any` for every namespace). */
export const wildcard = (namespace: string, processContents: WildcardType['processContents'] = 'lax'): WildcardType => ({
  kind: 'wildcard',
  namespace,
  processContents,
});

const simple = (base: PrimitiveBase, facets: Facets = {}): SimpleType => ({ kind: 'simple', base, facets });

/** A string, optionally restricted: `text({ minLength: 1, maxLength: 35 })`, `text({ pattern: '[A-Z]{3,3}' })`. */
export const text = (facets: Facets = {}): SimpleType => simple('string', facets);
/** A closed code list: `codes('DEBT', 'CRED', 'SHAR', 'SLEV')`. */
export const codes = (...values: string[]): SimpleType => simple('string', { enumeration: values });
/** A decimal: `decimal({ totalDigits: 18, fractionDigits: 5, minInclusive: '0' })`. */
export const decimal = (facets: Facets = {}): SimpleType => simple('decimal', facets);
export const date = (): SimpleType => simple('date');
export const dateTime = (): SimpleType => simple('dateTime');
export const time = (): SimpleType => simple('time');
export const year = (): SimpleType => simple('gYear');
export const yearMonth = (): SimpleType => simple('gYearMonth');
export const bool = (): SimpleType => simple('boolean');
export const binary = (facets: Facets = {}): SimpleType => simple('base64Binary', facets);

/** ISO 20022 XML namespace of a message identifier. */
export const namespaceOf = (id: string): string => `urn:iso:std:iso:20022:tech:xsd:${id}`;

/**
 * A message whose global element is `Document`, holding one element (the message
 * root such as `FIToFICstmrCdtTrf`) of the message type.
 */
export function documentMessage(id: string, element: string, type: string): MessageDef {
  return {
    id,
    namespace: namespaceOf(id),
    rootElement: 'Document',
    rootType: 'Document',
    localTypes: { Document: seq({ [element]: type }) },
  };
}

/** A message whose global element is itself the root (the business application header, `AppHdr`). */
export function headerMessage(id: string, element: string, type: string): MessageDef {
  return { id, namespace: namespaceOf(id), rootElement: element, rootType: type, localTypes: {} };
}
