import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ModelIncompleteError,
  XsdUnsupportedError,
  builtinCatalogue,
  generateCodecRules,
  loadCatalogue,
  parseMessage,
  repeatingElements,
  resolveMessage,
  validateJson,
  validateXml,
  xsdFor,
} from '@mxflow/iso20022';
import { documentMessage, seq, text } from '../src/model/dsl';
import { engineFixture, officialXsd } from './support/paths';

const pacs008 = engineFixture('pacs.008.001.08.xml');

/** The pacs.008 XSD generated from the model, with Max35Text restricted to 16 characters, as a usage guideline would. */
const restrictedPacs008 = (): string => {
  const xsd = xsdFor('pacs.008.001.08');
  const restricted = xsd.replace(/(<xs:simpleType name="Max35Text">[\s\S]*?<xs:maxLength value=")35("\/>)/, '$116$2');
  if (restricted === xsd) throw new Error('restriction did not apply');
  return restricted;
};

describe('loadCatalogue', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'iso20022-overrides-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds every built-in message by namespace', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.entries().map((entry) => entry.messageId).sort()).toEqual([
      'camt.029.001.09',
      'camt.052.001.08',
      'camt.053.001.08',
      'camt.054.001.08',
      'camt.056.001.08',
      'camt.060.001.05',
      'head.001.001.02',
      'pacs.002.001.10',
      'pacs.004.001.09',
      'pacs.008.001.08',
      'pacs.028.001.03',
      'pain.001.001.09',
      'pain.002.001.10',
      'pain.013.001.07',
      'pain.014.001.07',
    ]);
    expect(catalogue.byNamespace('urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08')?.source).toBe('builtin');
  });

  it('lets an operator XSD override a message, and validation follows it', async () => {
    writeFileSync(path.join(dir, 'cbpr-pacs.008.xsd'), restrictedPacs008());
    const catalogue = await loadCatalogue({ overridesDir: dir });
    const entry = catalogue.get('pacs.008.001.08');
    expect(entry).toMatchObject({ source: 'override', origin: 'cbpr-pacs.008.xsd' });

    // MXF-20260301-0001 is 17 characters: fine for ISO, too long for the guideline.
    expect(validateXml(pacs008).valid).toBe(true);
    const result = validateXml(pacs008, { catalogue });
    expect(result.valid).toBe(false);
    expect(result.issues[0]).toMatchObject({ path: '/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId', message: expect.stringContaining("'16'") });

    const shortened = pacs008.replace('MXF-20260301-0001', 'MXF-0001').replace('Frankfurt am Main', 'Frankfurt');
    expect(parseMessage(shortened, { catalogue }).messageId).toBe('pacs.008.001.08');
    expect(validateJson('pacs.008.001.08', parseMessage(pacs008).document, { catalogue }).issues).toContainEqual({
      path: '/FIToFICstmrCdtTrf/GrpHdr/MsgId',
      message: 'must NOT have more than 16 characters',
    });
    expect(validateJson('pacs.008.001.08', parseMessage(pacs008).document).issues).toEqual([]);
    expect(xsdFor('pacs.008.001.08', { catalogue })).toContain('<xs:maxLength value="16"/>');
  });

  it('adds a message the model does not have', async () => {
    writeFileSync(path.join(dir, 'pacs.002.001.12.xsd'), officialXsd('pacs.002.001.12'));
    const catalogue = await loadCatalogue({ overridesDir: dir });
    expect(catalogue.get('pacs.002.001.12')).toMatchObject({ source: 'override', messageType: 'pacs.002' });
    expect(builtinCatalogue().byNamespace('urn:iso:std:iso:20022:tech:xsd:pacs.002.001.12')).toBeUndefined();
  });

  it('refuses an override it cannot read faithfully, naming the file', async () => {
    writeFileSync(path.join(dir, 'broken.xsd'), restrictedPacs008().replace('<xs:element name="Document" type="Document"/>', '<xs:include schemaLocation="x.xsd"/><xs:element name="Document" type="Document"/>'));
    await expect(loadCatalogue({ overridesDir: dir })).rejects.toThrow(XsdUnsupportedError);
    await expect(loadCatalogue({ overridesDir: dir })).rejects.toThrow('broken.xsd');
  });
});

describe('message resolution', () => {
  it('names every type the model lacks', () => {
    const message = documentMessage('pacs.999.001.01', 'Root', 'RootType');
    const error = (() => {
      try {
        resolveMessage(message, { RootType: seq({ A: 'Max35Text', B: 'Missing1', C: 'Missing2*' }), Max35Text: text({ maxLength: 35 }) });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ModelIncompleteError);
    expect((error as ModelIncompleteError).missingTypes).toEqual(['Missing1', 'Missing2']);
  });

  it('keeps only the types reachable from the root', () => {
    const xsd = xsdFor('pacs.028.001.03');
    expect(xsd).toContain('name="PaymentTransaction113"');
    expect(xsd).not.toContain('name="CreditTransferTransaction39"');
  });
});

describe('codec rules', () => {
  it('know which elements repeat', () => {
    const rules = builtinCatalogue().get('pacs.008.001.08').codec;
    const repeating = repeatingElements(rules);
    expect(repeating.FIToFICustomerCreditTransferV08).toEqual(['CdtTrfTxInf', 'SplmtryData']);
    expect(repeating.RemittanceInformation16).toEqual(['Ustrd', 'Strd']);
    expect(rules.rawElements).toEqual(new Set(['Envlp']));
  });

  it('know element order, attributes and value types', () => {
    const rules = generateCodecRules(builtinCatalogue().get('pacs.008.001.08').schema);
    const header = rules.types.get('GroupHeader93');
    expect(header?.kind === 'complex' && header.elements.slice(0, 3).map((element) => element.name)).toEqual(['MsgId', 'CreDtTm', 'BtchBookg']);
    expect(rules.types.get('ActiveCurrencyAndAmount')).toEqual({ kind: 'value', base: 'decimal', attributes: [{ name: 'Ccy', required: true }] });
    expect(rules.types.get('ISODate')).toEqual({ kind: 'simple', base: 'date' });
  });
});
