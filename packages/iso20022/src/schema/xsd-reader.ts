import { XMLParser } from 'fast-xml-parser';
import { XsdUnsupportedError } from '../errors';
import { primitiveBases, type ElementDef, type Facets, type MaxOccurs, type MessageDef, type PrimitiveBase, type TypeDef } from '../model/dsl';
import { guardXml } from '../xml/guard';
import { resolveReferences } from '../xml/references';

const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** A particle of a sequence or choice, with occurrence bounds as written (defaults filled in). */
export type DescribedParticle =
  | { readonly kind: 'element'; readonly name: string; readonly type: string; readonly minOccurs: string; readonly maxOccurs: string }
  | { readonly kind: 'any'; readonly namespace: string; readonly processContents: string; readonly minOccurs: string; readonly maxOccurs: string };

/**
 * A named type as written in an XSD. Type references are either a local name
 * (a type of the target namespace) or `xs:<name>` (a built-in type).
 */
export type DescribedType =
  | { readonly kind: 'sequence' | 'choice'; readonly particles: readonly DescribedParticle[] }
  | { readonly kind: 'simpleContent'; readonly base: string; readonly attributes: readonly { readonly name: string; readonly type: string; readonly use: string }[] }
  | { readonly kind: 'simple'; readonly base: string; readonly facets: Readonly<Record<string, readonly string[]>> };

/** What an XSD declares, independent of the message model. */
export interface XsdDescription {
  readonly targetNamespace: string;
  readonly elementFormDefault: string;
  readonly elements: ReadonlyMap<string, string>;
  readonly types: ReadonlyMap<string, DescribedType>;
  /** Constructs outside the ISO 20022 subset (includes, groups, anonymous types, …), one line each. */
  readonly unsupported: readonly string[];
}

interface Node {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Node[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // References are resolved in one pass by resolveReferences (attribute values are all this reader uses).
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
});

type Ordered = Record<string, unknown>;

function toNodes(ordered: readonly Ordered[]): Node[] {
  const nodes: Node[] = [];
  for (const item of ordered) {
    const name = Object.keys(item).find((key) => key !== ':@' && key !== '#text');
    if (name === undefined) continue;
    nodes.push({
      name,
      attributes: resolvedAttributes(item[':@'] as Record<string, string> | undefined),
      children: toNodes(item[name] as Ordered[]),
    });
  }
  return nodes;
}

function resolvedAttributes(attributes: Record<string, string> | undefined): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) resolved[name] = resolveReferences(value);
  return resolved;
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/**
 * Reads what an XSD declares: global elements and named types with their
 * particles, attributes and facets. Used to compare schemas and to read an
 * operator's XSD into the model.
 */
export function describeXsd(xsd: string): XsdDescription {
  // An operator's XSD is still untrusted text: the same guard applies, with room for large schemas.
  const { text } = guardXml(xsd, { maxBytes: 16 * 1024 * 1024, maxDepth: 32 });
  const schema = toNodes(parser.parse(text) as Ordered[]).find((node) => localName(node.name) === 'schema');
  if (!schema) throw new XsdUnsupportedError('not an XSD: no xs:schema element');
  const prefixes = new Map<string, string>();
  for (const [attribute, value] of Object.entries(schema.attributes)) {
    if (attribute === 'xmlns') prefixes.set('', value);
    else if (attribute.startsWith('xmlns:')) prefixes.set(attribute.slice(6), value);
  }
  const targetNamespace = schema.attributes.targetNamespace ?? '';
  const unsupported: string[] = [];
  const reference = (qname: string, where: string): string => {
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const namespace = prefixes.get(prefix) ?? '';
    if (namespace === XSD_NAMESPACE) return `xs:${localName(qname)}`;
    if (namespace !== targetNamespace) unsupported.push(`${where}: reference ${qname} to namespace '${namespace}'`);
    return localName(qname);
  };
  const occurs = (node: Node): { minOccurs: string; maxOccurs: string } => ({
    minOccurs: node.attributes.minOccurs ?? '1',
    maxOccurs: node.attributes.maxOccurs ?? '1',
  });
  const extraAttributes = (node: Node, allowed: readonly string[], where: string): void => {
    for (const attribute of Object.keys(node.attributes)) {
      if (!allowed.includes(attribute)) unsupported.push(`${where}: attribute ${attribute} on xs:${localName(node.name)}`);
    }
  };
  const content = (nodes: readonly Node[]): Node[] => nodes.filter((node) => localName(node.name) !== 'annotation');

  const elements = new Map<string, string>();
  const types = new Map<string, DescribedType>();
  for (const node of content(schema.children)) {
    const kind = localName(node.name);
    const name = node.attributes.name ?? '';
    const where = `${kind} ${name}`;
    if (kind === 'element') {
      extraAttributes(node, ['name', 'type'], where);
      if (node.children.length > 0 || !node.attributes.type) unsupported.push(`${where}: anonymous type`);
      elements.set(name, reference(node.attributes.type ?? '', where));
    } else if (kind === 'complexType') {
      extraAttributes(node, ['name'], where);
      const [body, ...rest] = content(node.children);
      if (!body || rest.length > 0) {
        unsupported.push(`${where}: content other than one sequence, choice or simpleContent`);
        continue;
      }
      const bodyKind = localName(body.name);
      if (bodyKind === 'sequence' || bodyKind === 'choice') {
        extraAttributes(body, [], where);
        const particles: DescribedParticle[] = [];
        for (const particle of content(body.children)) {
          const particleKind = localName(particle.name);
          if (particleKind === 'element') {
            extraAttributes(particle, ['name', 'type', 'minOccurs', 'maxOccurs'], `${where}/${particle.attributes.name}`);
            if (particle.children.length > 0 || !particle.attributes.type) unsupported.push(`${where}/${particle.attributes.name}: anonymous type`);
            particles.push({
              kind: 'element',
              name: particle.attributes.name ?? '',
              type: reference(particle.attributes.type ?? '', where),
              ...occurs(particle),
            });
          } else if (particleKind === 'any') {
            extraAttributes(particle, ['namespace', 'processContents', 'minOccurs', 'maxOccurs'], where);
            particles.push({
              kind: 'any',
              namespace: particle.attributes.namespace ?? '##any',
              processContents: particle.attributes.processContents ?? 'strict',
              ...occurs(particle),
            });
          } else {
            unsupported.push(`${where}: xs:${particleKind} inside xs:${bodyKind}`);
          }
        }
        types.set(name, { kind: bodyKind, particles });
      } else if (bodyKind === 'simpleContent') {
        const [extension, ...others] = content(body.children);
        if (!extension || others.length > 0 || localName(extension.name) !== 'extension') {
          unsupported.push(`${where}: simpleContent other than one extension`);
          continue;
        }
        const attributes = content(extension.children).map((attribute) => {
          if (localName(attribute.name) !== 'attribute') unsupported.push(`${where}: xs:${localName(attribute.name)} in extension`);
          extraAttributes(attribute, ['name', 'type', 'use'], `${where}/@${attribute.attributes.name}`);
          return { name: attribute.attributes.name ?? '', type: reference(attribute.attributes.type ?? '', where), use: attribute.attributes.use ?? 'optional' };
        });
        types.set(name, { kind: 'simpleContent', base: reference(extension.attributes.base ?? '', where), attributes });
      } else {
        unsupported.push(`${where}: xs:${bodyKind}`);
      }
    } else if (kind === 'simpleType') {
      extraAttributes(node, ['name'], where);
      const [restriction, ...rest] = content(node.children);
      if (!restriction || rest.length > 0 || localName(restriction.name) !== 'restriction') {
        unsupported.push(`${where}: simple type other than a restriction`);
        continue;
      }
      const facets: Record<string, string[]> = {};
      for (const facet of content(restriction.children)) {
        const facetName = localName(facet.name);
        (facets[facetName] ??= []).push(facet.attributes.value ?? '');
        if (facet.children.length > 0) unsupported.push(`${where}: nested content in ${facetName}`);
      }
      types.set(name, { kind: 'simple', base: reference(restriction.attributes.base ?? '', where), facets });
    } else {
      unsupported.push(`${where}: top-level xs:${kind}`);
    }
  }
  return { targetNamespace, elementFormDefault: schema.attributes.elementFormDefault ?? 'unqualified', elements, types, unsupported };
}

const singleFacets = ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const;

function toMaxOccurs(value: string): MaxOccurs {
  return value === 'unbounded' ? 'unbounded' : Number(value);
}

/**
 * Reads an XSD into the message model, for operator additions and overrides
 * (usage guidelines such as CBPR+ restrict the ISO types, and keep the ISO
 * namespace). Simple types derived from other named simple types are flattened.
 *
 * @throws XsdUnsupportedError when the XSD uses a construct the model cannot
 * represent exactly, so that nothing is silently dropped.
 */
export function readXsd(xsd: string): MessageDef {
  const description = describeXsd(xsd);
  const problems = [...description.unsupported];
  if (description.elementFormDefault !== 'qualified') problems.push('elementFormDefault is not qualified');
  const match = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})$/.exec(description.targetNamespace);
  if (!match) problems.push(`target namespace '${description.targetNamespace}' is not an ISO 20022 message namespace`);
  if (description.elements.size !== 1) problems.push(`expected one global element, found ${description.elements.size}`);

  const localTypes: Record<string, TypeDef> = {};
  const flattening = new Set<string>();
  const simple = (name: string): TypeDef | undefined => {
    const described = description.types.get(name);
    if (!described || described.kind !== 'simple') return undefined;
    if (flattening.has(name)) {
      problems.push(`simpleType ${name}: circular derivation`);
      return undefined;
    }
    flattening.add(name);
    let base: PrimitiveBase;
    let inherited: Facets = {};
    if (described.base.startsWith('xs:')) {
      const primitive = described.base.slice(3);
      if (!(primitiveBases as readonly string[]).includes(primitive)) problems.push(`simpleType ${name}: base ${described.base} is not supported`);
      base = primitive as PrimitiveBase;
    } else {
      const parent = simple(described.base);
      if (!parent || parent.kind !== 'simple') {
        problems.push(`simpleType ${name}: base ${described.base} is not a simple type of this schema`);
        flattening.delete(name);
        return undefined;
      }
      base = parent.base;
      inherited = parent.facets;
    }
    const facets: { -readonly [K in keyof Facets]: Facets[K] } = { ...inherited };
    for (const [facet, values] of Object.entries(described.facets)) {
      if ((singleFacets as readonly string[]).includes(facet)) facets[facet as (typeof singleFacets)[number]] = Number(values[0]);
      else if (facet === 'minInclusive' || facet === 'maxInclusive') facets[facet] = values[0];
      else if (facet === 'enumeration') facets.enumeration = values;
      else if (facet === 'pattern' && values.length === 1 && inherited.pattern === undefined) facets.pattern = values[0];
      else problems.push(`simpleType ${name}: facet ${facet}${facet === 'pattern' ? ' (more than one pattern)' : ''} is not supported`);
    }
    flattening.delete(name);
    return { kind: 'simple', base, facets };
  };

  for (const [name, described] of description.types) {
    switch (described.kind) {
      case 'simple': {
        const def = simple(name);
        if (def) localTypes[name] = def;
        break;
      }
      case 'simpleContent':
        localTypes[name] = {
          kind: 'valueWithAttributes',
          base: described.base,
          attributes: described.attributes.map((attribute) => ({ name: attribute.name, type: attribute.type, required: attribute.use === 'required' })),
        };
        if (described.base.startsWith('xs:')) problems.push(`complexType ${name}: extension of built-in ${described.base}`);
        break;
      case 'sequence':
      case 'choice': {
        const [first] = described.particles;
        if (first?.kind === 'any') {
          if (described.particles.length !== 1 || described.kind !== 'sequence' || first.minOccurs !== '1' || first.maxOccurs !== '1') {
            problems.push(`complexType ${name}: a wildcard must be the only particle, exactly once`);
          }
          const processContents = first.processContents as 'lax' | 'skip' | 'strict';
          localTypes[name] = { kind: 'wildcard', namespace: first.namespace, processContents };
          break;
        }
        const elements: ElementDef[] = [];
        for (const particle of described.particles) {
          if (particle.kind !== 'element') {
            problems.push(`complexType ${name}: a wildcard among elements`);
            continue;
          }
          if (particle.type.startsWith('xs:')) problems.push(`complexType ${name}/${particle.name}: built-in type ${particle.type} used directly`);
          elements.push({ name: particle.name, type: particle.type, minOccurs: Number(particle.minOccurs), maxOccurs: toMaxOccurs(particle.maxOccurs) });
        }
        localTypes[name] = { kind: described.kind, elements };
        break;
      }
    }
  }
  if (problems.length > 0) throw new XsdUnsupportedError(`XSD cannot be read into the model: ${problems.join('; ')}`);
  const [[rootElement, rootType]] = [...description.elements];
  return { id: (match as RegExpExecArray)[1], namespace: description.targetNamespace, rootElement, rootType, localTypes };
}
