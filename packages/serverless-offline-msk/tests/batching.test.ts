import type { ConsumedRecord } from '@mxflow/store';
import { backoffMs, decide, takeBatch } from '../src/index';

function records(from: number, count: number, bytes = 1): ConsumedRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    topic: 't',
    partition: 0,
    offset: String(from + i),
    timestamp: '0',
    key: null,
    value: Buffer.alloc(bytes),
    headers: [],
  }));
}
const offsets = (d: ReturnType<typeof decide>) => (d.kind === 'invoke' ? d.records.map((r) => r.offset) : d);

describe('decide', () => {
  it('invokes a full batch at once', () => {
    expect(offsets(decide(records(0, 5), {}, 1000, { batchSize: 3, windowMs: 500 }))).toEqual(['0', '1', '2']);
  });

  it('waits for the window with a partial batch, then invokes it when the window closes', () => {
    const first = decide(records(4, 2), {}, 1000, { batchSize: 3, windowMs: 500 });
    expect(first).toEqual({ kind: 'wait', ms: 500, state: { window: { firstOffset: '4', closesAt: 1500 } } });
    if (first.kind !== 'wait') throw new Error('expected a wait');

    expect(decide(records(4, 2), first.state, 1200, { batchSize: 3, windowMs: 500 })).toMatchObject({ kind: 'wait', ms: 300 });
    expect(offsets(decide(records(4, 2), first.state, 1500, { batchSize: 3, windowMs: 500 }))).toEqual(['4', '5']);
  });

  it('invokes a partial batch at once when the window is zero', () => {
    expect(offsets(decide(records(0, 1), {}, 0, { batchSize: 100, windowMs: 0 }))).toEqual(['0']);
  });

  it('opens a new window when the partial batch starts at another offset', () => {
    const state = { window: { firstOffset: '1', closesAt: 10 } };
    expect(decide(records(2, 1), state, 100, { batchSize: 3, windowMs: 50 })).toMatchObject({ kind: 'wait', ms: 50 });
  });

  it('retries a failed batch with exactly its records, even when more arrived', () => {
    const state = { failed: { firstOffset: '0', lastOffset: '1', attempts: 2, lastError: 'x' } };
    expect(offsets(decide(records(0, 3), state, 0, { batchSize: 10, windowMs: 500 }))).toEqual(['0', '1']);
  });

  it('invokes without waiting when the byte limit cuts the batch', () => {
    expect(offsets(decide(records(0, 3, 10), {}, 0, { batchSize: 10, windowMs: 500, maxBytes: 25 }))).toEqual(['0', '1']);
  });
});

describe('takeBatch', () => {
  it('takes one record even when it alone exceeds the byte limit', () => {
    expect(takeBatch(records(0, 2, 100), 10, 10).map((r) => r.offset)).toEqual(['0']);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [10, 30_000],
  ])('waits after attempt %i for %i ms', (attempts, ms) => {
    expect(backoffMs(attempts, 1000, 30_000)).toBe(ms);
  });
});
