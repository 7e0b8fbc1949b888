import { ErrorCode, MalformedXmlError, UnsupportedMessageError, detectMessage } from '@mxflow/iso20022';
import { engineFixture, supportedMessages } from './support/paths';

const ns = (messageId: string): string => `urn:iso:std:iso:20022:tech:xsd:${messageId}`;
const header = `<AppHdr xmlns="${ns('head.001.001.02')}"><BizMsgIdr>X</BizMsgIdr></AppHdr>`;

describe('detectMessage', () => {
  it.each(supportedMessages.filter((id) => !id.startsWith('head')))('identifies %s from its namespace', (messageId) => {
    expect(detectMessage(`<Document xmlns="${ns(messageId)}"/>`)).toEqual({
      messageId,
      messageType: messageId.split('.').slice(0, 2).join('.'),
      namespace: ns(messageId),
    });
  });

  it('identifies a Document with a namespace prefix', () => {
    expect(detectMessage(`<iso:Document xmlns:iso="${ns('camt.056.001.08')}"/>`).messageId).toBe('camt.056.001.08');
  });

  it.each(['Envelope', 'BizMsg', 'x:Wrapper xmlns:x="urn:example"'])('finds the Document inside a <%s> wrapper with an AppHdr', (wrapper) => {
    const name = wrapper.split(' ')[0];
    const detected = detectMessage(`<${wrapper}>${header}<Document xmlns="${ns('pacs.002.001.10')}"/></${name}>`);
    expect(detected).toEqual({
      messageId: 'pacs.002.001.10',
      messageType: 'pacs.002',
      namespace: ns('pacs.002.001.10'),
      appHdr: { messageId: 'head.001.001.02', messageType: 'head.001', namespace: ns('head.001.001.02') },
    });
  });

  it('finds the Document of the engine fixture with its header', () => {
    expect(detectMessage(engineFixture('pacs.028.001.03-with-apphdr.xml')).appHdr?.messageId).toBe('head.001.001.02');
  });

  it.each([
    ['FedNow', ['FedNowIncoming', 'FedNowIncomingMessage']],
    ['three wrappers', ['A', 'B', 'C']],
    ['five wrappers', ['A', 'B', 'C', 'D', 'E']],
  ])('finds the Document and the AppHdr under nested wrappers (%s)', (_what, names) => {
    const input = `${names.map((name) => `<${name}>`).join('')}${header}<Document xmlns="${ns('pacs.002.001.10')}"/>${[...names].reverse().map((name) => `</${name}>`).join('')}`;
    expect(detectMessage(input)).toMatchObject({ messageId: 'pacs.002.001.10', appHdr: { messageId: 'head.001.001.02' } });
  });

  it('resolves a prefix declared on the wrapper', () => {
    const input = `<Env xmlns:d="${ns('pacs.004.001.09')}" xmlns:h="${ns('head.001.001.02')}"><h:AppHdr/><d:Document/></Env>`;
    expect(detectMessage(input).messageId).toBe('pacs.004.001.09');
  });

  it.each([
    ['a wrapper without an AppHdr', `<Envelope><Document xmlns="${ns('pacs.008.001.08')}"/></Envelope>`],
    ['a wrapper with something else beside', `<Envelope>${header}<Document xmlns="${ns('pacs.008.001.08')}"/><Other/></Envelope>`],
    ['an AppHdr on its own', header],
    ['two Documents inside nested wrappers', `<A><B>${header}<Document xmlns="${ns('pacs.008.001.08')}"/><Document xmlns="${ns('pacs.008.001.08')}"/></B></A>`],
    ['a Document with foreign content beside it in nested wrappers', `<A><B><C>${header}<Document xmlns="${ns('pacs.008.001.08')}"/><Other/></C></B></A>`],
    ['a wrapper holding foreign content beside the inner wrapper', `<A><Other/><B>${header}<Document xmlns="${ns('pacs.008.001.08')}"/></B></A>`],
    ['nested wrappers ending in nothing', '<A><B><C/></B></A>'],
  ])('refuses %s', (_what, input) => {
    expect(() => detectMessage(input)).toThrow(MalformedXmlError);
    expect(() => detectMessage(input)).toThrow(expect.objectContaining({ code: ErrorCode.NO_DOCUMENT }));
  });

  it.each([
    ['an unknown message version', `<Document xmlns="${ns('pacs.008.001.02')}"/>`, ns('pacs.008.001.02')],
    ['a non-ISO namespace', '<Document xmlns="urn:example:payments"/>', 'urn:example:payments'],
    ['an AppHdr of another version', `<E><AppHdr xmlns="${ns('head.001.001.01')}"/><Document xmlns="${ns('pacs.008.001.08')}"/></E>`, ns('head.001.001.01')],
    ['a header namespace on the Document', `<Document xmlns="${ns('head.001.001.02')}"/>`, ns('head.001.001.02')],
  ])('refuses %s, naming the namespace', (_what, input, namespace) => {
    expect(() => detectMessage(input)).toThrow(UnsupportedMessageError);
    expect(() => detectMessage(input)).toThrow(namespace);
  });
});

describe('detectMessage of another version of a supported message', () => {
  it.each([
    ['pacs.008.001.02', 'FIToFICstmrCdtTrf', 'message pacs.008.001.02 is not supported; pacs.008.001.08 is'],
    ['pacs.002.001.03', 'FIToFIPmtStsRpt', 'message pacs.002.001.03 is not supported; pacs.002.001.10 is'],
    ['camt.053.001.02', 'BkToCstmrStmt', 'message camt.053.001.02 is not supported; camt.053.001.08 is'],
    ['camt.057.001.06', 'NtfctnToRcv', /message camt\.057\.001\.06 is not supported$/],
  ])('names the versions the catalogue has of %s', (messageId, root, hint) => {
    expect(() => detectMessage(`<Document xmlns="${ns(messageId)}"><${root}/></Document>`)).toThrow(hint);
  });
});
