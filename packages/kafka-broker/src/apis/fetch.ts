import { ErrorCode } from './protocol';
import type { ApiHandler } from './context';

/** Fetch (1): record batches from each requested offset; waits up to maxWaitMs for minBytes, woken by appends. */
export const fetch: ApiHandler = async (broker, req, r, w) => {
  const v = req.apiVersion;
  r.int32();
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  r.int8();
  if (v >= 7) {
    r.int32();
    r.int32();
  }
  const requests = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => {
      const index = r.int32();
      if (v >= 9) r.int32();
      const fetchOffset = r.int64n();
      if (v >= 5) r.int64();
      return { index, fetchOffset, maxBytes: r.int32() };
    }),
  }));
  if (v >= 7) r.array((r) => [r.string(), r.array((r) => r.int32())]);
  if (v >= 11) r.string();

  const gather = () => {
    let total = 0;
    let error = false;
    const out = requests.map((t) => {
      const topic = broker.topics.topics.get(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          const part = topic?.partitions[p.index];
          if (part === undefined) {
            error = true;
            return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, hw: -1, lso: -1, start: -1, records: [] as Buffer[] };
          }
          const base = { index: p.index, hw: part.highWatermark, lso: part.highWatermark, start: part.logStartOffset };
          if (p.fetchOffset < part.logStartOffset || p.fetchOffset > part.highWatermark) {
            error = true;
            return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: [] as Buffer[] };
          }
          // The response limit still lets the first batch through, as Kafka does (KIP-74).
          const room = total === 0 ? Math.min(p.maxBytes, Math.max(maxBytes, 1)) : Math.min(p.maxBytes, maxBytes - total);
          // Once stopping, the segment files may be closing: answer empty rather than read them.
          const records = room > 0 && p.fetchOffset < part.highWatermark && !broker.stopping ? part.read(p.fetchOffset, room) : [];
          total += records.reduce((n, b) => n + b.length, 0);
          return { ...base, errorCode: 0, records };
        }),
      };
    });
    return { out, total, error };
  };

  let result = gather();
  if (result.total < minBytes && maxWaitMs > 0 && !result.error && !broker.stopping) {
    await new Promise<void>((resolve) => {
      const removers: (() => void)[] = [];
      const done = () => {
        clearTimeout(timer);
        for (const remove of removers) remove();
        broker.parkedFetches.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      broker.parkedFetches.add(done);
      for (const t of requests) {
        const topic = broker.topics.topics.get(t.name);
        for (const p of t.partitions) {
          const part = topic?.partitions[p.index];
          if (part !== undefined) removers.push(part.onAppend(done));
        }
      }
    });
    result = gather();
  }

  w.int32(0);
  if (v >= 7) w.int16(0).int32(0);
  w.array(result.out, (w, t) => {
    w.string(t.name).array(t.partitions, (w, p) => {
      w.int32(p.index).int16(p.errorCode).int64(p.hw).int64(p.lso);
      if (v >= 5) w.int64(p.start);
      w.int32(-1);
      if (v >= 11) w.int32(-1);
      w.int32(p.records.reduce((n, b) => n + b.length, 0));
      for (const b of p.records) w.raw(b);
    });
  });
};
