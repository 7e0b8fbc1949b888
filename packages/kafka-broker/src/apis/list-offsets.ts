import { ErrorCode } from './protocol';
import type { ApiHandler } from './context';

/** ListOffsets (2): latest (-1), earliest (-2), or the first batch reaching a timestamp. */
export const listOffsets: ApiHandler = (broker, req, r, w) => {
  const v = req.apiVersion;
  r.int32();
  if (v >= 2) r.int8();
  const requests = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ index: r.int32(), timestamp: r.int64n() })) }));
  if (v >= 2) w.int32(0);
  w.array(requests, (w, t) => {
    const topic = broker.topics.topics.get(t.name);
    w.string(t.name).array(t.partitions, (w, p) => {
      const part = topic?.partitions[p.index];
      w.int32(p.index);
      if (part === undefined) {
        w.int16(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
        return;
      }
      const offset = p.timestamp === -1 ? part.highWatermark : p.timestamp === -2 ? part.logStartOffset : part.offsetForTimestamp(p.timestamp);
      w.int16(0).int64(-1).int64(offset);
    });
  });
};
