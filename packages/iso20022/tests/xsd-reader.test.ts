import { compareXsd, describeXsd, generateXsd, readXsd, resolveMessage, XsdUnsupportedError } from '@mxflow/iso20022';
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
    ['an anonymous type', '<xs:complexType name="Extra"><xs:sequence><xs:element name="A"><xs:complexType/></xs:element></xs:sequence></xs:complexType>', 'anonymous type'],
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
