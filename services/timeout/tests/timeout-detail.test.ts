import type { TransactionSummary } from '@mxflow/store';
import { timeoutDetail } from '../src/domain/sweep';

const summary = (extra: Partial<Pick<TransactionSummary, 'deadline'>> = {}): Pick<TransactionSummary, 'deadline'> => ({ deadline: '2026-12-02T09:00:10.000Z', ...extra });

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
