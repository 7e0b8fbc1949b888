import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compareXsd, describeXsd, generateXsd, loadCatalogue, parseMessage, readXsd, resolveMessage, toXml, validateJson, validateXml, XsdUnsupportedError } from '@mxflow/iso20022';
import { canonicalXml } from './support/canonical';
import { formatDifference } from '../src/schema/compare';
import { officialXsd, supportedMessages } from './support/paths';

describe('readXsd', () => {
  it.each(supportedMessages)('reads the official %s XSD into a model that generates the same structure', (messageId) => {
    const official = officialXsd(messageId);
    const definition = readXsd(official);
    expect(definition.id).toBe(messageId);
    const regenerated = generateXsd(resolveMessage(definition, {}));
    expect(compareXsd(official, regenerated).map(formatDifference)).toEqual([]);
  });

  it('flattens a simple type derived from another named simple type', () => {
    const xsd = `<?xml version="1.0"?>
<xs:schema xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.999.001.01" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="urn:iso:std:iso:20022:tech:xsd:pacs.999.001.01">
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document"><xs:sequence><xs:element name="Ref" type="Short"/></xs:sequence></xs:complexType>
  <xs:simpleType name="Long"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="35"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="Short"><xs:restriction base="Long"><xs:maxLength value="16"/></xs:restriction></xs:simpleType>
</xs:schema>`;
    expect(readXsd(xsd).localTypes.Short).toEqual({ kind: 'simple', base: 'string', facets: { minLength: 1, maxLength: 16 } });
  });

  it.each([
    ['an xs:include', '<xs:include schemaLocation="other.xsd"/>', 'top-level xs:include'],
    ['a repeating group', '<xs:complexType name="R"><xs:sequence><xs:choice maxOccurs="2"><xs:element name="A" type="T"/><xs:element name="B" type="T"/></xs:choice></xs:sequence></xs:complexType>', 'a repeating xs:choice group'],
    ['a wildcard among elements', '<xs:complexType name="W"><xs:sequence><xs:element name="A" type="T"/><xs:any namespace="##any"/></xs:sequence></xs:complexType>', 'a wildcard among elements'],
    ['xs:anyType', '<xs:complexType name="N"><xs:sequence><xs:element name="A" type="xs:anyType"/></xs:sequence></xs:complexType>', 'built-in type xs:anyType is not supported'],
    ['a union', '<xs:simpleType name="U"><xs:union memberTypes="xs:string"/></xs:simpleType>', 'simple type other than a restriction'],
    ['a default value', '<xs:complexType name="D"><xs:sequence><xs:element name="A" type="xs:string" default="x"/></xs:sequence></xs:complexType>', 'attribute default'],
  ])('refuses %s rather than dropping it', (_what, construct, reason) => {
    const xsd = `<xs:schema xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.999.001.01" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="urn:iso:std:iso:20022:tech:xsd:pacs.999.001.01">
  <xs:element name="Document" type="Document"/>
  <xs:complexType name="Document"><xs:sequence><xs:element name="Ref" type="T"/></xs:sequence></xs:complexType>
  <xs:simpleType name="T"><xs:restriction base="xs:string"/></xs:simpleType>
  ${construct}
</xs:schema>`;
    expect(() => readXsd(xsd)).toThrow(XsdUnsupportedError);
    expect(() => readXsd(xsd)).toThrow(reason);
  });

  describe('constructs of other generations and areas', () => {
    // A message of an area the model does not ship, in the first-generation namespace, using every construct at once.
    const xsd = `<?xml version="1.0"?>
<xs:schema xmlns="urn:iso:std:iso:20022:xsd:semt.999.001.01" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="urn:iso:std:iso:20022:xsd:semt.999.001.01">
  <xs:element name="Document">
    <xs:complexType><xs:sequence><xs:element name="Rpt" type="Report1"/></xs:sequence></xs:complexType>
  </xs:element>
  <xs:complexType name="Report1">
    <xs:sequence>
      <xs:element name="Id" type="xs:ID"/>
      <xs:choice>
        <xs:element name="Prd" type="ISOYearMonth"/>
        <xs:element name="Mnth" type="ISOMonth"/>
      </xs:choice>
      <xs:element name="Flg" type="xs:boolean" minOccurs="0"/>
      <xs:element name="Qty" minOccurs="0">
        <xs:simpleType><xs:restriction base="xs:decimal"><xs:maxExclusive value="100"/></xs:restriction></xs:simpleType>
      </xs:element>
      <xs:element name="Sgntr" type="Max70Text" minOccurs="0" maxOccurs="2"/>
      <xs:element name="Envlp" type="Signature" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="Signature"><xs:sequence><xs:element name="Sgntr" type="SkipPayload"/></xs:sequence></xs:complexType>
  <xs:complexType name="SkipPayload"><xs:sequence><xs:any namespace="##any" processContents="skip"/></xs:sequence></xs:complexType>
  <xs:simpleType name="ISOYearMonth"><xs:restriction base="xs:gYearMonth"/></xs:simpleType>
  <xs:simpleType name="ISOMonth"><xs:restriction base="xs:gMonth"/></xs:simpleType>
  <xs:simpleType name="Max70Text"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="70"/></xs:restriction></xs:simpleType>
</xs:schema>`;

    it('reads a choice inside a sequence, anonymous types, built-ins used directly and gYearMonth/gMonth bases', () => {
      const definition = readXsd(xsd);
      expect(definition).toMatchObject({ id: 'semt.999.001.01', namespace: 'urn:iso:std:iso:20022:xsd:semt.999.001.01', rootElement: 'Document' });
      expect(compareXsd(xsd, generateXsd(resolveMessage(definition, {}))).map(formatDifference)).toEqual([]);
    });

    it('detects, validates and converts such a message, an element name holding both wildcard and structured content', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'xsd-reader-'));
      try {
        writeFileSync(path.join(dir, 'semt.999.001.01.xsd'), xsd);
        const catalogue = await loadCatalogue({ overridesDir: dir });
        const xml = `<Document xmlns="urn:iso:std:iso:20022:xsd:semt.999.001.01"><Rpt><Id>R1</Id><Mnth>--03</Mnth><Flg>true</Flg><Qty>99.5</Qty><Sgntr>A &amp; B</Sgntr><Envlp><Sgntr><s:Sig xmlns:s="urn:example:sig">x</s:Sig></Sgntr></Envlp></Rpt></Document>`;
        const parsed = parseMessage(xml, { catalogue });
        expect(parsed.document).toEqual({
          Rpt: { Id: 'R1', Mnth: '--03', Flg: 'true', Qty: '99.5', Sgntr: ['A & B'], Envlp: { Sgntr: '<s:Sig xmlns:s="urn:example:sig">x</s:Sig>' } },
        });
        expect(validateJson('semt.999.001.01', parsed.document, { catalogue }).valid).toBe(true);
        expect(canonicalXml(toXml('semt.999.001.01', parsed.document, { catalogue }))).toBe(canonicalXml(xml));
        // The choice takes exactly one of its elements, in the XML and in the JSON form.
        const both = xml.replace('<Mnth>--03</Mnth>', '<Prd>2026-03</Prd><Mnth>--03</Mnth>');
        expect(validateXml(both, { catalogue }).valid).toBe(false);
        const rpt = (parsed.document as { Rpt: Record<string, unknown> }).Rpt;
        expect(validateJson('semt.999.001.01', { Rpt: { ...rpt, Prd: '2026-03' } }, { catalogue }).valid).toBe(false);
        expect(validateJson('semt.999.001.01', { Rpt: { Id: 'R1' } }, { catalogue }).valid).toBe(false);
        expect(validateXml(xml.replace('99.5', '100'), { catalogue }).valid).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('refuses a schema outside the ISO 20022 message namespaces', () => {
    const xsd = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified" targetNamespace="urn:example"><xs:element name="Document" type="xs:string"/></xs:schema>';
    expect(() => readXsd(xsd)).toThrow('is not an ISO 20022 message namespace');
  });

  it('describes the official pacs.008 global element and its types', () => {
    const description = describeXsd(officialXsd('pacs.008.001.08'));
    expect(description.elements.get('Document')).toBe('Document');
    expect(description.types.get('Max35Text')).toEqual({ kind: 'simple', base: 'xs:string', facets: { minLength: ['1'], maxLength: ['35'] } });
    expect(description.unsupported).toEqual([]);
  });
});
