import { childTransactionId } from '@mxflow/contracts';
import type { TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidQueryError, NotFoundError } from '../src/domain/errors';
import {
  archivedMessages,
  batchView,
  childIdsOf,
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
    expect(summaryView(summary, party('ent-alpha'))).toMatchObject({ amount: { value: '1000.05', currency: 'EUR' }, parties: { sender: 'ent-alpha', receiver: 'ent-beta' } });
  });

  it('lists the steps with their millisecond timestamps', () => {
    expect(transactionView(summary, [step('incoming#RCVD')], party('ent-alpha')).steps).toEqual([{ step: 'incoming#RCVD', status: 'RCVD', timestamp: '2026-12-02T07:00:00.100Z' }]);
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

describe('answers, parents and children', () => {
  const initiation: TransactionSummary = {
    transactionId: 'pain-1',
    status: 'ANSW',
    answer: 'PART',
    messageType: 'pain.001',
    messageIds: { msgId: 'INI1', endToEndIds: ['E1', 'E2', 'E3'], uetrs: [] },
    senderEntity: 'ent-alpha',
    createdAt: '2026-12-02T07:00:00.000Z',
    updatedAt: '2026-12-02T07:00:02.000Z',
    final: true,
  };
  const child = (index: number, change: Partial<TransactionSummary>): TransactionSummary => ({
    ...summary,
    transactionId: childTransactionId('pain-1', index),
    messageIds: { msgId: `P${index}`, endToEndIds: [`E${index + 1}`], uetrs: [] },
    parentTransactionId: 'pain-1',
    ...change,
  });
  const children = [
    child(0, { status: 'ACSC', amount: { minor: 10_00n, currency: 'EUR', exponent: 2 } }),
    child(1, { status: 'RJCT', reasonCode: 'RC01', receiverEntity: undefined, amount: { minor: 2_50n, currency: 'EUR', exponent: 2 } }),
    child(2, { status: 'ACSC', receiverEntity: 'ent-gamma', amount: { minor: 7_00n, currency: 'USD', exponent: 2 } }),
  ];

  it('says what an answered request was answered with, on the transaction and on its step', () => {
    const answered: TransactionSummary = { ...summary, transactionId: 'cxl-1', status: 'ANSW', messageType: 'camt.056', answer: 'RJCR', reasonCode: 'NOOR', originalTransactionId: 'tx-1' };
    const view = transactionView(answered, [{ ...step('camt056#ANSW'), answer: 'RJCR', reasonCode: 'NOOR', originalTransactionId: 'tx-1' }], party('ent-alpha'));
    expect(view).toMatchObject({ status: 'ANSW', answer: 'RJCR', reasonCode: 'NOOR', originalTransactionId: 'tx-1' });
    expect(view.steps).toEqual([{ step: 'camt056#ANSW', status: 'ANSW', answer: 'RJCR', reasonCode: 'NOOR', timestamp: '2026-12-02T07:00:00.100Z', relatedTransactionId: 'tx-1' }]);
  });

  it('names the pain.001 a payment was made from to its sender and the operator, not to its receiver', () => {
    const made = children[0] as TransactionSummary;
    expect(summaryView(made, party('ent-alpha'))).toMatchObject({ parentTransactionId: 'pain-1', links: { parent: '/v1/transactions/pain-1' } });
    expect(summaryView(made, OPERATOR)).toMatchObject({ parentTransactionId: 'pain-1', links: { parent: '/v1/transactions/pain-1' } });
    const toReceiver = summaryView(made, party('ent-beta'));
    expect(toReceiver).not.toHaveProperty('parentTransactionId');
    expect(toReceiver.links).not.toHaveProperty('parent');
    expect(JSON.stringify(transactionView(made, [], party('ent-beta')))).not.toContain('pain-1');
  });

  it('derives the ids of the transactions made from a pain.001, as the pain.001 step makes them', () => {
    expect(childIdsOf(initiation)).toEqual([0, 1, 2].map((index) => childTransactionId('pain-1', index)));
    expect(childIdsOf(summary)).toEqual([]);
  });

  it('lists the transfers of a pain.001 in message order, with their total in each currency', () => {
    const view = transactionView(initiation, [], party('ent-alpha'), children);
    expect(view.transfers).toEqual({ count: 3, totals: [{ value: '12.50', currency: 'EUR' }, { value: '7.00', currency: 'USD' }] });
    expect(view.children).toEqual([
      {
        transactionId: children[0]?.transactionId,
        status: 'ACSC',
        messageType: 'pacs.008',
        endToEndId: 'E1',
        parties: { sender: 'ent-alpha', receiver: 'ent-beta' },
        amount: { value: '10.00', currency: 'EUR' },
        final: true,
        links: { self: `/v1/transactions/${children[0]?.transactionId}` },
      },
      expect.objectContaining({ status: 'RJCT', reasonCode: 'RC01', endToEndId: 'E2', parties: { sender: 'ent-alpha' }, amount: { value: '2.50', currency: 'EUR' } }),
      expect.objectContaining({ endToEndId: 'E3', parties: { sender: 'ent-alpha', receiver: 'ent-gamma' }, amount: { value: '7.00', currency: 'USD' } }),
    ]);
    expect(transactionView(initiation, [], OPERATOR, children).children).toHaveLength(3);
  });

  it('gives no total until every transfer is made, and counts the transfers from the start', () => {
    expect(batchView(initiation, children.slice(0, 2), party('ent-alpha')).transfers).toEqual({ count: 3 });
    expect(transactionView({ ...initiation, status: 'ACTC', final: false }, [], party('ent-alpha'))).toMatchObject({ transfers: { count: 3 }, children: [] });
    expect(transactionView(summary, [], party('ent-alpha'))).not.toHaveProperty('children');
  });

  it('lists only children of this pain.001 that the viewer may see', () => {
    const stranger = { ...(children[2] as TransactionSummary), senderEntity: 'ent-gamma', receiverEntity: 'ent-delta' };
    const foreign = { ...(children[1] as TransactionSummary), parentTransactionId: 'pain-2' };
    const view = batchView(initiation, [children[0] as TransactionSummary, foreign, stranger], party('ent-alpha'));
    expect(view.children.map((item) => item.transactionId)).toEqual([children[0]?.transactionId]);
    expect(view.transfers).toEqual({ count: 3 });
    expect(batchView(initiation, [children[0] as TransactionSummary, stranger], OPERATOR).children).toHaveLength(2);
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
