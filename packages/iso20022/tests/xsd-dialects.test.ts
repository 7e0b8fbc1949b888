import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import {
  UnsupportedMessageError,
  XsdUnsupportedError,
  compareXsd,
  detectMessage,
  generateXsd,
  jsonSchemaFor,
  loadCatalogue,
  parseMessage,
  readXsd,
  resolveMessage,
  toJson,
  toXml,
  validateJson,
  validateXml,
  type Catalogue,
} from '@mxflow/iso20022';
import { formatDifference } from '../src/schema/compare';
import { messageIdOfNamespace } from '../src/schema/namespaces';
import { canonicalXml } from './support/canonical';

const XS = 'http://www.w3.org/2001/XMLSchema';

/** Libxml2's verdict on `xml` against the schema `xsd` as written; throws when libxml2 cannot compile `xsd`. */
function libxml2Accepts(xsd: string, xml: string): boolean {
  const schema = XmlDocument.fromString(xsd);
  try {
    const validator = XsdValidator.fromDoc(schema);
    const instance = XmlDocument.fromString(xml);
    try {
      validator.validate(instance);
      return true;
    } catch {
      return false;
    } finally {
      instance.dispose();
      validator.dispose();
    }
  } finally {
    schema.dispose();
  }
}

/** A schema head in the given target namespace, written the way each dialect's files write it. */
const schemaHead = (namespace: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xs:schema xmlns="${namespace}" xmlns:xs="${XS}" elementFormDefault="qualified" targetNamespace="${namespace}">`;

// An ATM-style message whose code lists document every code, as the caam and catp schemas do: annotations inside facets.
const caamNamespace = 'urn:iso:std:iso:20022:tech:xsd:caam.999.001.01';
const caamXsd = `${schemaHead(caamNamespace)}
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document"><xs:sequence><xs:element name="ATMTstReq" type="ATMTestRequestV01"/></xs:sequence></xs:complexType>
  <xs:complexType name="ATMTestRequestV01">
    <xs:sequence>
      <xs:element name="Id" type="Max35Text"/>
      <xs:element name="SvcTp" type="ATMServiceType99Code" maxOccurs="unbounded"/>
      <xs:element name="Amt" type="ImpliedCurrencyAndAmount" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:simpleType name="ATMServiceType99Code">
    <xs:restriction base="xs:string">
      <xs:enumeration value="DPSN">
        <xs:annotation><xs:documentation>Deposit of notes.</xs:documentation></xs:annotation>
      </xs:enumeration>
      <xs:enumeration value="PINC">
        <xs:annotation>
          <xs:appinfo><name>PINChange</name></xs:appinfo>
          <xs:documentation>Change of the PIN.</xs:documentation>
        </xs:annotation>
      </xs:enumeration>
      <xs:enumeration value="BLCQ"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="Max35Text">
    <xs:restriction base="xs:string">
      <xs:minLength value="1"><xs:annotation><xs:documentation>Not empty.</xs:documentation></xs:annotation></xs:minLength>
      <xs:maxLength value="35"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:simpleType name="ImpliedCurrencyAndAmount">
    <xs:restriction base="xs:decimal">
      <xs:fractionDigits value="5"><xs:annotation><xs:appinfo>amount</xs:appinfo></xs:annotation></xs:fractionDigits>
      <xs:totalDigits value="18"/>
      <xs:minInclusive value="0"><xs:annotation/></xs:minInclusive>
    </xs:restriction>
  </xs:simpleType>
</xs:schema>`;

// A securities message in the legacy SWIFT namespace, its message root named after the message as the early SWIFT schemas did.
const seseNamespace = 'urn:swift:xsd:sese.999.002.01';
const seseXsd = `${schemaHead(seseNamespace)}
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document"><xs:sequence><xs:element name="sese.999.002.01" type="Sese99900201"/></xs:sequence></xs:complexType>
  <xs:complexType name="Sese99900201">
    <xs:sequence>
      <xs:element name="TxId" type="Max16Text"/>
      <xs:element name="SttlmQty" type="Quantity1Choice"/>
      <xs:element name="SttlmAmt" type="ActiveCurrencyAndAmount" minOccurs="0"/>
      <xs:element name="Pmt" type="DeliveryReceipt1Code"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Quantity1Choice">
    <xs:choice>
      <xs:element name="Unit" type="DecimalNumber"/>
      <xs:element name="FaceAmt" type="DecimalNumber"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="ActiveCurrencyAndAmount">
    <xs:simpleContent>
      <xs:extension base="ActiveCurrencyAndAmount_SimpleType"><xs:attribute name="Ccy" type="ActiveCurrencyCode" use="required"/></xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:simpleType name="ActiveCurrencyAndAmount_SimpleType"><xs:restriction base="xs:decimal"><xs:fractionDigits value="5"/><xs:totalDigits value="18"/><xs:minInclusive value="0"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="ActiveCurrencyCode"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{3,3}"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="DecimalNumber"><xs:restriction base="xs:decimal"><xs:fractionDigits value="17"/><xs:totalDigits value="18"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Max16Text"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="16"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="DeliveryReceipt1Code">
    <xs:restriction base="xs:string">
      <xs:enumeration value="APMT"><xs:annotation><xs:documentation>Against payment.</xs:documentation></xs:annotation></xs:enumeration>
      <xs:enumeration value="FREE"/>
    </xs:restriction>
  </xs:simpleType>
</xs:schema>`;

const caamXml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${caamNamespace}">
  <ATMTstReq><Id>ATM-0001</Id><SvcTp>DPSN</SvcTp><SvcTp>PINC</SvcTp><Amt>250.5</Amt></ATMTstReq>
</Document>`;

// SWIFT's own examples write the Document with a prefix.
const seseXml = `<?xml version="1.0" encoding="UTF-8"?>
<Doc:Document xmlns:Doc="${seseNamespace}">
  <Doc:sese.999.002.01>
    <Doc:TxId>TX-7781</Doc:TxId>
    <Doc:SttlmQty><Doc:Unit>1500</Doc:Unit></Doc:SttlmQty>
    <Doc:SttlmAmt Ccy="EUR">10250.75</Doc:SttlmAmt>
    <Doc:Pmt>APMT</Doc:Pmt>
  </Doc:sese.999.002.01>
</Doc:Document>`;

describe('message namespaces of every dialect', () => {
  it.each([
    ['urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08', 'pacs.008.001.08'],
    ['urn:iso:std:iso:20022:xsd:pain.001.001.01', 'pain.001.001.01'],
    ['urn:swift:xsd:sese.023.002.01', 'sese.023.002.01'],
    ['urn:swift:xsd:semt.018.000.01', 'semt.018.000.01'],
    ['urn:swift:xsd:$pain.008.002.01', 'pain.008.002.01'],
  ])('reads the message identifier of %s', (namespace, messageId) => {
    expect(messageIdOfNamespace(namespace)).toBe(messageId);
  });

  it.each(['urn:swift:xsd:$ahV10', 'urn:swift:xsd:sese.023.002', 'urn:swift:xsd:sese.023.002.01:extra', 'urn:example:sese.023.002.01', 'urn:swift:xsd:', ''])(
    'finds no message identifier in %j',
    (namespace) => {
      expect(messageIdOfNamespace(namespace)).toBeUndefined();
    },
  );
});

describe.each([
  ['annotated facets (caam, catp)', 'caam.999.001.01', caamNamespace, caamXsd, caamXml],
  ['the legacy SWIFT namespace (sese, semt)', 'sese.999.002.01', seseNamespace, seseXsd, seseXml],
])('an XSD with %s', (_what, messageId, namespace, xsd, xml) => {
  let dir: string;
  let catalogue: Catalogue;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'xsd-dialects-'));
    writeFileSync(path.join(dir, `${messageId}.xsd`), xsd);
    catalogue = await loadCatalogue({ overridesDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a schema libxml2 compiles, and it accepts the instance', () => {
    expect(libxml2Accepts(xsd, xml)).toBe(true);
  });

  it('reads into the model, and the XSD generated from it has the same structure', () => {
    const definition = readXsd(xsd);
    expect(definition).toMatchObject({ id: messageId, namespace, rootElement: 'Document', rootType: 'Document' });
    expect(compareXsd(xsd, generateXsd(resolveMessage(definition, {}))).map(formatDifference)).toEqual([]);
  });

  it('loads as a catalogue override keyed by its namespace', () => {
    const entry = catalogue.get(messageId);
    expect(entry).toMatchObject({ source: 'override', origin: `${messageId}.xsd`, namespace, messageType: messageId.split('.').slice(0, 2).join('.') });
    expect(catalogue.byNamespace(namespace)).toBe(entry);
  });

  it('detects the message from its namespace', () => {
    expect(detectMessage(xml, { catalogue })).toEqual({ messageId, messageType: messageId.split('.').slice(0, 2).join('.'), namespace });
    // Without the override the namespace is unknown, and the error names it.
    expect(() => detectMessage(xml)).toThrow(UnsupportedMessageError);
    expect(() => detectMessage(xml)).toThrow(`message ${messageId} is not supported`);
  });

  it('validates an instance, converts it to JSON and back to the same XML, which validates again', () => {
    expect(validateXml(xml, { catalogue })).toMatchObject({ valid: true, messageId, issues: [] });
    const parsed = parseMessage(xml, { catalogue });
    expect(parsed).toMatchObject({ messageId, namespace });
    expect(toJson(xml, { catalogue }).document).toEqual(parsed.document);
    expect(validateJson(messageId, parsed.document, { catalogue })).toEqual({ valid: true, issues: [] });
    const written = toXml(messageId, parsed.document, { catalogue });
    expect(written).toContain(`<Document xmlns="${namespace}">`);
    expect(canonicalXml(written)).toBe(canonicalXml(xml));
    expect(validateXml(written, { catalogue }).valid).toBe(true);
  });
});

describe('annotated facets', () => {
  it('keep every code of the enumeration, and validation refuses a code outside it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xsd-dialects-'));
    try {
      writeFileSync(path.join(dir, 'caam.xsd'), caamXsd);
      const catalogue = await loadCatalogue({ overridesDir: dir });
      expect(readXsd(caamXsd).localTypes.ATMServiceType99Code).toEqual({ kind: 'simple', base: 'string', facets: { enumeration: ['DPSN', 'PINC', 'BLCQ'] } });
      expect(readXsd(caamXsd).localTypes.ImpliedCurrencyAndAmount).toEqual({
        kind: 'simple',
        base: 'decimal',
        facets: { fractionDigits: 5, totalDigits: 18, minInclusive: '0' },
      });
      const result = validateXml(caamXml.replace('<SvcTp>PINC</SvcTp>', '<SvcTp>XXXX</SvcTp>'), { catalogue });
      expect(result.valid).toBe(false);
      expect(result.issues[0]).toMatchObject({ path: '/Document/ATMTstReq/SvcTp[2]', message: expect.stringContaining('enumeration') });
      expect(validateXml(caamXml.replace('<Id>ATM-0001</Id>', '<Id></Id>'), { catalogue }).valid).toBe(false);
      const json = parseMessage(caamXml, { catalogue }).document as { ATMTstReq: Record<string, unknown> };
      expect(validateJson('caam.999.001.01', { ATMTstReq: { ...json.ATMTstReq, SvcTp: ['XXXX'] } }, { catalogue }).valid).toBe(false);
      expect(JSON.stringify(jsonSchemaFor('caam.999.001.01', { catalogue }))).toContain('"enum":["DPSN","PINC","BLCQ"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const withFacet = (facet: string): string => `${schemaHead(caamNamespace)}
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document"><xs:sequence><xs:element name="Cd" type="Code1"/></xs:sequence></xs:complexType>
  <xs:simpleType name="Code1"><xs:restriction base="xs:string">${facet}<xs:enumeration value="BBBB"/></xs:restriction></xs:simpleType>
</xs:schema>`;

  it.each([
    ['an element other than xs:annotation in an enumeration', '<xs:enumeration value="AAAA"><xs:element name="X" type="xs:string"/></xs:enumeration>', "nested content in enumeration 'AAAA': xs:element"],
    ['a facet inside an enumeration', '<xs:enumeration value="AAAA"><xs:maxLength value="4"/></xs:enumeration>', "nested content in enumeration 'AAAA': xs:maxLength"],
    ['an element beside the annotation of an enumeration', '<xs:enumeration value="AAAA"><xs:annotation/><xs:pattern value="A+"/></xs:enumeration>', "nested content in enumeration 'AAAA': xs:pattern"],
    ['two annotations in an enumeration', '<xs:enumeration value="AAAA"><xs:annotation/><xs:annotation/></xs:enumeration>', "nested content in enumeration 'AAAA': more than one xs:annotation"],
    ['an annotation of an enumeration holding other than documentation or appinfo', '<xs:enumeration value="AAAA"><xs:annotation><xs:element name="X"/></xs:annotation></xs:enumeration>', "nested content in enumeration 'AAAA': xs:element in xs:annotation"],
    ['text in an enumeration', '<xs:enumeration value="AAAA">meaning A</xs:enumeration>', "nested content in enumeration 'AAAA': text"],
    ['an element in another facet', '<xs:maxLength value="4"><xs:simpleType/></xs:maxLength>', "nested content in maxLength '4': xs:simpleType"],
  ])('refuses %s, naming the type and the facet', (_what, facet, reason) => {
    const xsd = withFacet(facet);
    // Not XML Schema at all: libxml2 does not compile it either.
    expect(() => libxml2Accepts(xsd, '<Document/>')).toThrow();
    expect(() => readXsd(xsd)).toThrow(XsdUnsupportedError);
    expect(() => readXsd(xsd)).toThrow(`simpleType Code1: ${reason}`);
  });

  it('refuses such an override when loading the catalogue, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xsd-dialects-'));
    try {
      writeFileSync(path.join(dir, 'caam-broken.xsd'), withFacet('<xs:enumeration value="AAAA"><xs:element name="X" type="xs:string"/></xs:enumeration>'));
      await expect(loadCatalogue({ overridesDir: dir })).rejects.toThrow(/^caam-broken\.xsd: .*nested content in enumeration 'AAAA': xs:element/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the legacy SWIFT namespace', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'xsd-dialects-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is read with a $ before the identifier as well', async () => {
    const namespace = 'urn:swift:xsd:$semt.999.002.01';
    const xsd = seseXsd.replaceAll(seseNamespace, namespace);
    expect(readXsd(xsd)).toMatchObject({ id: 'semt.999.002.01', namespace });
    writeFileSync(path.join(dir, 'semt.xsd'), xsd);
    const catalogue = await loadCatalogue({ overridesDir: dir });
    const xml = seseXml.replaceAll(seseNamespace, namespace);
    expect(parseMessage(xml, { catalogue })).toMatchObject({ messageId: 'semt.999.002.01', messageType: 'semt.999', namespace });
  });

  it('names the versions the catalogue has when a document declares another one', async () => {
    writeFileSync(path.join(dir, 'sese.xsd'), seseXsd);
    const catalogue = await loadCatalogue({ overridesDir: dir });
    const other = seseXml.replaceAll(seseNamespace, 'urn:swift:xsd:sese.999.002.02');
    expect(() => detectMessage(other, { catalogue })).toThrow('message sese.999.002.02 is not supported; sese.999.002.01 is');
    // The same version in the ISO 20022 namespace is another message: the catalogue names the namespace it has.
    const iso = seseXml.replaceAll(seseNamespace, 'urn:iso:std:iso:20022:tech:xsd:sese.999.002.01');
    expect(() => detectMessage(iso, { catalogue })).toThrow(`message sese.999.002.01 is supported in namespace ${seseNamespace}`);
  });

  it('refuses an override that gives a message identifier of the catalogue a second namespace', async () => {
    const pacs = seseXsd.replaceAll(seseNamespace, 'urn:swift:xsd:pacs.008.001.08');
    writeFileSync(path.join(dir, 'pacs.008.swift.xsd'), pacs);
    await expect(loadCatalogue({ overridesDir: dir })).rejects.toThrow(
      'pacs.008.swift.xsd: message pacs.008.001.08 in namespace urn:swift:xsd:pacs.008.001.08 is already in the catalogue in namespace urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08 (built in)',
    );
    rmSync(path.join(dir, 'pacs.008.swift.xsd'));
    writeFileSync(path.join(dir, 'a.xsd'), seseXsd);
    writeFileSync(path.join(dir, 'b.xsd'), seseXsd.replaceAll(seseNamespace, 'urn:swift:xsd:$sese.999.002.01'));
    await expect(loadCatalogue({ overridesDir: dir })).rejects.toThrow('b.xsd: message sese.999.002.01 in namespace urn:swift:xsd:$sese.999.002.01 is already in the catalogue in namespace urn:swift:xsd:sese.999.002.01 (a.xsd)');
  });

  it('still requires qualified local elements', () => {
    expect(() => readXsd(seseXsd.replace(' elementFormDefault="qualified"', ''))).toThrow('elementFormDefault is not qualified');
  });
});
