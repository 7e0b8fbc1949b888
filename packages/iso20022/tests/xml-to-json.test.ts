import { parseMessage, toJson, validateXml, type JsonObject } from '@mxflow/iso20022';
import { withoutBlankRuns } from '../src/codec/xml-to-json';
import { resolveReferences } from '../src/xml/references';
import { engineFixture } from './support/paths';

const pacs008 = engineFixture('pacs.008.001.08.xml');
// The same message without its wildcard content: blank runs are then dropped before conversion.
const withoutWildcards = pacs008.replace(/<SplmtryData>[\s\S]*?<\/SplmtryData>\s*/g, '');

const object = (value: unknown): JsonObject => value as JsonObject;
const firstTransfer = (document: JsonObject): JsonObject => (object(document.FIToFICstmrCdtTrf).CdtTrfTxInf as JsonObject[])[0];
const creditorName = (xml: string): unknown => object(firstTransfer(parseMessage(xml).document).Cdtr).Nm;

describe('resolveReferences', () => {
  it.each([
    ['A &amp; B', 'A & B'],
    ['&lt;&gt;&quot;&apos;', `<>"'`],
    ['&#x41;&#66;&#x1F600;', 'AB😀'],
    ['&#x0000000041;', 'A'],
    ['&amp;#60;', '&#60;'],
    ['&#38;#x3C;', '&#x3C;'],
    ['&#38;lt;', '&lt;'],
    ['a & b; c', 'a & b; c'],
    ['&constructor;&toString;', '&constructor;&toString;'],
    ['&#x110000;', '&#x110000;'],
  ])('resolves %j to %j in one pass', (text, expected) => {
    expect(resolveReferences(text)).toBe(expected);
  });

  it('returns text without references as it is', () => {
    const text = 'no references here';
    expect(resolveReferences(text)).toBe(text);
  });

  it('leaves a long run of ampersands as it is', () => {
    const text = `${'&'.repeat(200_000)};`;
    expect(resolveReferences(text)).toBe(text);
  });
});

describe('withoutBlankRuns', () => {
  it('drops the indentation between elements', () => {
    expect(withoutBlankRuns('<a>\n  <b>x</b>\n  <c/>\n  <d> y </d>\n</a>\n')).toBe('<a><b>x</b><c/><d> y </d></a>\n');
  });

  it.each([
    ['the whole content of an element', '<a><b>   </b></a>'],
    ['blanks after text', '<a><b>x   </b></a>'],
    ['blanks after a `/>` in text', '<a><b>x />  </b></a>'],
    ['blanks after a `>` in text', '<a>x >  <c/></a>'],
    ['blanks after a `>` in an attribute value', '<a b="x>"> <c/></a>'],
  ])('keeps %s', (_what, xml) => {
    expect(withoutBlankRuns(xml)).toBe(xml);
  });
});

describe('XML to JSON, details', () => {
  it('gives the same JSON whether blank runs were dropped or not', () => {
    const plain = parseMessage(withoutWildcards).document;
    const withComment = parseMessage(withoutWildcards.replace('<GrpHdr>', '<GrpHdr><!-- keeps blank runs -->')).document;
    expect(plain).toEqual(withComment);
  });

  it('keeps a value made only of blanks', () => {
    expect(creditorName(withoutWildcards.replace('<Nm>Dupont SARL</Nm>', '<Nm>   </Nm>'))).toBe('   ');
  });

  it('keeps CDATA content as written, references included', () => {
    expect(creditorName(withoutWildcards.replace('<Nm>Dupont SARL</Nm>', '<Nm>Dupont <![CDATA[&amp; <Fils>]]> &amp; Cie</Nm>'))).toBe('Dupont &amp; <Fils> & Cie');
  });

  it('resolves references in attribute values', () => {
    const document = parseMessage(withoutWildcards.replace('<IntrBkSttlmAmt Ccy="EUR">', '<IntrBkSttlmAmt Ccy="E&#85;R">')).document;
    expect(firstTransfer(document).IntrBkSttlmAmt).toEqual({ value: '1000.00', Ccy: 'EUR' });
  });

  it('writes keys in model order when the input has them in another order', () => {
    const swapped = withoutWildcards.replace(/(<MsgId>[^<]*<\/MsgId>)(\s*)(<CreDtTm>[^<]*<\/CreDtTm>)/, '$3$2$1');
    const header = object(object(toJson(swapped).document.FIToFICstmrCdtTrf).GrpHdr);
    expect(Object.keys(header).slice(0, 2)).toEqual(['MsgId', 'CreDtTm']);
  });

  it('reads UTF-8 bytes with a byte order mark as it reads the string', () => {
    const invalid = pacs008.replace('<Nm>Dupont SARL</Nm>', '<Nm></Nm>');
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(invalid)]);
    expect(validateXml(bytes)).toEqual(validateXml(invalid));
    expect(validateXml(bytes).issues).toHaveLength(1);
    expect(toJson(bytes)).toEqual(toJson(invalid));
  });
});
