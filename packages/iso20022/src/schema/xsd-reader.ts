import { XMLParser } from 'fast-xml-parser';
import { XsdUnsupportedError } from '../errors';
import { isGroup, primitiveBases, type ElementDef, type Facets, type MaxOccurs, type MessageDef, type Particle, type PrimitiveBase, type SimpleType, type TypeDef } from '../model/dsl';
import { guardXml } from '../xml/guard';
import { resolveReferences } from '../xml/references';
import { messageIdOfNamespace } from './namespaces';

const XSD_NAMESPACE = 'http://www.w3.org/2001/XMLSchema';

/** Occurrence bounds as written, defaults filled in. */
interface Occurs {
  readonly minOccurs: string;
  readonly maxOccurs: string;
}

/** A particle of a sequence or choice, with occurrence bounds as written (defaults filled in). */
export type DescribedParticle =
  | ({ readonly kind: 'element'; readonly name: string; readonly type: string } & Occurs)
  | ({ readonly kind: 'any'; readonly namespace: string; readonly processContents: string } & Occurs)
  | ({ readonly kind: 'sequence' | 'choice'; readonly particles: readonly DescribedParticle[] } & Occurs);

/**
 * A named type as written in an XSD. Type references are either a local name
 * (a type of the target namespace) or `xs:<name>` (a built-in type). An
 * anonymous type gets a name of its own, made from where it is declared.
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
  /** Constructs outside the ISO 20022 subset (includes, attribute groups, defaults, …), one line each. */
  readonly unsupported: readonly string[];
}

interface Node {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Node[];
  /** Whether the element holds text other than whitespace; the text itself is dropped (in a schema only documentation and appinfo hold any). */
  readonly hasText: boolean;
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
    const content = item[name] as Ordered[];
    nodes.push({
      name,
      attributes: resolvedAttributes(item[':@'] as Record<string, string> | undefined),
      children: toNodes(content),
      hasText: content.some((child) => typeof child['#text'] === 'string' && child['#text'].trim() !== ''),
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
 * What is wrong with the content of a facet, if anything. XML Schema allows a
 * facet one `xs:annotation` (documentation and application information, as
 * the caam and catp schemas give each code of an enumeration), and nothing
 * else.
 */
function facetContentProblem(facet: Node): string | undefined {
  if (facet.hasText) return 'text';
  const others = facet.children.filter((child) => localName(child.name) !== 'annotation');
  if (others.length > 0) return others.map((child) => `xs:${localName(child.name)}`).join(', ');
  if (facet.children.length > 1) return 'more than one xs:annotation';
  const inAnnotation = facet.children.flatMap((annotation) => annotation.children).filter((child) => !['documentation', 'appinfo'].includes(localName(child.name)));
  if (inAnnotation.length > 0) return `${inAnnotation.map((child) => `xs:${localName(child.name)}`).join(', ')} in xs:annotation`;
  return undefined;
}

/**
 * Reads what an XSD declares: global elements and types with their particles,
 * attributes and facets. Used to compare schemas and to read an operator's XSD
 * into the model.
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
  const occurs = (node: Node): Occurs => ({
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
  const topLevel = content(schema.children);
  // Names of anonymous types must not collide with any named type, declared before or after them.
  const taken = new Set(topLevel.filter((node) => node.attributes.name !== undefined && localName(node.name) !== 'element').map((node) => node.attributes.name as string));
  const anonymousName = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
    taken.add(name);
    return name;
  };

  /** The type of an element or attribute: its `type` reference, or its anonymous type described under a new name. */
  const typeOfDeclaration = (node: Node, anonymous: string, where: string): string => {
    const inline = content(node.children);
    if (node.attributes.type !== undefined) {
      if (inline.length > 0) unsupported.push(`${where}: both a type attribute and an anonymous type`);
      return reference(node.attributes.type, where);
    }
    const [definition, ...rest] = inline;
    if (!definition || rest.length > 0) {
      // No type at all means xs:anyType, which the model cannot hold.
      unsupported.push(`${where}: no type`);
      return '';
    }
    const kind = localName(definition.name);
    if (kind !== 'complexType' && kind !== 'simpleType') {
      unsupported.push(`${where}: xs:${kind} in a declaration`);
      return '';
    }
    const name = anonymousName(anonymous);
    describeType(definition, name, `${where} (anonymous type)`);
    return name;
  };

  const describeParticles = (group: Node, owner: string, where: string): DescribedParticle[] => {
    const particles: DescribedParticle[] = [];
    for (const particle of content(group.children)) {
      const particleKind = localName(particle.name);
      if (particleKind === 'element') {
        const name = particle.attributes.name ?? '';
        const at = `${where}/${name}`;
        extraAttributes(particle, ['name', 'type', 'minOccurs', 'maxOccurs'], at);
        particles.push({ kind: 'element', name, type: typeOfDeclaration(particle, `${owner}_${name}`, at), ...occurs(particle) });
      } else if (particleKind === 'any') {
        extraAttributes(particle, ['namespace', 'processContents', 'minOccurs', 'maxOccurs'], where);
        particles.push({
          kind: 'any',
          namespace: particle.attributes.namespace ?? '##any',
          processContents: particle.attributes.processContents ?? 'strict',
          ...occurs(particle),
        });
      } else if (particleKind === 'sequence' || particleKind === 'choice') {
        extraAttributes(particle, ['minOccurs', 'maxOccurs'], where);
        particles.push({ kind: particleKind, particles: describeParticles(particle, owner, where), ...occurs(particle) });
      } else {
        unsupported.push(`${where}: xs:${particleKind} inside xs:${localName(group.name)}`);
      }
    }
    return particles;
  };

  function describeType(node: Node, name: string, where: string): void {
    const kind = localName(node.name);
    if (kind === 'complexType') {
      extraAttributes(node, ['name'], where);
      const parts = content(node.children);
      if (parts.length === 0) {
        types.set(name, { kind: 'sequence', particles: [] });
        return;
      }
      const [body, ...rest] = parts;
      if (rest.length > 0) {
        unsupported.push(`${where}: content other than one sequence, choice or simpleContent`);
        return;
      }
      const bodyKind = localName(body.name);
      if (bodyKind === 'sequence' || bodyKind === 'choice') {
        // Occurrence bounds on the outermost group are kept as a nested group, which the model then refuses.
        if (body.attributes.minOccurs !== undefined || body.attributes.maxOccurs !== undefined) {
          extraAttributes(body, ['minOccurs', 'maxOccurs'], where);
          types.set(name, { kind: 'sequence', particles: [{ kind: bodyKind, particles: describeParticles(body, name, where), ...occurs(body) }] });
        } else {
          extraAttributes(body, [], where);
          types.set(name, { kind: bodyKind, particles: describeParticles(body, name, where) });
        }
      } else if (bodyKind === 'simpleContent') {
        const [extension, ...others] = content(body.children);
        if (!extension || others.length > 0 || localName(extension.name) !== 'extension') {
          unsupported.push(`${where}: simpleContent other than one extension`);
          return;
        }
        extraAttributes(extension, ['base'], where);
        const attributes = content(extension.children).map((attribute) => {
          const attributeName = attribute.attributes.name ?? '';
          const at = `${where}/@${attributeName}`;
          if (localName(attribute.name) !== 'attribute') unsupported.push(`${where}: xs:${localName(attribute.name)} in extension`);
          extraAttributes(attribute, ['name', 'type', 'use'], at);
          return { name: attributeName, type: typeOfDeclaration(attribute, `${name}_${attributeName}`, at), use: attribute.attributes.use ?? 'optional' };
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
        return;
      }
      extraAttributes(restriction, ['base'], where);
      const facets: Record<string, string[]> = {};
      for (const facet of content(restriction.children)) {
        const facetName = localName(facet.name);
        (facets[facetName] ??= []).push(facet.attributes.value ?? '');
        const problem = facetContentProblem(facet);
        if (problem !== undefined) unsupported.push(`${where}: nested content in ${facetName} '${facet.attributes.value ?? ''}': ${problem}`);
      }
      types.set(name, { kind: 'simple', base: reference(restriction.attributes.base ?? '', where), facets });
    } else {
      unsupported.push(`${where}: top-level xs:${kind}`);
    }
  }

  for (const node of topLevel) {
    const kind = localName(node.name);
    const name = node.attributes.name ?? '';
    const where = `${kind} ${name}`;
    if (kind === 'element') {
      extraAttributes(node, ['name', 'type'], where);
      elements.set(name, typeOfDeclaration(node, name, where));
    } else {
      describeType(node, name, where);
    }
  }
  return { targetNamespace, elementFormDefault: schema.attributes.elementFormDefault ?? 'unqualified', elements, types, unsupported };
}

const singleFacets = ['length', 'minLength', 'maxLength', 'totalDigits', 'fractionDigits'] as const;
const boundFacets = ['minInclusive', 'maxInclusive', 'minExclusive', 'maxExclusive'] as const;

function toMaxOccurs(value: string): MaxOccurs {
  return value === 'unbounded' ? 'unbounded' : Number(value);
}

const isBuiltin = (type: string): boolean => type.startsWith('xs:');
const isPrimitive = (name: string): name is PrimitiveBase => (primitiveBases as readonly string[]).includes(name);

/**
 * Reads an XSD into the message model, for operator additions and overrides
 * (usage guidelines such as CBPR+ restrict the ISO types, and keep the ISO
 * namespace). Simple types derived from other named simple types are
 * flattened; a built-in type used directly gets a local simple type of its own,
 * and groups nested in a sequence or choice are kept as written. The target
 * namespace is a message namespace of any dialect (ISO 20022, its first
 * generation, legacy SWIFT `urn:swift:xsd:`), and the message identifier is
 * its last part. Annotations are ignored wherever XML Schema allows them,
 * facets included.
 *
 * @throws XsdUnsupportedError when the XSD uses a construct the model cannot
 * represent exactly, so that nothing is silently dropped.
 */
export function readXsd(xsd: string): MessageDef {
  const description = describeXsd(xsd);
  const problems = [...description.unsupported];
  if (description.elementFormDefault !== 'qualified') problems.push('elementFormDefault is not qualified');
  const messageId = messageIdOfNamespace(description.targetNamespace);
  if (messageId === undefined) problems.push(`target namespace '${description.targetNamespace}' is not an ISO 20022 message namespace`);
  if (description.elements.size !== 1) problems.push(`expected one global element, found ${description.elements.size}`);

  const localTypes: Record<string, TypeDef> = {};
  // A built-in type used directly (an element of type xs:boolean) becomes a local simple type without facets.
  const builtins = new Map<string, string>();
  const local = (type: string, where: string): string => {
    if (!isBuiltin(type)) return type;
    const primitive = type.slice(3);
    if (!isPrimitive(primitive)) {
      problems.push(`${where}: built-in type ${type} is not supported`);
      return type;
    }
    let name = builtins.get(primitive);
    if (name === undefined) {
      name = `${primitive}_BuiltIn`;
      while (description.types.has(name)) name = `_${name}`;
      builtins.set(primitive, name);
      localTypes[name] = { kind: 'simple', base: primitive, facets: {} };
    }
    return name;
  };

  const flattening = new Set<string>();
  const simple = (name: string): SimpleType | undefined => {
    const described = description.types.get(name);
    if (!described || described.kind !== 'simple') return undefined;
    if (flattening.has(name)) {
      problems.push(`simpleType ${name}: circular derivation`);
      return undefined;
    }
    flattening.add(name);
    let base: PrimitiveBase;
    let inherited: Facets = {};
    if (isBuiltin(described.base)) {
      const primitive = described.base.slice(3);
      if (!isPrimitive(primitive)) problems.push(`simpleType ${name}: base ${described.base} is not supported`);
      base = primitive as PrimitiveBase;
    } else {
      const parent = simple(described.base);
      if (!parent) {
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
      else if ((boundFacets as readonly string[]).includes(facet)) facets[facet as (typeof boundFacets)[number]] = values[0];
      else if (facet === 'enumeration') facets.enumeration = values;
      else if (facet === 'pattern' && values.length === 1 && inherited.pattern === undefined) facets.pattern = values[0];
      else problems.push(`simpleType ${name}: facet ${facet}${facet === 'pattern' ? ' (more than one pattern)' : ''} is not supported`);
    }
    flattening.delete(name);
    return { kind: 'simple', base, facets };
  };

  /** Nested particles into the model's; `elements` collects the elements in document order. */
  const particlesOf = (owner: string, described: readonly DescribedParticle[], elements: ElementDef[]): Particle[] =>
    described.flatMap((particle): Particle[] => {
      if (particle.kind === 'any') {
        problems.push(`complexType ${owner}: a wildcard among elements`);
        return [];
      }
      if (particle.kind === 'element') {
        const element: ElementDef = {
          name: particle.name,
          type: local(particle.type, `complexType ${owner}/${particle.name}`),
          minOccurs: Number(particle.minOccurs),
          maxOccurs: toMaxOccurs(particle.maxOccurs),
        };
        elements.push(element);
        return [element];
      }
      // The JSON form has one key per element name: the order of elements of a repeating group could not be kept.
      if (particle.maxOccurs !== '1') problems.push(`complexType ${owner}: a repeating xs:${particle.kind} group`);
      return [{ group: particle.kind, minOccurs: Number(particle.minOccurs), maxOccurs: toMaxOccurs(particle.maxOccurs), particles: particlesOf(owner, particle.particles, elements) }];
    });

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
          base: local(described.base, `complexType ${name}`),
          attributes: described.attributes.map((attribute) => ({
            name: attribute.name,
            type: local(attribute.type, `complexType ${name}/@${attribute.name}`),
            required: attribute.use === 'required',
          })),
        };
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
        const particles = particlesOf(name, described.particles, elements);
        const names = elements.map((element) => element.name);
        const repeated = names.filter((element, index) => names.indexOf(element) !== index);
        if (repeated.length > 0) problems.push(`complexType ${name}: element ${repeated.join(', ')} declared more than once`);
        const nested = particles.some(isGroup);
        localTypes[name] = nested ? { kind: described.kind, elements, particles } : { kind: described.kind, elements };
        break;
      }
    }
  }
  const [[rootElement, rootType] = ['', '']] = [...description.elements];
  const root = local(rootType, `element ${rootElement}`);
  if (problems.length > 0) throw new XsdUnsupportedError(`XSD cannot be read into the model: ${problems.join('; ')}`);
  return { id: messageId as string, namespace: description.targetNamespace, rootElement, rootType: root, localTypes };
}
