import { childStatusCounts, mergeLatest, relatedTransactions, transfersText, type TransactionDetail, type TransactionSummary } from '../src/lib/transactions';

const summary = (transactionId: string, createdAt: string, status = 'ACTC'): TransactionSummary => ({
  transactionId,
  status,
  messageIds: { endToEndIds: [], uetrs: [] },
  parties: { sender: 'ent-alpha', receiver: 'ent-beta' },
  createdAt,
  updatedAt: createdAt,
  final: status !== 'ACTC',
});

describe('the live transactions list', () => {
  it('adds what is new, updates what moved on, keeps the rest, newest first', () => {
    const shown = [summary('b', '2026-12-02T10:00:02.000Z'), summary('a', '2026-12-02T10:00:01.000Z')];
    const latest = [summary('c', '2026-12-02T10:00:03.000Z'), summary('b', '2026-12-02T10:00:02.000Z', 'ACSC')];
    const merged = mergeLatest(shown, latest);
    expect(merged.items.map((item) => [item.transactionId, item.status])).toEqual([
      ['c', 'ACTC'],
      ['b', 'ACSC'],
      ['a', 'ACTC'],
    ]);
    expect(merged.added).toEqual(['c']);
  });

  it('finds nothing new in the same page twice', () => {
    const page = [summary('a', '2026-12-02T10:00:01.000Z')];
    expect(mergeLatest(page, page).added).toEqual([]);
  });
});

describe('relatedTransactions', () => {
  it('names the original, the parent and those the steps name, each once and never itself', () => {
    const detail: TransactionDetail = {
      ...summary('t1', '2026-12-02T10:00:00.000Z'),
      originalTransactionId: 'orig',
      parentTransactionId: 'parent',
      steps: [
        { step: 'RCVD', status: 'RCVD', timestamp: '2026-12-02T10:00:00.000Z' },
        { step: 'return#ret1', status: 'RTND', timestamp: '2026-12-02T10:00:01.000Z', relatedTransactionId: 'ret1' },
        { step: 'cancel', status: 'CANC', timestamp: '2026-12-02T10:00:02.000Z', relatedTransactionId: 'orig' },
        { step: 'self', status: 'ACSC', timestamp: '2026-12-02T10:00:03.000Z', relatedTransactionId: 't1' },
      ],
    };
    expect(relatedTransactions(detail)).toEqual([
      { transactionId: 'orig', relation: 'original transaction' },
      { transactionId: 'parent', relation: 'parent transaction' },
      { transactionId: 'ret1', relation: 'named by step return#ret1' },
    ]);
  });
});

describe('relatedTransactions of a request to pay and its payment', () => {
  it('names the answer of a request to pay as its answer, and its payments', () => {
    const detail: TransactionDetail = {
      ...summary('rtp', '2026-12-02T10:00:00.000Z', 'ANSW'),
      messageType: 'pain.013',
      originalTransactionId: 'ans',
      payments: [{ transactionId: 'pay', status: 'ACSC' }],
      steps: [{ step: 'pain013#ANSW', status: 'ANSW', timestamp: '2026-12-02T10:00:01.000Z', relatedTransactionId: 'ans' }],
    };
    expect(relatedTransactions(detail)).toEqual([
      { transactionId: 'ans', relation: 'its answer (pain.014)' },
      { transactionId: 'pay', relation: 'a payment of this request (pacs.008)' },
    ]);
  });

  it('names the request a payment pays', () => {
    const detail: TransactionDetail = { ...summary('pay', '2026-12-02T10:00:00.000Z', 'ACSC'), messageType: 'pacs.008', paymentRequest: { transactionId: 'rtp', status: 'ANSW', answer: 'ACCP' }, steps: [] };
    expect(relatedTransactions(detail)).toEqual([{ transactionId: 'rtp', relation: 'the request to pay it pays (pain.013)' }]);
  });
});

describe('a pain.001 and its transfers', () => {
  const child = (transactionId: string, status: string, receiver?: string) => ({
    transactionId,
    status,
    parties: { sender: 'ent-alpha', ...(receiver ? { receiver } : {}) },
    amount: { value: '1.00', currency: 'EUR' },
    final: true,
  });

  it('says how many transfers go to how many participants, and how many are made so far', () => {
    expect(transfersText({ final: true, transfers: { count: 3 }, children: [child('a', 'ACSC', 'ent-beta'), child('b', 'RJCT'), child('c', 'ACSC', 'ent-beta')] })).toBe('3 transfers to 1 participant');
    expect(transfersText({ final: false, transfers: { count: 2 }, children: [child('a', 'ACTC')] })).toBe('2 transfers (1 made so far)');
    expect(transfersText({ final: false, transfers: { count: 1 }, children: [] })).toBe('1 transfer (0 made so far)');
    expect(transfersText({ final: true, transfers: { count: 1 }, children: [child('a', 'ACSC', 'ent-beta')] })).toBe('1 transfer to 1 participant');
    expect(transfersText({ final: false })).toBeUndefined();
  });

  it('says that a pain.001 refused whole made none', () => {
    expect(transfersText({ final: true, transfers: { count: 2 }, children: [] })).toBe('2 transfers, none made');
  });

  it('counts the statuses of the transfers in the order they come', () => {
    expect(childStatusCounts([child('a', 'ACSC'), child('b', 'RJCT'), child('c', 'ACSC')])).toEqual([
      ['ACSC', 2],
      ['RJCT', 1],
    ]);
  });
});
