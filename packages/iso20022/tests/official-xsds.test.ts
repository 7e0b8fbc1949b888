import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';
import { compareXsd, generateXsd, loadCatalogue, parseMessage, readXsd, resolveMessage, toXml, validateJson, type Catalogue } from '@mxflow/iso20022';
import { formatDifference } from '../src/schema/compare';
import { canonicalXml } from './support/canonical';
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
  const closing = `</${first[1]}>`;
  const end = xml.indexOf(closing, first.index);
  return end === -1 ? undefined : { name: first[1], start: first.index, end: end + closing.length };
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
  const closing = `</${second[1]}>`;
  const end = xml.indexOf(closing, second.index);
  if (end === -1) return xml;
  const secondEnd = end + closing.length;
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

  it('reads the whole folder as a catalogue, every version with its JSON Schema, one in ten compiled by strict ajv', async () => {
    catalogue = await loadCatalogue({ overridesDir: officialXsdDir });
    const overrides = catalogue.entries().filter((entry) => entry.source === 'override');
    // One entry per namespace: acmt.001.001.01.xsd declares the namespace of acmt.001.001.02, and the later file wins.
    expect(overrides).toHaveLength(namespaces.size);
    overrides.forEach((entry, index) => {
      expect(entry.jsonSchema.$ref).toBe(`#/$defs/${entry.schema.rootType}`);
      // Compiling all of them with ajv takes about a minute: one version in ten (the valid instances' versions are compiled below).
      if (index % 10 === 0) expect(validateJson(entry.messageId, {}, { catalogue }).valid).toBe(false);
    });
  });

  it('gets the same verdict from the generated and the original XSD, for every fixture moved into every version and broken variants of the valid ones', () => {
    const disagreements: string[] = [];
    let verdicts = 0;
    for (const entry of catalogue.entries().filter((candidate) => candidate.source === 'override')) {
      const file = entry.origin as string;
      withValidator(read(file), (original) =>
        withValidator(entry.xsd, (generated) => {
          for (const instance of instances) {
            const xml = moved(instance.xml, entry.namespace);
            const verdict = accepts(original, xml);
            const cases: [string, string][] = [[`${instance.messageId}/${instance.name}`, xml], ...(verdict ? variants(xml) : [])];
            if (verdict) accepted.push({ file, messageId: entry.messageId, xml });
            for (const [name, candidate] of cases) {
              const expected = candidate === xml ? verdict : accepts(original, candidate);
              verdicts++;
              if (accepts(generated, candidate) !== expected) disagreements.push(`${file}, ${name}: original says ${expected ? 'valid' : 'invalid'}`);
            }
          }
        }),
      );
    }
    console.log(`differential validation: ${verdicts} instances over ${files.length} versions, ${accepted.length} valid instances in ${new Set(accepted.map(({ file }) => file)).size} versions`);
    expect(disagreements).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);
  });

  it('converts every valid instance to a JSON form its JSON Schema accepts, and back to the same XML the original accepts', () => {
    const failures: string[] = [];
    for (const { file, messageId, xml } of accepted) {
      try {
        const parsed = parseMessage(xml, { catalogue });
        expect(parsed.messageId).toBe(messageId);
        const json = validateJson(messageId, parsed.document, { catalogue });
        if (!json.valid) failures.push(`${file}: JSON Schema refuses the JSON form: ${JSON.stringify(json.issues.slice(0, 3))}`);
        const written = toXml(messageId, parsed.document, { catalogue });
        if (canonicalXml(written) !== canonicalXml(xml)) failures.push(`${file}: the round trip changes the message`);
        if (!withValidator(read(file), (original) => accepts(original, written))) failures.push(`${file}: the original XSD refuses the written XML`);
      } catch (error) {
        failures.push(`${file}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
