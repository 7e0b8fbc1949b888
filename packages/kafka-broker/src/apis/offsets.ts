import { ErrorCode } from './protocol';
import { durable, type ApiHandler } from './context';

/** OffsetCommit (8): stores a group's offsets once the member and generation check out; answers when durable. */
export const offsetCommit: ApiHandler = async (broker, req, r, w) => {
  const v = req.apiVersion;
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (v <= 4) r.int64();
  const requests = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), offset: r.int64n(), metadata: r.nullableString() })),
  }));
  const groupError = broker.groups.checkCommit(groupId, memberId, generationId);
  const results = requests.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      if (groupError !== 0) return { index: p.index, errorCode: groupError };
      if (broker.topics.topics.get(t.name)?.partitions[p.index] === undefined) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      broker.offsets.commit(groupId, t.name, p.index, { offset: p.offset, metadata: p.metadata });
      return { index: p.index, errorCode: 0 };
    }),
  }));
  await durable(broker, [broker.offsets]);
  if (v >= 3) w.int32(0);
  w.array(results, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode)));
};

/** OffsetFetch (9): a group's committed offsets (-1 where none), for the listed partitions or all it committed. */
export const offsetFetch: ApiHandler = (broker, req, r, w) => {
  const v = req.apiVersion;
  const groupId = r.string();
  const requested = r.nullableArray((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) }));
  let list = requested;
  if (list === null) {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of broker.offsets.partitionsOf(groupId)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    list = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
  }
  if (v >= 3) w.int32(0);
  w.array(list, (w, t) => {
    w.string(t.name).array(t.partitions, (w, p) => {
      const c = broker.offsets.fetch(groupId, t.name, p);
      w.int32(p).int64(c?.offset ?? -1).nullableString(c?.metadata ?? '').int16(0);
    });
  });
  if (v >= 2) w.int16(0);
};
