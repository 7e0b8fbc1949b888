import { compareXsd } from '@mxflow/iso20022';
import { formatDifference } from '../src/schema/compare';
import { officialXsd } from './support/paths';

const official = officialXsd('pacs.008.001.08');

/** The official pacs.008 XSD with one textual change, checked to have happened. */
function altered(from: string | RegExp, to: string): string {
  const changed = official.replace(from, to);
  if (changed === official) throw new Error(`alteration ${String(from)} did not apply`);
  return changed;
}

const differencesOf = (actual: string): string[] => compareXsd(official, actual).map(formatDifference);

describe('compareXsd', () => {
  it('finds no difference between a schema and itself', () => {
    expect(differencesOf(official)).toEqual([]);
  });

  it('ignores type names, element declaration order of types and facet order', () => {
    const reordered = official
      .replace(/"Max35Text"/g, '"Text35"')
      .replace('<xs:fractionDigits value="5"/>\n            <xs:totalDigits value="18"/>', '<xs:totalDigits value="18"/>\n            <xs:fractionDigits value="5"/>');
    expect(differencesOf(reordered)).toEqual([]);
  });

  it.each([
    [
      'a changed maxLength',
      () => altered(/(<xs:simpleType name="Max35Text">[\s\S]*?)<xs:maxLength value="35"\/>/, '$1<xs:maxLength value="36"/>'),
      'Document/FIToFICstmrCdtTrf/GrpHdr/MsgId: maxLength 35 ≠ 36',
    ],
    [
      'a changed maxOccurs',
      () => altered('<xs:element maxOccurs="unbounded" minOccurs="1" name="CdtTrfTxInf"', '<xs:element maxOccurs="1" minOccurs="1" name="CdtTrfTxInf"'),
      'Document/FIToFICstmrCdtTrf/CdtTrfTxInf: maxOccurs unbounded ≠ 1',
    ],
    [
      'a changed minOccurs',
      () => altered('<xs:element name="NbOfTxs" type="Max15NumericText"/>', '<xs:element minOccurs="0" name="NbOfTxs" type="Max15NumericText"/>'),
      'Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs: minOccurs 1 ≠ 0',
    ],
    [
      'a choice turned into a sequence',
      () => altered(/(<xs:complexType name="AccountIdentification4Choice">\s*)<xs:choice>([\s\S]*?)<\/xs:choice>/, '$1<xs:sequence>$2</xs:sequence>'),
      'Document/FIToFICstmrCdtTrf/GrpHdr/SttlmInf/SttlmAcct/Id: content choice ≠ sequence',
    ],
    [
      'a removed enumeration value',
      () => altered('<xs:enumeration value="SLEV"/>', ''),
      'Document/FIToFICstmrCdtTrf/CdtTrfTxInf/ChrgBr: enumeration lacks SLEV',
    ],
    [
      'a changed pattern',
      () => altered('<xs:pattern value="[A-Z]{3,3}"/>', '<xs:pattern value="[A-Z]{3}"/>'),
      'pattern [A-Z]{3,3} ≠ [A-Z]{3}',
    ],
    [
      'a changed totalDigits',
      () => altered(/(<xs:simpleType name="ActiveCurrencyAndAmount_SimpleType">[\s\S]*?)<xs:totalDigits value="18"\/>/, '$1<xs:totalDigits value="17"/>'),
      'totalDigits 18 ≠ 17',
    ],
    [
      'a changed wildcard',
      () => altered('<xs:any namespace="##any" processContents="lax"/>', '<xs:any namespace="##other" processContents="lax"/>'),
      'SplmtryData/Envlp/##any: wildcard namespace ##any ≠ ##other',
    ],
    [
      'two elements swapped',
      () => altered(/(<xs:element name="MsgId" type="Max35Text"\/>)(\s*)(<xs:element name="CreDtTm" type="ISODateTime"\/>)/, '$3$2$1'),
      'Document/FIToFICstmrCdtTrf/GrpHdr: element order MsgId, CreDtTm, BtchBookg',
    ],
    [
      'a removed element',
      () => altered(/<xs:element maxOccurs="1" minOccurs="0" name="BtchBookg" type="BatchBookingIndicator"\/>/, ''),
      'Document/FIToFICstmrCdtTrf/GrpHdr/BtchBookg: element missing',
    ],
    [
      'a removed attribute',
      () => altered(/(<xs:complexType name="ActiveCurrencyAndAmount">[\s\S]*?)<xs:attribute name="Ccy" type="ActiveCurrencyCode" use="required"\/>/, '$1'),
      '@Ccy: attribute missing',
    ],
    [
      'a missing type',
      () => altered(/<xs:complexType name="GroupHeader93">[\s\S]*?<\/xs:complexType>/, ''),
      'Document/FIToFICstmrCdtTrf/GrpHdr: type GroupHeader93 is not defined',
    ],
  ])('names the path of %s', (_what, alter, expected) => {
    const differences = differencesOf(alter());
    expect(differences.length).toBeGreaterThan(0);
    expect(differences.some((difference) => difference.includes(expected))).toBe(true);
  });

  it('reports exactly one difference for one change, at the first path that reaches it', () => {
    expect(differencesOf(altered('<xs:enumeration value="SLEV"/>', ''))).toEqual(['Document/FIToFICstmrCdtTrf/CdtTrfTxInf/ChrgBr: enumeration lacks SLEV']);
  });
});
