import { formatDuration, formatTimestamp, timeline } from '../src/lib/durations';

describe('durations of a transaction', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1204, '1.204 s'],
    [59_999, '59.999 s'],
    [123_500, '2 min 03.500 s'],
    [3_720_000, '1 h 02 min'],
    [183_600_000, '2 d 03 h'],
    [-40, '−40 ms'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('gives each step the time until the next, and an open last step the time until now', () => {
    const steps = [
      { step: 'ACTC', timestamp: '2026-12-02T10:00:00.120Z' },
      { step: 'RCVD', timestamp: '2026-12-02T10:00:00.100Z' },
      { step: 'ACSC', timestamp: '2026-12-02T10:00:00.450Z' },
    ];
    const now = Date.parse('2026-12-02T10:00:01.450Z');
    expect(timeline(steps, false, now).map((item) => [item.step.step, item.spentMs, item.sinceStartMs])).toEqual([
      ['RCVD', 20, 0],
      ['ACTC', 330, 20],
      ['ACSC', 1000, 350],
    ]);
  });

  it('gives the last step of a final transaction no duration', () => {
    const steps = [
      { step: 'RCVD', timestamp: '2026-12-02T10:00:00.100Z' },
      { step: 'RJCT', timestamp: '2026-12-02T10:00:00.300Z' },
    ];
    const last = timeline(steps, true, Date.now()).at(-1);
    expect(last?.spentMs).toBeUndefined();
    expect(last?.sinceStartMs).toBe(200);
  });

  it('shows timestamps in UTC with milliseconds', () => {
    expect(formatTimestamp('2026-12-02T10:00:00.100+01:00')).toBe('2026-12-02 09:00:00.100 UTC');
  });
});
