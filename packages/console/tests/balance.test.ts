import { balanceHistory } from '../src/lib/balance';

const posting = (amount: string, timestamp: string, currency = 'EUR') => ({ currency, amount, timestamp, reference: `ref-${timestamp}` });

describe('balanceHistory', () => {
  it('walks back from the current balance over the postings, oldest first', () => {
    const points = balanceHistory('1000.00', 'EUR', [
      posting('-125.50', '2026-12-02T10:00:02.000Z'),
      posting('1000.00', '2026-12-02T10:00:00.000Z'),
      posting('125.50', '2026-12-02T10:00:01.000Z'),
    ]);
    expect(points.map((point) => [point.timestamp, point.minor])).toEqual([
      ['2026-12-02T10:00:00.000Z', 0n],
      ['2026-12-02T10:00:00.000Z', 100000n],
      ['2026-12-02T10:00:01.000Z', 112550n],
      ['2026-12-02T10:00:02.000Z', 100000n],
    ]);
    expect(points[0].posting).toBeUndefined();
    expect(points[3].posting?.amount).toBe('-125.50');
  });

  it('leaves out postings in another currency', () => {
    const points = balanceHistory('10', 'JPY', [posting('10', '2026-12-02T10:00:00.000Z', 'JPY'), posting('99.00', '2026-12-02T10:00:01.000Z', 'EUR')]);
    expect(points.map((point) => point.minor)).toEqual([0n, 10n]);
  });

  it('keeps amounts beyond what a float holds exact', () => {
    const points = balanceHistory('90071992547409.93', 'EUR', [posting('0.01', '2026-12-02T10:00:00.000Z')]);
    expect(points.map((point) => point.minor)).toEqual([9007199254740992n, 9007199254740993n]);
  });

  it('keeps the given order of postings with the same timestamp', () => {
    const at = '2026-12-02T10:00:00.000Z';
    const points = balanceHistory('3.000', 'BHD', [posting('1.000', at, 'BHD'), posting('2.000', at, 'BHD')]);
    expect(points.map((point) => point.minor)).toEqual([0n, 1000n, 3000n]);
  });

  it('gives no points without postings', () => {
    expect(balanceHistory('5.00', 'EUR', [])).toEqual([]);
  });
});
