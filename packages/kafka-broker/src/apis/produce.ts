import { ErrorCode } from './protocol';
import { StorageError } from '../errors';
import { splitRecordSet } from '../records';
import { durable, getOrCreateTopic, NO_RESPONSE, type ApiHandler } from './context';

/** Produce (0): appends each partition's record batches; acks=-1 answers once they are durable, acks=0 never. */
export const produce: ApiHandler = async (broker, req, r, w) => {
  const v = req.apiVersion;
  r.nullableString();
  const acks = r.int16();
  r.int32();
  const requests = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
  }));
  const touched = new Set<{ flush(): Promise<void> }>();
  const results = requests.map((t) => {
    const topic = getOrCreateTopic(broker, t.name, true);
    return {
      name: t.name,
      partitions: t.partitions.map((p) => {
        const answer = (errorCode: number, baseOffset = -1) => ({
          index: p.index,
          errorCode,
          baseOffset,
          logStartOffset: typeof topic === 'number' ? -1 : (topic.partitions[p.index]?.logStartOffset ?? -1),
        });
        if (typeof topic === 'number') return answer(topic);
        const partition = topic.partitions[p.index];
        if (partition === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        if (p.records === null || p.records.length === 0) return answer(ErrorCode.CORRUPT_MESSAGE);
        if (p.records.length > broker.maxMessageBytes) return answer(ErrorCode.MESSAGE_TOO_LARGE);
        const split = splitRecordSet(p.records);
        if ('error' in split) {
          broker.log.debug(`produce to ${t.name}-${p.index} refused with error ${split.error}`);
          return answer(split.error);
        }
        let first = -1;
        try {
          for (const b of split.batches) {
            const res = partition.append(b.header, b.data);
            if (res.kind === 'rejected') return answer(res.error, -1);
            if (first < 0) first = res.baseOffset;
            if (res.kind === 'appended') touched.add(partition);
          }
          if (touched.has(partition)) broker.onAppend?.(t.name);
        } catch (err) {
          if (!(err instanceof StorageError)) throw err;
          broker.log.error(`${err.message}: ${String(err.cause)}`);
          return answer(ErrorCode.KAFKA_STORAGE_ERROR);
        }
        return answer(0, first);
      }),
    };
  });
  if (acks === 0) return NO_RESPONSE;
  if (acks === -1) await durable(broker, touched);
  w.array(results, (w, t) => {
    w.string(t.name).array(t.partitions, (w, p) => {
      w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(-1);
      if (v >= 5) w.int64(p.logStartOffset);
    });
  });
  w.int32(0);
};

/** InitProducerId (22): a fresh idempotent producer id; transactional ids are refused. */
export const initProducerId: ApiHandler = (broker, _req, r, w) => {
  const transactionalId = r.nullableString();
  r.int32();
  w.int32(0);
  if (transactionalId !== null) {
    // Transactions are not implemented; refuse instead of handing out an id that cannot be used.
    w.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
    return;
  }
  const id = broker.producerIds.allocate();
  broker.log.debug(`producer id ${id} allocated`);
  w.int16(0).int64(id).int16(0);
};
