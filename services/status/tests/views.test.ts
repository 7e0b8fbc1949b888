import type { TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidQueryError, NotFoundError } from '../src/domain/errors';
import { archivedMessages, listQuery, messageFor, summaryView, transactionView, visibleSummary } from '../src/domain/views';

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
    expect(visibleSummary(summary, entityId)).toBe(summary);
  });

  it('answers anyone else exactly as for a transaction that does not exist', () => {
    expect(() => visibleSummary(summary, 'ent-gamma')).toThrow(NotFoundError);
    expect(() => visibleSummary(undefined, 'ent-alpha')).toThrow(NotFoundError);
  });
});

describe('views', () => {
  it('shows the amount as decimal text with the currency exponent', () => {
    expect(summaryView(summary)).toMatchObject({ amount: { value: '1000.05', currency: 'EUR' }, parties: { sender: 'ent-alpha', receiver: 'ent-beta' } });
  });

  it('lists the steps with their millisecond timestamps', () => {
    expect(transactionView(summary, [step('incoming#RCVD')]).steps).toEqual([{ step: 'incoming#RCVD', status: 'RCVD', timestamp: '2026-12-02T07:00:00.100Z' }]);
  });

  it('finds the incoming message and the outgoing one addressed to the caller', () => {
    const messages = archivedMessages(summary, [
      step('incoming#RCVD', 'incoming/2026/12/02/tx-1/pacs.008.xml'),
      step('incoming#ACTC', 'incoming/2026/12/02/tx-1/pacs.008.xml'),
      step('outgoing#pacs.002', 'outgoing/2026/12/02/tx-1/pacs.002.xml', 'ent-alpha'),
      step('outgoing#pacs.008', 'outgoing/2026/12/02/tx-1/pacs.008.xml', 'ent-beta'),
    ]);
    expect(messages).toHaveLength(3);
    expect(messageFor(messages, 'incoming', 'ent-beta').key).toBe('incoming/2026/12/02/tx-1/pacs.008.xml');
    expect(messageFor(messages, 'outgoing', 'ent-alpha').key).toBe('outgoing/2026/12/02/tx-1/pacs.002.xml');
    expect(messageFor(messages, 'outgoing', 'ent-beta').key).toBe('outgoing/2026/12/02/tx-1/pacs.008.xml');
    expect(() => messageFor(messages, 'sideways', 'ent-beta')).toThrow(InvalidQueryError);
    expect(() => messageFor(messages.slice(0, 1), 'outgoing', 'ent-beta')).toThrow(NotFoundError);
  });
});

describe('listQuery', () => {
  it('reads the filters, normalising times to UTC', () => {
    expect(listQuery({ status: 'ACSC', from: '2026-12-01', to: '2026-12-02T08:00:00+01:00', limit: '20', cursor: 'abc_-1' })).toEqual({
      status: 'ACSC',
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T07:00:00.000Z',
      limit: 20,
      cursor: 'abc_-1',
    });
    expect(listQuery(undefined)).toEqual({});
  });

  it.each([
    [{ status: 'settled' }, 'status'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'from'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '201' }, 'limit'],
    [{ cursor: 'not a cursor!' }, 'cursor'],
  ])('refuses %p, naming %s', (params, path) => {
    expect(() => listQuery(params)).toThrow(expect.objectContaining({ name: 'InvalidQueryError', path }));
  });
});
