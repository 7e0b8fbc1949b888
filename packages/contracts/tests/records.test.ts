import { RecordShapeError, Topic, archiveKey, decodeIncoming, decodeOutgoing, encodeIncoming, encodeOutgoing, isFinalStatus, notificationOf, responseMsgId } from '../src/index';

const incoming = {
  messageId: 'pacs.008.001.08',
  messageType: 'pacs.008',
  transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
  requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
  senderEntity: 'ent-alpha',
  document: { FIToFICstmrCdtTrf: {} },
};

describe('records', () => {
  it('encodes an accepted message for its processor, keyed by the sender, and reads it back', () => {
    const record = encodeIncoming(incoming);
    expect(record).toMatchObject({ topic: 'incoming.pacs.008', message: { key: 'ent-alpha' } });
    expect(record.message.headers).toEqual({ 'transaction-id': incoming.transactionId, 'request-id': incoming.requestId, 'message-type': 'pacs.008' });
    expect(decodeIncoming(record.topic, Buffer.from(record.message.value))).toEqual(incoming);
  });

  it('encodes a message for a participant, keyed by the receiver', () => {
    const value = { ...incoming, messageId: 'pacs.002.001.10', messageType: 'pacs.002', receiverEntity: 'ent-beta', status: 'ACSC' };
    const record = encodeOutgoing(value);
    expect(record).toMatchObject({ topic: 'outgoing.pacs.002', message: { key: 'ent-beta' } });
    expect(decodeOutgoing(record.topic, record.message.value)).toMatchObject({ receiverEntity: 'ent-beta', status: 'ACSC' });
  });

  it.each([
    ['not JSON', '{', '$'],
    ['an array', '[]', '$'],
    ['no sender', JSON.stringify({ ...incoming, senderEntity: undefined }), '$.senderEntity'],
    ['an empty transaction id', JSON.stringify({ ...incoming, transactionId: '' }), '$.transactionId'],
    ['a document that is a string', JSON.stringify({ ...incoming, document: 'x' }), '$.document'],
  ])('refuses a value that is %s, naming the field', (_case, raw, path) => {
    let error: unknown;
    try {
      decodeIncoming('incoming.pacs.008', raw);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(RecordShapeError);
    expect(error).toMatchObject({ topic: 'incoming.pacs.008', path });
  });
});

describe('names, keys and statuses', () => {
  it('names the topics', () => {
    expect([Topic.incoming('pacs.008'), Topic.outgoing('pacs.002'), Topic.deadLetter('incoming.pacs.008')]).toEqual(['incoming.pacs.008', 'outgoing.pacs.002', 'incoming.pacs.008.dlq']);
  });

  it('builds the archive key from the UTC date', () => {
    expect(archiveKey('outgoing', '2026-12-02T23:59:59.999Z', 'tx-1', 'pacs.002')).toBe('outgoing/2026/12/02/tx-1/pacs.002.xml');
  });

  it('derives a response MsgId of at most 35 characters from the transaction id', () => {
    const id = responseMsgId(incoming.transactionId);
    expect(id).toBe('R6f1c1a528f0e4e529d4c2b1f3c0a9e11');
    expect(id.length).toBeLessThanOrEqual(35);
  });

  it.each([
    ['ACSC', true],
    ['RJCT', true],
    ['CANC', true],
    ['RTND', true],
    ['RCVD', false],
    ['ACTC', false],
    ['PART', true],
    ['ANSW', true],
  ])('says whether %s is final: %p', (status, final) => {
    expect(isFinalStatus(status)).toBe(final);
  });

  it('links a notification to the status and to the message for its receiver', () => {
    expect(notificationOf({ requestId: 'r', transactionId: 't', status: 'ACSC', messageType: 'pacs.002', outgoingMessageKey: 'k' })).toEqual({
      requestId: 'r',
      transactionId: 't',
      status: 'ACSC',
      messageType: 'pacs.002',
      outgoingMessageKey: 'k',
      links: { status: '/v1/transactions/t', message: '/v1/transactions/t/messages/outgoing' },
    });
  });
});
