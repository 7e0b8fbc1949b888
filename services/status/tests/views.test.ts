import type { TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidQueryError, NotFoundError } from '../src/domain/errors';
import {
  archivedMessages,
  liquidityRequest,
  listRequest,
  messageFor,
  messagesView,
  searchResults,
  summaryView,
  transactionView,
  viewerOf,
  visibleSummary,
  type Viewer,
} from '../src/domain/views';

const party = (entityId: string): Viewer => ({ entityId, operator: false });
const OPERATOR: Viewer = { entityId: 'ent-operator', operator: true };

const summary: TransactionSummary = {
  transactionId: 'tx-1',
  status: 'ACSC',
  messageType: 'pacs.008',
  messageIds: { msgId: 'M1', endToEndIds: ['E1'], uetrs: ['U1'] },
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  amount: { minor: 1_000_05n, currency: 'EUR', exponent: 2 },
  createdAt: '2026-12-02T07:00:00.000Z',
  updatedAt: '2026-12-02T07:00:00.500Z',
  final: true,
};

const step = (name: string, archiveKey?: string, entityId?: string): TransactionStep => ({
  transactionId: 'tx-1',
  step: name,
  status: name.split('#')[1] ?? 'ACSC',
  timestamp: '2026-12-02T07:00:00.100Z',
  requestId: 'r',
  ...(archiveKey ? { archiveKey } : {}),
  ...(entityId ? { entityId } : {}),
});

describe('visibleSummary', () => {
  it.each(['ent-alpha', 'ent-beta'])('shows the transaction to its party %s', (entityId) => {
    expect(visibleSummary(summary, party(entityId))).toBe(summary);
  });

  it('shows every transaction to the platform operator, and nothing that does not exist', () => {
    expect(visibleSummary(summary, OPERATOR)).toBe(summary);
    expect(() => visibleSummary(undefined, OPERATOR)).toThrow(NotFoundError);
  });

  it('answers anyone else exactly as for a transaction that does not exist', () => {
    expect(() => visibleSummary(summary, party('ent-gamma'))).toThrow(NotFoundError);
    expect(() => visibleSummary(undefined, party('ent-alpha'))).toThrow(NotFoundError);
  });

  it('makes the operator of a token with payments/admin', () => {
    expect(viewerOf({ entityId: 'ent-operator', scopes: ['payments/admin', 'payments/read'] })).toEqual(OPERATOR);
    expect(viewerOf({ entityId: 'ent-alpha', scopes: ['payments/read'] })).toEqual(party('ent-alpha'));
  });
});

describe('views', () => {
  it('shows the amount as decimal text with the currency exponent', () => {
    expect(summaryView(summary)).toMatchObject({ amount: { value: '1000.05', currency: 'EUR' }, parties: { sender: 'ent-alpha', receiver: 'ent-beta' } });
  });

  it('lists the steps with their millisecond timestamps', () => {
    expect(transactionView(summary, [step('incoming#RCVD')]).steps).toEqual([{ step: 'incoming#RCVD', status: 'RCVD', timestamp: '2026-12-02T07:00:00.100Z' }]);
  });

  const messages = archivedMessages(summary, [
    step('incoming#RCVD', 'incoming/2026/12/02/tx-1/pacs.008.xml'),
    step('incoming#ACTC', 'incoming/2026/12/02/tx-1/pacs.008.xml'),
    step('outgoing#pacs.002', 'outgoing/2026/12/02/tx-1/pacs.002.xml', 'ent-alpha'),
    step('outgoing#pacs.008', 'outgoing/2026/12/02/tx-1/pacs.008.xml', 'ent-beta'),
  ]);

  it('finds the incoming message and the outgoing one addressed to the caller', () => {
    expect(messages).toHaveLength(3);
    expect(messageFor(messages, 'incoming', party('ent-beta')).key).toBe('incoming/2026/12/02/tx-1/pacs.008.xml');
    expect(messageFor(messages, 'outgoing', party('ent-alpha')).key).toBe('outgoing/2026/12/02/tx-1/pacs.002.xml');
    expect(messageFor(messages, 'outgoing', party('ent-beta')).key).toBe('outgoing/2026/12/02/tx-1/pacs.008.xml');
    expect(() => messageFor(messages, 'sideways', party('ent-beta'))).toThrow(InvalidQueryError);
    expect(() => messageFor(messages.slice(0, 1), 'outgoing', party('ent-beta'))).toThrow(NotFoundError);
  });

  it('finds a message by its archive key, when the viewer may read it', () => {
    expect(messageFor(messages, 'outgoing', party('ent-alpha'), 'outgoing/2026/12/02/tx-1/pacs.002.xml').key).toBe('outgoing/2026/12/02/tx-1/pacs.002.xml');
    expect(() => messageFor(messages, 'outgoing', party('ent-alpha'), 'outgoing/2026/12/02/tx-1/pacs.008.xml')).toThrow(NotFoundError);
    expect(() => messageFor(messages, 'incoming', party('ent-alpha'), 'outgoing/2026/12/02/tx-1/pacs.002.xml')).toThrow(NotFoundError);
    expect(messageFor(messages, 'outgoing', OPERATOR, 'outgoing/2026/12/02/tx-1/pacs.008.xml').entityId).toBe('ent-beta');
  });

  it('links the bytes of each message the viewer may read, and only those', () => {
    const links = (viewer: Viewer) => messagesView('tx-1', messages, viewer).messages.map((message) => message.links?.content);
    expect(links(party('ent-alpha'))).toEqual([
      '/v1/transactions/tx-1/messages/incoming?archiveKey=incoming%2F2026%2F12%2F02%2Ftx-1%2Fpacs.008.xml',
      '/v1/transactions/tx-1/messages/outgoing?archiveKey=outgoing%2F2026%2F12%2F02%2Ftx-1%2Fpacs.002.xml',
      undefined,
    ]);
    expect(links(OPERATOR).every((link) => link !== undefined)).toBe(true);
  });
});

describe('listRequest', () => {
  it('reads the filters, normalising times to UTC', () => {
    expect(
      listRequest({ status: 'ACSC', type: 'pacs.008', counterparty: 'ent-beta', from: '2026-12-01', to: '2026-12-02T08:00:00+01:00', limit: '20', cursor: 'abc_-1' }, party('ent-alpha')),
    ).toEqual({
      query: { status: 'ACSC', messageType: 'pacs.008', counterparty: 'ent-beta', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T07:00:00.000Z', limit: 20, cursor: 'abc_-1' },
      participant: 'ent-alpha',
    });
    expect(listRequest(undefined, party('ent-alpha'))).toEqual({ query: {}, participant: 'ent-alpha' });
  });

  it('lists every participant for the operator, or the one it names', () => {
    expect(listRequest(undefined, OPERATOR).participant).toBe('all');
    expect(listRequest({ participant: 'ent-beta' }, OPERATOR).participant).toBe('ent-beta');
    expect(listRequest({ participant: 'ent-alpha' }, party('ent-alpha')).participant).toBe('ent-alpha');
  });

  it('reads one identifier to search by', () => {
    const uetr = '8a562c67-ca16-48ba-b074-65581be6f011';
    expect(listRequest({ uetr }, party('ent-alpha')).reference).toEqual({ field: 'uetr', value: uetr });
    expect(listRequest({ msgId: 'MSG-1' }, party('ent-alpha')).reference).toEqual({ field: 'msgId', value: 'MSG-1' });
  });

  it.each([
    [{ status: 'settled' }, 'status'],
    [{ type: 'pacs008' }, 'type'],
    [{ counterparty: 'ent beta' }, 'counterparty'],
    [{ participant: 'ent-beta' }, 'participant'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'from'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ cursor: 'not a cursor!' }, 'cursor'],
    [{ uetr: 'not-a-uuid' }, 'uetr'],
    [{ endToEndId: 'x'.repeat(36) }, 'endToEndId'],
    [{ msgId: 'M1', uetr: '8a562c67-ca16-48ba-b074-65581be6f011' }, 'uetr'],
    [{ msgId: 'M1', cursor: 'abc' }, 'cursor'],
  ])('refuses %p, naming %s', (params, path) => {
    expect(() => listRequest(params, party('ent-alpha'))).toThrow(expect.objectContaining({ name: 'InvalidQueryError', path }));
  });
});

describe('searchResults', () => {
  const other: TransactionSummary = { ...summary, transactionId: 'tx-2', senderEntity: 'ent-gamma', createdAt: '2026-12-02T08:00:00.000Z' };

  it('keeps what the participant is a party to, once, newest first', () => {
    const request = listRequest({ msgId: 'M1' }, party('ent-beta'));
    expect(searchResults([summary, other, summary], request).map((found) => found.transactionId)).toEqual(['tx-2', 'tx-1']);
    expect(searchResults([summary, other], listRequest({ msgId: 'M1' }, party('ent-alpha'))).map((found) => found.transactionId)).toEqual(['tx-1']);
  });

  it('applies every other filter', () => {
    expect(searchResults([summary, other], listRequest({ msgId: 'M1', counterparty: 'ent-gamma' }, party('ent-beta'))).map((found) => found.transactionId)).toEqual(['tx-2']);
    expect(searchResults([summary, other], listRequest({ msgId: 'M1', status: 'RJCT' }, OPERATOR))).toEqual([]);
    expect(searchResults([summary, other], listRequest({ msgId: 'M1', from: '2026-12-02T07:30:00Z' }, OPERATOR)).map((found) => found.transactionId)).toEqual(['tx-2']);
  });
});

describe('liquidityRequest', () => {
  it('reads the caller\'s own, or the participant the operator names', () => {
    expect(liquidityRequest(undefined, party('ent-alpha'))).toEqual({ entityId: 'ent-alpha' });
    expect(liquidityRequest({ participant: 'ent-beta', currency: 'EUR' }, OPERATOR)).toEqual({ entityId: 'ent-beta', currency: 'EUR' });
  });

  it.each([
    [{ participant: 'ent-beta' }, 'participant'],
    [{ currency: 'euro' }, 'currency'],
  ])('refuses %p, naming %s', (params, path) => {
    expect(() => liquidityRequest(params, party('ent-alpha'))).toThrow(expect.objectContaining({ name: 'InvalidQueryError', path }));
  });
});
