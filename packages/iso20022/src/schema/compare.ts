import { describeXsd, type DescribedParticle, type XsdDescription } from './xsd-reader';

/** One structural difference between two XSDs, at an element path such as `Document/FIToFICstmrCdtTrf/GrpHdr/MsgId`. */
export interface SchemaDifference {
  readonly path: string;
  /** What differs, expected first: `maxLength 35 ≠ 36`. */
  readonly message: string;
}

const show = (values: readonly string[] | undefined): string => (values === undefined ? '(none)' : values.join(' | '));

interface Flat {
  readonly base: string;
  readonly facets: Readonly<Record<string, readonly string[]>>;
}

/** A simple type with the facets of the types it derives from folded in. */
function flatten(description: XsdDescription, name: string, depth = 0): Flat | undefined {
  if (name.startsWith('xs:')) return { base: name, facets: {} };
  const def = description.types.get(name);
  if (!def || def.kind !== 'simple' || depth > 32) return undefined;
  const parent = flatten(description, def.base, depth + 1);
  if (!parent) return undefined;
  return { base: parent.base, facets: { ...parent.facets, ...def.facets } };
}

/** Elements by name; a wildcard as `##any`; a nested group by its kind and place among the groups beside it: `(choice 2)`. */
function particleNames(particles: readonly DescribedParticle[]): string[] {
  let groups = 0;
  return particles.map((particle) => {
    if (particle.kind === 'element') return particle.name;
    if (particle.kind === 'any') return '##any';
    groups++;
    return `(${particle.kind} ${groups})`;
  });
}

/**
 * Compares two XSDs structurally, walking both from their global elements:
 * element names and order, minOccurs/maxOccurs, sequence versus choice,
 * simple-type bases and facets, attributes and wildcards. Type names are not
 * compared, only what they contain. Each pair of types is compared once and
 * reported at the first path that reaches it.
 */
export function compareXsd(expectedXsd: string, actualXsd: string): SchemaDifference[] {
  const expected = describeXsd(expectedXsd);
  const actual = describeXsd(actualXsd);
  const differences: SchemaDifference[] = [];
  const report = (path: string, message: string): void => {
    differences.push({ path, message });
  };
  for (const problem of expected.unsupported) report('(schema)', `expected schema uses an unsupported construct: ${problem}`);
  for (const problem of actual.unsupported) report('(schema)', `actual schema uses an unsupported construct: ${problem}`);
  if (expected.targetNamespace !== actual.targetNamespace) report('(schema)', `targetNamespace ${expected.targetNamespace} ≠ ${actual.targetNamespace}`);
  if (expected.elementFormDefault !== actual.elementFormDefault) report('(schema)', `elementFormDefault ${expected.elementFormDefault} ≠ ${actual.elementFormDefault}`);

  const compared = new Set<string>();

  const compareSimple = (path: string, expectedType: string, actualType: string): void => {
    const e = flatten(expected, expectedType);
    const a = flatten(actual, actualType);
    if (!e || !a) {
      report(path, `simple type ${expectedType} ≠ ${actualType} (not resolvable)`);
      return;
    }
    if (e.base !== a.base) report(path, `base ${e.base} ≠ ${a.base}`);
    const facets = [...new Set([...Object.keys(e.facets), ...Object.keys(a.facets)])].sort();
    for (const facet of facets) {
      const ev = e.facets[facet];
      const av = a.facets[facet];
      if (facet === 'enumeration' && ev && av) {
        const missing = ev.filter((code) => !av.includes(code));
        const extra = av.filter((code) => !ev.includes(code));
        if (missing.length > 0) report(path, `enumeration lacks ${missing.join(', ')}`);
        if (extra.length > 0) report(path, `enumeration has extra ${extra.join(', ')}`);
      } else if (show(ev) !== show(av)) {
        report(path, `${facet} ${show(ev)} ≠ ${show(av)}`);
      }
    }
  };

  const compareParticles = (path: string, e: readonly DescribedParticle[], a: readonly DescribedParticle[]): void => {
    const eNames = particleNames(e);
    const aNames = particleNames(a);
    const missing = eNames.filter((name) => !aNames.includes(name));
    const extra = aNames.filter((name) => !eNames.includes(name));
    for (const name of missing) report(`${path}/${name}`, 'element missing');
    for (const name of extra) report(`${path}/${name}`, 'unexpected element');
    const eCommon = eNames.filter((name) => aNames.includes(name));
    const aCommon = aNames.filter((name) => eNames.includes(name));
    if (eCommon.join(',') !== aCommon.join(',')) report(path, `element order ${eCommon.join(', ')} ≠ ${aCommon.join(', ')}`);
    e.forEach((ep, index) => {
      const name = eNames[index];
      const ap = a[aNames.indexOf(name)];
      if (!ap) return;
      const at = `${path}/${name}`;
      if (ep.minOccurs !== ap.minOccurs) report(at, `minOccurs ${ep.minOccurs} ≠ ${ap.minOccurs}`);
      if (ep.maxOccurs !== ap.maxOccurs) report(at, `maxOccurs ${ep.maxOccurs} ≠ ${ap.maxOccurs}`);
      if (ep.kind === 'any' && ap.kind === 'any') {
        if (ep.namespace !== ap.namespace) report(at, `wildcard namespace ${ep.namespace} ≠ ${ap.namespace}`);
        if (ep.processContents !== ap.processContents) report(at, `processContents ${ep.processContents} ≠ ${ap.processContents}`);
      } else if (ep.kind === 'element' && ap.kind === 'element') {
        compareType(at, ep.type, ap.type);
      } else if ((ep.kind === 'sequence' || ep.kind === 'choice') && (ap.kind === 'sequence' || ap.kind === 'choice')) {
        compareParticles(at, ep.particles, ap.particles);
      }
    });
  };

  const compareType = (path: string, expectedType: string, actualType: string): void => {
    const key = `${expectedType}|${actualType}`;
    if (compared.has(key)) return;
    compared.add(key);
    const e = expectedType.startsWith('xs:') ? undefined : expected.types.get(expectedType);
    const a = actualType.startsWith('xs:') ? undefined : actual.types.get(actualType);
    if (!expectedType.startsWith('xs:') && !e) {
      report(path, `type ${expectedType} is not defined in the expected schema`);
      return;
    }
    if (!actualType.startsWith('xs:') && !a) {
      report(path, `type ${actualType} is not defined`);
      return;
    }
    const eKind = e?.kind ?? 'simple';
    const aKind = a?.kind ?? 'simple';
    if (eKind !== aKind) {
      report(path, `content ${eKind} ≠ ${aKind}`);
      return;
    }
    if (eKind === 'simple') {
      compareSimple(path, expectedType, actualType);
    } else if (e && a && (e.kind === 'sequence' || e.kind === 'choice') && (a.kind === 'sequence' || a.kind === 'choice')) {
      compareParticles(path, e.particles, a.particles);
    } else if (e?.kind === 'simpleContent' && a?.kind === 'simpleContent') {
      compareSimple(path, e.base, a.base);
      const eNames = e.attributes.map((attribute) => attribute.name);
      const aNames = a.attributes.map((attribute) => attribute.name);
      for (const name of eNames.filter((n) => !aNames.includes(n))) report(`${path}/@${name}`, 'attribute missing');
      for (const name of aNames.filter((n) => !eNames.includes(n))) report(`${path}/@${name}`, 'unexpected attribute');
      for (const ea of e.attributes) {
        const aa = a.attributes.find((candidate) => candidate.name === ea.name);
        if (!aa) continue;
        if (ea.use !== aa.use) report(`${path}/@${ea.name}`, `use ${ea.use} ≠ ${aa.use}`);
        compareSimple(`${path}/@${ea.name}`, ea.type, aa.type);
      }
    }
  };

  const eElements = [...expected.elements.keys()];
  const aElements = [...actual.elements.keys()];
  for (const name of eElements.filter((n) => !aElements.includes(n))) report(name, 'global element missing');
  for (const name of aElements.filter((n) => !eElements.includes(n))) report(name, 'unexpected global element');
  for (const [name, type] of expected.elements) {
    const actualType = actual.elements.get(name);
    if (actualType !== undefined) compareType(name, type, actualType);
  }
  return differences;
}

/** `Document/FIToFICstmrCdtTrf/GrpHdr/MsgId: maxLength 35 ≠ 36` */
export const formatDifference = (difference: SchemaDifference): string => `${difference.path}: ${difference.message}`;
