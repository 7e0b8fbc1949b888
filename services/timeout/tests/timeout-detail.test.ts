import type { TransactionSummary } from '@mxflow/store';
import { timeoutDetail } from '../src/domain/sweep';

const TRANSACTION = '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11';

const summary = (extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: TRANSACTION,
  status: 'RJCT',
  senderEntity: 'ent-alpha',
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:10.500Z',
  final: true,
  deadline: '2026-12-02T09:00:10.000Z',
  ...extra,
});

describe('timeoutDetail', () => {
  it('names the deadline that ran out', () => {
    expect(timeoutDetail(summary())).toBe('no final status by its deadline 2026-12-02T09:00:10.000Z');
  });

  it('says what ran out when no deadline is known', () => {
    expect(timeoutDetail(summary({ deadline: undefined }))).toBe('no final status by its deadline');
  });

  it('fits in a response’s additional information (105 characters), cut between words', () => {
    expect(timeoutDetail(summary({ deadline: 'x'.repeat(200) }))).toBe('no final status by its deadline…');
  });
});
