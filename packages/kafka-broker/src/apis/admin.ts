import { ErrorCode } from './protocol';
import { KNOWN_TOPIC_CONFIGS } from '../store';
import { isValidTopicName, MAX_PARTITIONS, NODE_ID, type ApiHandler } from './context';

/** CreateTopics (19): checks each topic's name, partitions, replication and configs, then creates it unless validateOnly. */
export const createTopics: ApiHandler = (broker, req, r, w) => {
  const v = req.apiVersion;
  const requests = r.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.array((r) => r.int32()) })),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  }));
  r.int32();
  const validateOnly = v >= 1 ? r.bool() : false;
  const results = requests.map((t) => {
    const fail = (errorCode: number, message: string) => ({ name: t.name, errorCode, message });
    if (!isValidTopicName(t.name)) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, 'invalid topic name');
    if (broker.topics.topics.has(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${t.name} already exists`);
    if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
      return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'a single-node broker only supports replication factor 1');
    }
    let partitions = t.numPartitions === -1 ? broker.defaultPartitions : t.numPartitions;
    if (t.assignments.length > 0) {
      if (t.assignments.some((a) => a.brokerIds.some((b) => b !== NODE_ID))) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'unknown broker');
      partitions = t.assignments.length;
    }
    if (!(partitions >= 1 && partitions <= MAX_PARTITIONS)) return fail(ErrorCode.INVALID_PARTITIONS, `number of partitions must be between 1 and ${MAX_PARTITIONS}`);
    const configs: Record<string, string> = {};
    for (const c of t.configs) {
      if (!(KNOWN_TOPIC_CONFIGS as readonly string[]).includes(c.name)) return fail(ErrorCode.INVALID_CONFIG, `unsupported config ${c.name}`);
      if (c.value === null) continue;
      if (c.name !== 'cleanup.policy' && !/^-?\d+$/.test(c.value)) return fail(ErrorCode.INVALID_CONFIG, `${c.name} must be an integer`);
      if (c.name === 'cleanup.policy' && c.value !== 'delete') return fail(ErrorCode.INVALID_CONFIG, 'only cleanup.policy=delete is supported');
      configs[c.name] = c.value;
    }
    if (!validateOnly) {
      broker.topics.create(t.name, partitions, configs);
      broker.log.debug(`created topic ${t.name} with ${partitions} partition(s)`);
    }
    return { name: t.name, errorCode: 0, message: null };
  });
  if (v >= 2) w.int32(0);
  w.array(results, (w, t) => {
    w.string(t.name).int16(t.errorCode);
    if (v >= 1) w.nullableString(t.message);
  });
};

/**
 * CreatePartitions (37): raises a topic's partition count. Kafka never lowers
 * one, so a count at or below the current one is INVALID_PARTITIONS, as on a
 * real cluster.
 */
export const createPartitions: ApiHandler = (broker, _req, r, w) => {
  const requests = r.array((r) => ({
    name: r.string(),
    count: r.int32(),
    assignments: r.nullableArray((r) => r.nullableArray((r) => r.int32())),
  }));
  r.int32();
  const validateOnly = r.bool();
  const results = requests.map((t) => {
    const fail = (errorCode: number, message: string) => ({ name: t.name, errorCode, message });
    const topic = broker.topics.topics.get(t.name);
    if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${t.name} does not exist`);
    const current = topic.partitions.length;
    if (t.count <= current) return fail(ErrorCode.INVALID_PARTITIONS, `topic ${t.name} has ${current} partition(s); the count can only grow`);
    if (t.count > MAX_PARTITIONS) return fail(ErrorCode.INVALID_PARTITIONS, `number of partitions must be at most ${MAX_PARTITIONS}`);
    if (t.assignments?.some((a) => a?.some((b) => b !== NODE_ID))) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'unknown broker');
    if (!validateOnly) {
      broker.topics.addPartitions(t.name, t.count);
      broker.log.debug(`raised topic ${t.name} from ${current} to ${t.count} partition(s)`);
    }
    return { name: t.name, errorCode: 0, message: null };
  });
  w.int32(0);
  w.array(results, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.message));
};
