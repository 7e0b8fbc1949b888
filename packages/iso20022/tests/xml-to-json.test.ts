import { parseMessage, toJson, validateXml, type JsonObject } from '@mxflow/iso20022';
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

  it('reads markup the reader must step over: a > in an attribute, comments and processing instructions in content', () => {
    const xml = withoutWildcards
      .replace('<IntrBkSttlmAmt Ccy="EUR">', '<IntrBkSttlmAmt note="a>b" Ccy="EUR">')
      .replace('<Nm>Dupont SARL</Nm>', '<Nm>Dupont<!-- <Nm>x</Nm> --> SARL<?note </Nm> ?></Nm>')
      .replace('<GrpHdr>', '<GrpHdr><?keep <GrpHdr> ?>');
    // toJson: the extra attribute is not schema-valid, and the reader must not need it to be.
    const transfer = firstTransfer(toJson(xml).document);
    expect(transfer.IntrBkSttlmAmt).toEqual({ value: '1000.00', Ccy: 'EUR' });
    expect(object(transfer.Cdtr).Nm).toBe('Dupont SARL');
  });

  it('reads prefixed elements and a prefixed attribute by their local names', () => {
    const prefixed = withoutWildcards.replace(/<(\/?)([A-Za-z]+)([\s>/])/g, '<$1p:$2$3').replace('xmlns="', 'xmlns:p="').replace(/Ccy="/g, 'p:Ccy="');
    expect(toJson(prefixed).document).toEqual(parseMessage(withoutWildcards).document);
  });

  it('passes over an element the model does not have, with nested elements of a known name', () => {
    const document = toJson(withoutWildcards.replace('<MsgId>', '<Xtra><MsgId>NOT-THIS</MsgId><Xtra/></Xtra><MsgId>')).document;
    expect(object(object(document.FIToFICstmrCdtTrf).GrpHdr).MsgId).not.toBe('NOT-THIS');
    expect(object(document.FIToFICstmrCdtTrf).GrpHdr).toEqual(object(parseMessage(withoutWildcards).document.FIToFICstmrCdtTrf).GrpHdr);
  });
});
