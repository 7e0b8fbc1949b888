import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';
import { compareXsd, generateXsd, loadCatalogue, parseMessage, readXsd, resolveMessage, toJson, toXml, validateJson, type Catalogue } from '@mxflow/iso20022';
import { formatDifference } from '../src/schema/compare';
import { canonicalXml } from './support/canonical';
import { minimalInstance } from './support/instances';
import { messageFixtures, officialXsdDir } from './support/paths';

// The official XSDs live beside the repository, not in it: without them there is nothing to compare with.
const present = existsSync(officialXsdDir);
const describeOfficial = present ? describe : describe.skip;
if (!present) console.warn(`official ISO 20022 XSDs not found (${path.basename(officialXsdDir)} beside the repository): the tests over every official version are skipped`);

const files = present ? readdirSync(officialXsdDir).filter((file) => file.endsWith('.xsd')).sort() : [];
const read = (file: string): string => readFileSync(path.join(officialXsdDir, file), 'utf8');

/** Libxml2's verdict on `xml` against a compiled schema. */
function accepts(validator: XsdValidator, xml: string): boolean {
  const document = XmlDocument.fromString(xml);
  try {
    validator.validate(document);
    return true;
  } catch (error) {
    if (error instanceof XmlLibError) return false;
    throw error;
  } finally {
    document.dispose();
  }
}

/** Compiles an XSD for the time of `use`: a thousand compiled schemas would not fit in the module's memory. */
function withValidator<T>(xsd: string, use: (validator: XsdValidator) => T): T {
  const document = XmlDocument.fromString(xsd);
  const validator = XsdValidator.fromDoc(document);
  try {
    return use(validator);
  } finally {
    validator.dispose();
    document.dispose();
  }
}

// The valid fixtures whose root is the global element itself (a wrapper would carry two namespaces).
const instances = messageFixtures().filter(({ name, xml }) => name.startsWith('valid') && /^(?:<\?[^>]*>\s*)?<(?:Document|AppHdr)[\s>]/.test(xml));
const isoNamespace = /urn:iso:std:iso:20022:tech:xsd:[a-z]{4}\.\d{3}\.\d{3}\.\d{2}/g;
const moved = (xml: string, namespace: string): string => xml.replace(isoNamespace, namespace);

/** The offset just after the element whose start tag begins at `start`, counting nested elements of the same name. */
function elementEnd(xml: string, start: number): number | undefined {
  const name = /^<([A-Za-z][\w.:-]*)/.exec(xml.slice(start))?.[1];
  if (name === undefined) return undefined;
  const tags = new RegExp(`<(/?)${name.replace(/[.]/g, '\\.')}(?=[\\s>/])[^>]*?(/?)>`, 'g');
  tags.lastIndex = start;
  let depth = 0;
  for (let tag = tags.exec(xml); tag; tag = tags.exec(xml)) {
    if (tag[1] === '/') depth--;
    else if (tag[2] !== '/') depth++;
    if (depth === 0) return tag.index + tag[0].length;
  }
  return undefined;
}

/** The first child of the message root (`GrpHdr`) as it is written: name, start and end offsets. */
function firstChild(xml: string): { name: string; start: number; end: number } | undefined {
  const afterGlobal = xml.indexOf('>', xml.search(/<(?:Document|AppHdr)[\s>]/)) + 1;
  const root = /<([A-Za-z][\w.-]*)[^>]*>/g;
  root.lastIndex = afterGlobal;
  const found = root.exec(xml);
  if (!found) return undefined;
  const child = /<([A-Za-z][\w.-]*)[\s>/]/g;
  child.lastIndex = root.lastIndex;
  const first = child.exec(xml);
  if (!first) return undefined;
  const end = elementEnd(xml, first.index);
  return end === undefined ? undefined : { name: first[1], start: first.index, end };
}

/** Broken variants of a valid instance, each of a kind a schema must refuse or may accept: both schemas have to agree. */
function variants(xml: string): [string, string][] {
  const result: [string, string][] = [];
  const leaf = /<([A-Za-z][\w.-]*)(?:\s[^>]*)?>([^<]+)<\/\1>/.exec(xml);
  if (leaf) {
    const textStart = leaf.index + leaf[0].indexOf('>') + 1;
    result.push(['overlong first value', `${xml.slice(0, textStart)}${'X'.repeat(300)}${xml.slice(textStart + leaf[2].length)}`]);
    result.push(['empty first value', `${xml.slice(0, textStart)}${xml.slice(textStart + leaf[2].length)}`]);
  }
  const child = firstChild(xml);
  if (child) {
    const element = xml.slice(child.start, child.end);
    result.push(['first element removed', xml.slice(0, child.start) + xml.slice(child.end)]);
    result.push(['first element twice', xml.slice(0, child.end) + element + xml.slice(child.end)]);
    result.push(['unknown element first', `${xml.slice(0, child.start)}<Unknown>1</Unknown>${xml.slice(child.start)}`]);
    result.push(['elements swapped', swapFirstTwo(xml, child)]);
  }
  if (/Ccy="[A-Z]{3}"/.test(xml)) result.push(['lower-case currency', xml.replace(/Ccy="([A-Z]{3})"/, (_, code: string) => `Ccy="${code.toLowerCase()}"`)]);
  return result;
}

function swapFirstTwo(xml: string, first: { start: number; end: number }): string {
  const next = /<([A-Za-z][\w.-]*)[\s>/]/g;
  next.lastIndex = first.end;
  const second = next.exec(xml);
  if (!second) return xml;
  const secondEnd = elementEnd(xml, second.index);
  if (secondEnd === undefined) return xml;
  return xml.slice(0, first.start) + xml.slice(second.index, secondEnd) + xml.slice(first.end, second.index) + xml.slice(first.start, first.end) + xml.slice(secondEnd);
}

describeOfficial('every official ISO 20022 XSD', () => {
  let catalogue: Catalogue;
  // Versions with an instance their original XSD accepts, for the round trip.
  const accepted: { file: string; messageId: string; xml: string }[] = [];
  const namespaces = new Set<string>();

  it('loads every one into the model, and the generated XSD matches the original', () => {
    const failures: string[] = [];
    let loaded = 0;
    for (const file of files) {
      const original = read(file);
      try {
        const definition = readXsd(original);
        namespaces.add(definition.namespace);
        const differences = compareXsd(original, generateXsd(resolveMessage(definition, {})));
        if (differences.length === 0) loaded++;
        else failures.push(`${file}: ${differences.slice(0, 3).map(formatDifference).join('; ')}`);
      } catch (error) {
        failures.push(`${file}: ${(error as Error).message.slice(0, 500)}`);
      }
    }
    console.log(`official XSDs loaded and matching: ${loaded} of ${files.length}`);
    expect(failures).toEqual([]);
    expect(loaded).toBe(files.length);
  });

  it('reads the whole folder as a catalogue, every version with a JSON Schema that is valid 2020-12 and resolves every $ref, one in ten compiled by strict ajv', async () => {
    catalogue = await loadCatalogue({ overridesDir: officialXsdDir });
    const overrides = catalogue.entries().filter((entry) => entry.source === 'override');
    // One entry per namespace: acmt.001.001.01.xsd declares the namespace of acmt.001.001.02, and the later file wins.
    expect(overrides).toHaveLength(namespaces.size);
    const metaSchema = new Ajv2020({ strict: true, allErrors: true });
    const failures: string[] = [];
    let refs = 0;
    overrides.forEach((entry, index) => {
      const schema = entry.jsonSchema as { $ref: string; $defs: Record<string, unknown> };
      if (schema.$ref !== `#/$defs/${entry.schema.rootType}`) failures.push(`${entry.messageId}: root $ref ${schema.$ref}`);
      if (!metaSchema.validateSchema(schema)) failures.push(`${entry.messageId}: not a JSON Schema 2020-12: ${metaSchema.errorsText(metaSchema.errors)}`);
      // Every $ref names a definition of the same schema.
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [key, value] of Object.entries(node)) {
            if (key !== '$ref') walk(value);
            else {
              refs++;
              const name = /^#\/\$defs\/(.+)$/.exec(String(value))?.[1];
              if (name === undefined || !Object.hasOwn(schema.$defs, name)) failures.push(`${entry.messageId}: $ref ${String(value)} does not resolve`);
            }
          }
        }
      };
      walk(schema);
      // Compiling all of them with ajv takes minutes: one version in ten (the valid instances' versions are compiled below).
      if (index % 10 === 0 && validateJson(entry.messageId, {}, { catalogue }).valid) failures.push(`${entry.messageId}: the compiled schema accepts {}`);
    });
    console.log(`JSON Schemas: ${overrides.length} versions meta-validated, ${refs} $refs resolved, ${Math.ceil(overrides.length / 10)} compiled`);
    expect(failures).toEqual([]);
  });

  it('gets the same verdict from the generated and the original XSD on valid instances and broken variants, and round-trips every valid one losslessly', () => {
    const disagreements: string[] = [];
    const lossy: string[] = [];
    let verdicts = 0;
    const validVersions = new Set<string>();
    catalogue
      .entries()
      .filter((candidate) => candidate.source === 'override')
      .forEach((entry, index) => {
        const file = entry.origin as string;
        withValidator(read(file), (original) =>
          withValidator(entry.xsd, (generated) => {
            const candidates: [string, string][] = [
              ['minimal instance', minimalInstance(entry.schema)],
              ...instances.map(({ messageId, name, xml }): [string, string] => [`${messageId}/${name}`, moved(xml, entry.namespace)]),
            ];
            for (const [name, xml] of candidates) {
              const verdict = accepts(original, xml);
              verdicts++;
              if (accepts(generated, xml) !== verdict) disagreements.push(`${file}, ${name}: original says ${verdict ? 'valid' : 'invalid'}`);
              if (!verdict) continue;
              validVersions.add(file);
              for (const [variant, broken] of variants(xml)) {
                const expected = accepts(original, broken);
                verdicts++;
                if (accepts(generated, broken) !== expected) disagreements.push(`${file}, ${name}, ${variant}: original says ${expected ? 'valid' : 'invalid'}`);
              }
              // A header travels only beside a Document: its own round trip is covered by the fixtures with an AppHdr.
              if (entry.rootElement !== 'Document') continue;
              // The round trip, judged by the original XSD; ajv compiles a sample below (a minute for all of them).
              const json = toJson(xml, { catalogue });
              const written = toXml(entry.messageId, json.document, { catalogue });
              if (canonicalXml(written) !== canonicalXml(xml)) lossy.push(`${file}, ${name}: the round trip changes the message`);
              else if (!accepts(original, written)) lossy.push(`${file}, ${name}: the original XSD refuses the written XML`);
              if (name !== 'minimal instance' || index % 20 === 0) accepted.push({ file, messageId: entry.messageId, xml });
            }
          }),
        );
      });
    console.log(`differential validation: ${verdicts} verdicts over ${files.length} files, valid instances in ${validVersions.size} versions`);
    expect(disagreements).toEqual([]);
    expect(lossy).toEqual([]);
    expect(validVersions.size).toBe(namespaces.size);
  });

  it('validates, converts and checks against the JSON Schema a sample of the valid instances: the fixtures in every version, the minimal instance in one version of twenty', () => {
    const failures: string[] = [];
    for (const { file, messageId, xml } of accepted) {
      try {
        const parsed = parseMessage(xml, { catalogue });
        expect(parsed.messageId).toBe(messageId);
        const json = validateJson(messageId, parsed.document, { catalogue });
        if (!json.valid) failures.push(`${file}: JSON Schema refuses the JSON form: ${JSON.stringify(json.issues.slice(0, 3))}`);
        if (canonicalXml(toXml(messageId, parsed.document, { catalogue })) !== canonicalXml(xml)) failures.push(`${file}: the round trip changes the message`);
      } catch (error) {
        failures.push(`${file}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
    console.log(`full path and JSON Schema: ${accepted.length} valid instances`);
    expect(failures).toEqual([]);
  });
});
