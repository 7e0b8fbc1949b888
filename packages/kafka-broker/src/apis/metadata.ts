import type { Topic } from '../store';
import { CLUSTER_ID, getOrCreateTopic, NODE_ID, type ApiHandler } from './context';

/** Metadata (3): the one broker, and the requested topics (all of them for a null list), auto-creating when allowed. */
export const metadata: ApiHandler = (broker, req, r, w) => {
  const requested = r.nullableArray((r) => r.string());
  const allowAuto = req.apiVersion >= 4 ? r.bool() : true;
  const v = req.apiVersion;
  const list: { name: string; result: Topic | number }[] =
    requested === null
      ? [...broker.topics.topics.values()].map((t) => ({ name: t.name, result: t }))
      : requested.map((name) => ({ name, result: getOrCreateTopic(broker, name, allowAuto) }));
  if (v >= 3) w.int32(0);
  w.array([NODE_ID], (w, id) => w.int32(id).string(broker.host).int32(broker.port).nullableString(null));
  if (v >= 2) w.nullableString(CLUSTER_ID);
  w.int32(NODE_ID);
  w.array(list, (w, { name, result }) => {
    if (typeof result === 'number') {
      w.int16(result).string(name).bool(false).int32(0);
      return;
    }
    w.int16(0).string(name).bool(false);
    w.array(
      result.partitions.map((_, i) => i),
      (w, i) => {
        w.int16(0).int32(i).int32(NODE_ID).array([NODE_ID], (w, n) => w.int32(n)).array([NODE_ID], (w, n) => w.int32(n));
        if (v >= 5) w.int32(0);
      },
    );
  });
};
