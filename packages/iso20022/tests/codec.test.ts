import { JsonShapeError, parseMessage, toJson, toXml, validateXml, type JsonObject } from '@mxflow/iso20022';
import { canonicalXml } from './support/canonical';
import { engineFixture, messageFixtures } from './support/paths';

const pacs008 = engineFixture('pacs.008.001.08.xml');
const withAppHdr = engineFixture('pacs.028.001.03-with-apphdr.xml');

// Narrow helpers for reading the JSON form in assertions.
const object = (value: unknown): JsonObject => value as JsonObject;
const list = (value: unknown): JsonObject[] => value as JsonObject[];

describe('XML to JSON', () => {
  const parsed = parseMessage(pacs008);
  const message = object(parsed.document.FIToFICstmrCdtTrf);
  const transfers = list(message.CdtTrfTxInf);

  it('identifies the message by its namespace', () => {
    expect(parsed).toMatchObject({
      messageId: 'pacs.008.001.08',
      messageType: 'pacs.008',
      namespace: 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08',
    });
    expect(parsed.appHdr).toBeUndefined();
  });

  it('keeps amounts as strings with their currency attribute', () => {
    expect(transfers[0].IntrBkSttlmAmt).toEqual({ value: '1000.00', Ccy: 'EUR' });
    expect(object(message.GrpHdr).TtlIntrBkSttlmAmt).toEqual({ value: '1750.25', Ccy: 'EUR' });
  });

  it('keeps every value a string, even numeric-looking ones', () => {
    expect(object(message.GrpHdr).NbOfTxs).toBe('2');
    expect(object(object(transfers[0].Dbtr).PstlAdr).PstCd).toBe('60311');
  });

  it('makes repeating elements arrays even when they occur once', () => {
    expect(transfers).toHaveLength(2);
    expect(object(transfers[1].Dbtr).Nm).toBe('Example Trading Ltd');
    expect(Array.isArray(object(object(transfers[0].Dbtr).PstlAdr).AdrLine ?? [])).toBe(true);
    expect(object(transfers[0].RmtInf).Ustrd).toEqual(['Invoice 2026-117 <net 30>', 'Second line']);
    expect(list(transfers[1].SplmtryData)).toHaveLength(1);
  });

  it('decodes escaped text', () => {
    expect(object(transfers[0].Dbtr).Nm).toBe('Müller & Söhne GmbH');
  });

  it('keeps wildcard content as raw XML', () => {
    expect(list(transfers[1].SplmtryData)[0].Envlp).toBe('<Rsvd xmlns="urn:example:supplementary"><Note lang="en">kept as raw XML &amp; round-tripped</Note></Rsvd>');
  });

  it('orders keys as the schema does', () => {
    expect(Object.keys(transfers[0])).toEqual(['PmtId', 'IntrBkSttlmAmt', 'ChrgBr', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'CdtrAgt', 'Cdtr', 'CdtrAcct', 'RmtInf']);
  });

  it('reads the business application header beside the Document, whatever the prefixes', () => {
    const status = parseMessage(withAppHdr);
    expect(status.messageId).toBe('pacs.028.001.03');
    expect(status.appHdr).toMatchObject({ BizMsgIdr: 'MXF-STSREQ-0001', MsgDefIdr: 'pacs.028.001.03', Fr: { FIId: { FinInstnId: { BICFI: 'BANKFRPPXXX' } } } });
    expect(object(status.appHdr).Sgntr).toBe('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>c2lnbmVk</ds:SignatureValue></ds:Signature>');
    expect(list(object(status.document.FIToFIPmtStsReq).TxInf)[0].OrgnlEndToEndId).toBe('E2E-0001');
  });

  it('decodes character references', () => {
    const input = pacs008.replace('<Nm>Dupont SARL</Nm>', '<Nm>Dupont&#x20;&#83;ARL &#x1F600;</Nm>');
    expect(object(list(object(parseMessage(input).document.FIToFICstmrCdtTrf).CdtTrfTxInf)[0].Cdtr).Nm).toBe('Dupont SARL 😀');
  });
});

describe('JSON to XML', () => {
  it.each([
    ['a bare pacs.008', pacs008],
    ['a pacs.028 with its business application header', withAppHdr],
  ])('round-trips %s losslessly', (_what, xml) => {
    const parsed = parseMessage(xml);
    const written = toXml(parsed.messageId, parsed.document, parsed.appHdr ? { appHdr: parsed.appHdr, wrapper: 'BizMsg' } : {});
    expect(validateXml(written)).toEqual({ valid: true, messageId: parsed.messageId, messageType: parsed.messageType, issues: [] });
    expect(canonicalXml(written)).toBe(canonicalXml(xml));
    expect(toJson(written)).toEqual(parsed);
  });

  it('writes elements in schema order whatever the key order', () => {
    const parsed = parseMessage(pacs008);
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)]));
    };
    const written = toXml('pacs.008.001.08', reversed(parsed.document) as object);
    expect(canonicalXml(written)).toBe(canonicalXml(pacs008));
  });

  it('declares the message namespace as the default namespace', () => {
    expect(toXml('pacs.008.001.08', parseMessage(pacs008).document)).toContain('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">');
  });

  it('escapes text and attribute values', () => {
    const document = { FIToFIPmtStsReq: { GrpHdr: { MsgId: 'A<B>&"C"', CreDtTm: '2026-03-01T10:15:00Z' } } };
    const written = toXml('pacs.028.001.03', document);
    expect(written).toContain('<MsgId>A&lt;B&gt;&amp;"C"</MsgId>');
    expect(object(object(toJson(written).document.FIToFIPmtStsReq).GrpHdr).MsgId).toBe('A<B>&"C"');
  });

  it('refuses a wrapper name that is not an XML name', () => {
    const parsed = parseMessage(withAppHdr);
    expect(() => toXml(parsed.messageId, parsed.document, { appHdr: parsed.appHdr, wrapper: 'a><b' })).toThrow(JsonShapeError);
  });

  it.each([
    ['an unknown key', { FIToFIPmtStsReq: { GrpHdr: { MsgId: 'X', CreDtTm: '2026-03-01T10:15:00Z', Extra: 'x' } } }, '/Document/FIToFIPmtStsReq/GrpHdr/Extra'],
    ['a number where a string belongs', { FIToFIPmtStsReq: { GrpHdr: { MsgId: 42, CreDtTm: '2026-03-01T10:15:00Z' } } }, '/Document/FIToFIPmtStsReq/GrpHdr/MsgId'],
    ['a single object where an array belongs', { FIToFIPmtStsReq: { GrpHdr: { MsgId: 'X', CreDtTm: '2026-03-01T10:15:00Z' }, TxInf: { StsReqId: 'R' } } }, '/Document/FIToFIPmtStsReq/TxInf'],
  ])('refuses %s and names its path', (_what, document, path) => {
    expect(() => toXml('pacs.028.001.03', document)).toThrow(JsonShapeError);
    expect(() => toXml('pacs.028.001.03', document)).toThrow(path);
  });
});

describe('round trips of every valid message fixture', () => {
  const fixtures = messageFixtures().filter((fixture) => fixture.name.startsWith('valid'));

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures.map((fixture) => [`${fixture.messageId}/${fixture.name}`, fixture.xml]))('round-trips %s', (_name, xml) => {
    const parsed = parseMessage(xml);
    const written = toXml(parsed.messageId, parsed.document, parsed.appHdr ? { appHdr: parsed.appHdr } : {});
    expect(validateXml(written).issues).toEqual([]);
    expect(canonicalXml(written).replace(/^<\{\}[^>]*>/, '')).toBe(canonicalXml(xml).replace(/^<\{\}[^>]*>/, ''));
  });
});

describe('wildcard content', () => {
  const ns = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';
  const prefixed = (envelope: string): string =>
    pacs008
      .replace(/<(\/?)([A-Za-z]+)([ >])/g, '<$1d:$2$3')
      .replace(`<d:Document xmlns="${ns}">`, `<d:Document xmlns:d="${ns}" xmlns:x="urn:example:extension">`)
      .replace(/<d:Envlp>[\s\S]*<\/d:Envlp>/, `<d:Envlp>${envelope}</d:Envlp>`);
  const envelopeOf = (xml: string): string => {
    const transfers = list(object(parseMessage(xml).document.FIToFICstmrCdtTrf).CdtTrfTxInf);
    return list(transfers[1].SplmtryData)[0].Envlp as string;
  };

  it.each([
    ['a prefix declared on the Document', '<x:Ext><x:Code>A1</x:Code></x:Ext>', '<x:Ext xmlns:x="urn:example:extension"><x:Code>A1</x:Code></x:Ext>'],
    ['the message prefix', '<d:Note>n</d:Note>', `<d:Note xmlns:d="${ns}">n</d:Note>`],
    ['no namespace under a prefixed Document', '<Plain a="1"/>', '<Plain xmlns="" a="1"/>'],
    ['its own declarations', '<y:Own xmlns:y="urn:y"/>', '<y:Own xmlns:y="urn:y"/>'],
  ])('carries %s with it, so it means the same when written back', (_what, envelope, expected) => {
    const xml = prefixed(envelope);
    expect(validateXml(xml).issues).toEqual([]);
    expect(envelopeOf(xml)).toBe(expected);
    const parsed = parseMessage(xml);
    expect(canonicalXml(toXml(parsed.messageId, parsed.document))).toBe(canonicalXml(xml));
  });

  it('gives unprefixed content the message namespace when that is the default', () => {
    const xml = pacs008.replace(/<Envlp>[\s\S]*<\/Envlp>/, '<Envlp><Note>n</Note></Envlp>');
    expect(envelopeOf(xml)).toBe(`<Note xmlns="${ns}">n</Note>`);
  });
});

describe('messages under nested wrappers', () => {
  // FedNow's layout: the AppHdr and the Document two levels down.
  const fedNow = (xml: string, names: readonly string[]): string =>
    xml.replace(/<BizMsg>([\s\S]*)<\/BizMsg>/, (_, body: string) => `${names.map((name) => `<${name}>`).join('')}${body}${[...names].reverse().map((name) => `</${name}>`).join('')}`);

  it.each([[['FedNowIncoming', 'FedNowIncomingMessage']], [['A', 'B', 'C']]])('validates and converts the message under %j as under one wrapper', (names) => {
    const wrapped = fedNow(withAppHdr, names);
    expect(wrapped).toContain(`<${names[names.length - 1]}>`);
    const flat = parseMessage(withAppHdr);
    const parsed = parseMessage(wrapped);
    expect(parsed.document).toEqual(flat.document);
    expect(parsed.appHdr).toEqual(flat.appHdr);
  });

  it('locates a schema issue inside nested wrappers at its element path and line', () => {
    const wrapped = fedNow(withAppHdr, ['FedNowIncoming', 'FedNowIncomingMessage']).replace('<MsgId>MXF-STSREQ-0001</MsgId>', `<MsgId>${'X'.repeat(36)}</MsgId>`);
    const result = validateXml(wrapped);
    expect(result.valid).toBe(false);
    const line = wrapped.split('\n').findIndex((text) => text.includes('X'.repeat(36))) + 1;
    expect(result.issues).toEqual([expect.objectContaining({ path: '/Document/FIToFIPmtStsReq/GrpHdr/MsgId', line })]);
  });
});
