import net from 'node:net';
import path from 'node:path';
import { ApiKey, ErrorCode, SUPPORTED_VERSIONS, isSupported } from './apis';
import { Reader, Writer } from './codec';
import { BrokerConfigError, MalformedRequestError, StorageError } from './errors';
import { GroupCoordinator } from './groups';
import { createLogger, type Logger, type LogLevelName } from './logger';
import { splitRecordSet } from './records';
import { KNOWN_TOPIC_CONFIGS, lockDataDir, OffsetStore, ProducerIdAllocator, TopicStore, type Topic } from './store';

/** When appends and offset commits are forced to disk. */
export const FsyncPolicy = {
  /** Before every acks=-1 produce answer and every offset-commit answer (group commit). */
  ALWAYS: 'always',
  /** Every `fsyncIntervalMs`; answers wait only for the write to reach the OS. */
  INTERVAL: 'interval',
} as const;
export type FsyncPolicyName = (typeof FsyncPolicy)[keyof typeof FsyncPolicy];

/** Options of {@link startBroker}. Every one has a default. */
export interface BrokerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on and to advertise. Default 127.0.0.1. */
  host?: string;
  /** Directory of the log segments and state; omitted means in memory. */
  dataDir?: string;
  /** Create unknown topics on Metadata (when the client allows) and Produce. Default true. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with numPartitions -1. Default 1. */
  defaultPartitions?: number;
  /** Default `always`. */
  fsync?: FsyncPolicyName;
  /** Period of the `interval` policy. Default 1000. */
  fsyncIntervalMs?: number;
  /** Largest record set accepted (MESSAGE_TOO_LARGE beyond); frames over this plus 64 KiB close the connection. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Default segment size. Default 64 MiB. */
  segmentBytes?: number;
  /** Default time retention; -1 keeps forever. Default 7 days. */
  retentionMs?: number;
  /** Default size retention per partition; -1 means no limit. Default -1. */
  retentionBytes?: number;
  /** How often retention runs. Default 5000. */
  retentionCheckIntervalMs?: number;
  /** Wait of the first rebalance of an empty group for more members. Default 3000; tests use 0. */
  initialRebalanceDelayMs?: number;
  /** Log level; otherwise `MXFLOW_LOG_LEVEL`, otherwise info. */
  logLevel?: LogLevelName;
  /** Replaces the stderr logger. */
  logger?: Logger;
}

/** A running broker. */
export interface RunningBroker {
  host: string;
  port: number;
  /** `host:port`, ready for a client's `brokers` list. */
  brokers: string;
  /** Stops accepting, closes every connection, flushes and closes the files. */
  stop(): Promise<void>;
}

const NODE_ID = 0;
const openDataDirs = new Set<string>();
// Each partition holds open files; a cap keeps one request from exhausting the process's descriptors.
const MAX_PARTITIONS = 1000;
const CLUSTER_ID = 'mxflow-local';
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
// A client may pipeline requests; past this many unanswered ones we stop reading its socket.
const MAX_IN_FLIGHT = 64;
// Room for a request's own fields around a record set of max.message.bytes: a frame a little over
// the limit still gets a MESSAGE_TOO_LARGE answer, anything bigger closes the connection.
const REQUEST_OVERHEAD_BYTES = 64 * 1024;

interface Ctx {
  apiVersion: number;
  clientId: string;
  clientHost: string;
}

type Handler = (ctx: Ctx, r: Reader, w: Writer) => void | typeof NO_RESPONSE | Promise<void | typeof NO_RESPONSE>;
const NO_RESPONSE = Symbol('no response');

/**
 * Starts a single-node broker speaking the Kafka protocol.
 *
 * @example
 * const broker = await startBroker({ port: 0, dataDir: './.data/kafka' });
 * const kafka = new Kafka({ brokers: [broker.brokers] });
 */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const o = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir ?? null,
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.defaultPartitions ?? 1,
    fsync: options.fsync ?? FsyncPolicy.ALWAYS,
    fsyncIntervalMs: options.fsyncIntervalMs ?? 1000,
    maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    retentionMs: options.retentionMs ?? 7 * 24 * 3600 * 1000,
    retentionBytes: options.retentionBytes ?? -1,
    retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 5000,
    initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 3000,
  };
  if (!Object.values(FsyncPolicy).includes(o.fsync)) throw new BrokerConfigError(`unknown fsync policy ${String(o.fsync)}`);
  if (!(o.defaultPartitions >= 1)) throw new BrokerConfigError('defaultPartitions must be at least 1');
  const log = options.logger ?? createLogger(options.logLevel);
  // In one process, two brokers on one directory are caught by this set; across processes, by the lock file.
  if (o.dataDir !== null && openDataDirs.has(path.resolve(o.dataDir))) throw new BrokerConfigError(`data directory ${o.dataDir} is already open`);
  const unlock = o.dataDir === null ? () => {} : lockDataDir(o.dataDir);
  if (o.dataDir !== null) openDataDirs.add(path.resolve(o.dataDir));
  const release = () => {
    unlock();
    if (o.dataDir !== null) openDataDirs.delete(path.resolve(o.dataDir));
  };
  let topics: TopicStore;
  let offsets: OffsetStore;
  let producerIds: ProducerIdAllocator;
  try {
    topics = new TopicStore(o.dataDir, o);
    offsets = new OffsetStore(o.dataDir);
    producerIds = new ProducerIdAllocator(o.dataDir);
  } catch (err) {
    release();
    throw err;
  }
  const groups = new GroupCoordinator({ initialRebalanceDelayMs: o.initialRebalanceDelayMs, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 300_000 }, log);
  const sockets = new Set<net.Socket>();
  const parkedFetches = new Set<() => void>();
  let port = o.port;
  let stopping = false;

  const timers: NodeJS.Timeout[] = [];
  const flushAll = async () => {
    for (const t of topics.topics.values()) for (const p of t.partitions) if (p.dirty) await p.flush();
    if (offsets.dirty) await offsets.flush();
  };
  if (o.fsync === FsyncPolicy.INTERVAL) {
    let running = false;
    timers.push(
      setInterval(() => {
        if (running) return;
        running = true;
        flushAll()
          .catch((err: unknown) => log.error(`periodic fsync failed: ${String(err)}`))
          .finally(() => (running = false));
      }, o.fsyncIntervalMs),
    );
  }
  timers.push(
    setInterval(() => {
      const now = Date.now();
      for (const t of topics.topics.values()) {
        t.partitions.forEach((p, i) => {
          try {
            const n = p.enforceRetention(now);
            if (n > 0) log.debug(`retention removed ${n} segment(s) of ${t.name}-${i}`);
          } catch (err) {
            log.error(`retention of ${t.name}-${i} failed: ${String(err)}`);
          }
        });
      }
    }, o.retentionCheckIntervalMs),
  );
  for (const t of timers) t.unref();

  const getOrCreateTopic = (name: string, create: boolean): Topic | number => {
    const t = topics.topics.get(name);
    if (t !== undefined) return t;
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..') return ErrorCode.INVALID_TOPIC_EXCEPTION;
    if (!create || !o.autoCreateTopics) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    log.debug(`auto-creating topic ${name} with ${o.defaultPartitions} partition(s)`);
    return topics.create(name, o.defaultPartitions, {});
  };

  const durable = async (logs: Iterable<{ flush(): Promise<void> }>) => {
    if (o.fsync === FsyncPolicy.ALWAYS) await Promise.all([...logs].map((l) => l.flush()));
  };

  // One decoder-encoder per API key; each reads its request from r and writes its answer body to w.
  const handlers: Record<number, Handler> = {};

  handlers[ApiKey.API_VERSIONS] = (ctx, r, w) => {
    if (ctx.apiVersion >= 3) {
      // v3 is the one flexible encoding served: compact arrays and tagged fields, but a v0 response header.
      r.compactNullableString();
      r.compactNullableString();
      r.skipTaggedFields();
      w.int16(0).compactArrayLength(SUPPORTED_VERSIONS.length);
      for (const v of SUPPORTED_VERSIONS) w.int16(v.apiKey).int16(v.min).int16(v.max).emptyTaggedFields();
      w.int32(0).emptyTaggedFields();
      return;
    }
    w.int16(0).array(SUPPORTED_VERSIONS, (w, v) => w.int16(v.apiKey).int16(v.min).int16(v.max));
    if (ctx.apiVersion >= 1) w.int32(0);
  };

  handlers[ApiKey.METADATA] = (ctx, r, w) => {
    const requested = r.nullableArray((r) => r.string());
    const allowAuto = ctx.apiVersion >= 4 ? r.bool() : true;
    const v = ctx.apiVersion;
    const list: { name: string; result: Topic | number }[] =
      requested === null
        ? [...topics.topics.values()].map((t) => ({ name: t.name, result: t }))
        : requested.map((name) => ({ name, result: getOrCreateTopic(name, allowAuto) }));
    if (v >= 3) w.int32(0);
    w.array([NODE_ID], (w, id) => w.int32(id).string(o.host).int32(port).nullableString(null));
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

  handlers[ApiKey.CREATE_TOPICS] = (ctx, r, w) => {
    const v = ctx.apiVersion;
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
      if (!TOPIC_NAME.test(t.name) || t.name === '.' || t.name === '..') return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, 'invalid topic name');
      if (topics.topics.has(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${t.name} already exists`);
      if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
        return fail(ErrorCode.INVALID_REPLICATION_FACTOR, 'a single-node broker only supports replication factor 1');
      }
      let partitions = t.numPartitions === -1 ? o.defaultPartitions : t.numPartitions;
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
        topics.create(t.name, partitions, configs);
        log.debug(`created topic ${t.name} with ${partitions} partition(s)`);
      }
      return { name: t.name, errorCode: 0, message: null };
    });
    if (v >= 2) w.int32(0);
    w.array(results, (w, t) => {
      w.string(t.name).int16(t.errorCode);
      if (v >= 1) w.nullableString(t.message);
    });
  };

  handlers[ApiKey.PRODUCE] = async (ctx, r, w) => {
    const v = ctx.apiVersion;
    r.nullableString();
    const acks = r.int16();
    r.int32();
    const requests = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
    }));
    const touched = new Set<{ flush(): Promise<void> }>();
    const results = requests.map((t) => {
      const topic = getOrCreateTopic(t.name, true);
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
          if (p.records.length > o.maxMessageBytes) return answer(ErrorCode.MESSAGE_TOO_LARGE);
          const split = splitRecordSet(p.records);
          if ('error' in split) {
            log.debug(`produce to ${t.name}-${p.index} refused with error ${split.error}`);
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
          } catch (err) {
            if (!(err instanceof StorageError)) throw err;
            log.error(`${err.message}: ${String(err.cause)}`);
            return answer(ErrorCode.KAFKA_STORAGE_ERROR);
          }
          return answer(0, first);
        }),
      };
    });
    if (acks === 0) return NO_RESPONSE;
    if (acks === -1) await durable(touched);
    w.array(results, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => {
        w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(-1);
        if (v >= 5) w.int64(p.logStartOffset);
      });
    });
    w.int32(0);
  };

  handlers[ApiKey.FETCH] = async (ctx, r, w) => {
    const v = ctx.apiVersion;
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
        const topic = topics.topics.get(t.name);
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
            const records = room > 0 && p.fetchOffset < part.highWatermark && !stopping ? part.read(p.fetchOffset, room) : [];
            total += records.reduce((n, b) => n + b.length, 0);
            return { ...base, errorCode: 0, records };
          }),
        };
      });
      return { out, total, error };
    };

    let result = gather();
    if (result.total < minBytes && maxWaitMs > 0 && !result.error && !stopping) {
      await new Promise<void>((resolve) => {
        const removers: (() => void)[] = [];
        const done = () => {
          clearTimeout(timer);
          for (const remove of removers) remove();
          parkedFetches.delete(done);
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        parkedFetches.add(done);
        for (const t of requests) {
          const topic = topics.topics.get(t.name);
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

  handlers[ApiKey.LIST_OFFSETS] = (ctx, r, w) => {
    const v = ctx.apiVersion;
    r.int32();
    if (v >= 2) r.int8();
    const requests = r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ index: r.int32(), timestamp: r.int64n() })) }));
    if (v >= 2) w.int32(0);
    w.array(requests, (w, t) => {
      const topic = topics.topics.get(t.name);
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

  handlers[ApiKey.FIND_COORDINATOR] = (ctx, r, w) => {
    r.string();
    if (ctx.apiVersion >= 1) {
      r.int8();
      w.int32(0).int16(0).nullableString(null);
    } else {
      w.int16(0);
    }
    w.int32(NODE_ID).string(o.host).int32(port);
  };

  handlers[ApiKey.JOIN_GROUP] = async (ctx, r, w) => {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const sessionTimeoutMs = r.int32();
    const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
    const memberId = r.string();
    const groupInstanceId = v >= 5 ? r.nullableString() : null;
    const protocolType = r.string();
    const protocols = r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
    const res = await groups.join({
      groupId,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      memberId,
      groupInstanceId,
      protocolType,
      protocols,
      clientId: ctx.clientId,
      clientHost: ctx.clientHost,
      requireKnownMemberId: v >= 4,
    });
    if (v >= 2) w.int32(0);
    w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
    w.array(res.members, (w, m) => {
      w.string(m.memberId);
      if (v >= 5) w.nullableString(m.groupInstanceId);
      w.nullableBytes(m.metadata);
    });
  };

  handlers[ApiKey.SYNC_GROUP] = async (ctx, r, w) => {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (ctx.apiVersion >= 3) r.nullableString();
    const assignments = r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
    const res = await groups.sync(groupId, memberId, generationId, assignments);
    if (ctx.apiVersion >= 1) w.int32(0);
    w.int16(res.errorCode).nullableBytes(res.assignment);
  };

  handlers[ApiKey.HEARTBEAT] = (ctx, r, w) => {
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (ctx.apiVersion >= 3) r.nullableString();
    const errorCode = groups.heartbeat(groupId, memberId, generationId);
    if (ctx.apiVersion >= 1) w.int32(0);
    w.int16(errorCode);
  };

  handlers[ApiKey.LEAVE_GROUP] = (ctx, r, w) => {
    const groupId = r.string();
    if (ctx.apiVersion < 3) {
      const errorCode = groups.leave(groupId, r.string());
      if (ctx.apiVersion >= 1) w.int32(0);
      w.int16(errorCode);
      return;
    }
    const members = r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }));
    const results = members.map((m) => ({ ...m, errorCode: groups.leave(groupId, m.memberId) }));
    w.int32(0).int16(0);
    w.array(results, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
  };

  handlers[ApiKey.OFFSET_COMMIT] = async (ctx, r, w) => {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const generationId = r.int32();
    const memberId = r.string();
    if (v <= 4) r.int64();
    const requests = r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ index: r.int32(), offset: r.int64n(), metadata: r.nullableString() })),
    }));
    const groupError = groups.checkCommit(groupId, memberId, generationId);
    const results = requests.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (groupError !== 0) return { index: p.index, errorCode: groupError };
        if (topics.topics.get(t.name)?.partitions[p.index] === undefined) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        offsets.commit(groupId, t.name, p.index, { offset: p.offset, metadata: p.metadata });
        return { index: p.index, errorCode: 0 };
      }),
    }));
    await durable([offsets]);
    if (v >= 3) w.int32(0);
    w.array(results, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode)));
  };

  handlers[ApiKey.OFFSET_FETCH] = (ctx, r, w) => {
    const v = ctx.apiVersion;
    const groupId = r.string();
    const requested = r.nullableArray((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) }));
    let list = requested;
    if (list === null) {
      const byTopic = new Map<string, number[]>();
      for (const { topic, partition } of offsets.partitionsOf(groupId)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
      list = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
    }
    if (v >= 3) w.int32(0);
    w.array(list, (w, t) => {
      w.string(t.name).array(t.partitions, (w, p) => {
        const c = offsets.fetch(groupId, t.name, p);
        w.int32(p).int64(c?.offset ?? -1).nullableString(c?.metadata ?? '').int16(0);
      });
    });
    if (v >= 2) w.int16(0);
  };

  handlers[ApiKey.INIT_PRODUCER_ID] = (_ctx, r, w) => {
    const transactionalId = r.nullableString();
    r.int32();
    w.int32(0);
    if (transactionalId !== null) {
      // Transactions are not implemented; refuse instead of handing out an id that cannot be used.
      w.int16(ErrorCode.INVALID_REQUEST).int64(-1).int16(-1);
      return;
    }
    const id = producerIds.allocate();
    log.debug(`producer id ${id} allocated`);
    w.int16(0).int64(id).int16(0);
  };

  const unsupported = (w: Writer) => {
    w.int16(ErrorCode.UNSUPPORTED_VERSION).array(SUPPORTED_VERSIONS, (w, v) => w.int16(v.apiKey).int16(v.min).int16(v.max));
  };

  const serve = (socket: net.Socket) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    // Answers are small and often pipelined: Nagle's algorithm would hold them back for an ACK.
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    log.debug(`connection from ${peer}`);
    let chunks: Buffer[] = [];
    let buffered = 0;
    let closed = false;
    const queue: { ready: boolean; frame: Buffer | null }[] = [];

    const close = (reason: string) => {
      if (closed) return;
      closed = true;
      log.debug(`closing connection from ${peer}: ${reason}`);
      socket.destroy();
    };

    // eslint-disable-next-line prefer-const -- assigned below, after handle() that it calls is defined
    let pump: () => void;
    const drain = () => {
      while (queue.length > 0 && queue[0].ready) {
        const { frame } = queue.shift()!;
        if (frame !== null && !closed) socket.write(frame);
      }
      if (queue.length < MAX_IN_FLIGHT && socket.isPaused() && !closed) {
        pump();
        if (queue.length < MAX_IN_FLIGHT) socket.resume();
      }
    };

    const handle = (frame: Buffer) => {
      const r = new Reader(frame);
      const apiKey = r.int16();
      const apiVersion = r.int16();
      const correlationId = r.int32();
      const clientId = r.nullableString() ?? '';
      const slot = { ready: false, frame: null as Buffer | null };
      queue.push(slot);
      const w = new Writer(256);
      w.int32(0).int32(correlationId);
      const finish = (result: unknown) => {
        if (result !== NO_RESPONSE) {
          const out = w.toBuffer();
          out.writeInt32BE(out.length - 4, 0);
          slot.frame = out;
        }
        slot.ready = true;
        drain();
      };
      const handler = handlers[apiKey];
      if (handler === undefined || !isSupported(apiKey, apiVersion)) {
        log.debug(`${peer}: unsupported api ${apiKey} v${apiVersion}`);
        unsupported(w);
        finish(undefined);
        return;
      }
      if (apiKey === ApiKey.API_VERSIONS && apiVersion >= 3) r.skipTaggedFields();
      const fail = (err: unknown) => {
        if (err instanceof MalformedRequestError) close(`malformed api ${apiKey} v${apiVersion}: ${err.message}`);
        else {
          log.error(`${peer}: api ${apiKey} v${apiVersion} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          close('internal error');
        }
      };
      try {
        const result = handler({ apiVersion, clientId, clientHost: socket.remoteAddress ?? '' }, r, w);
        // A thenable check rather than instanceof: test runners may give each module its own Promise.
        if (result !== undefined && typeof result === 'object' && 'then' in result) result.then(finish, fail);
        else finish(result);
      } catch (err) {
        fail(err);
      }
    };

    // Splits the buffered bytes into frames, stopping while too many answers are outstanding.
    pump = () => {
      while (!closed && buffered >= 4 && queue.length < MAX_IN_FLIGHT) {
        if (chunks[0].length < 4) chunks = [Buffer.concat(chunks, buffered)];
        const size = chunks[0].readInt32BE(0);
        if (size < 8 || size > o.maxMessageBytes + REQUEST_OVERHEAD_BYTES) {
          close(`frame of ${size} bytes`);
          return;
        }
        // Join the chunks only once the whole frame is here, so a big frame is copied once.
        if (buffered < size + 4) return;
        const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
        const frame = all.subarray(4, size + 4);
        const rest = all.subarray(size + 4);
        chunks = rest.length > 0 ? [rest] : [];
        buffered = rest.length;
        try {
          handle(frame);
        } catch (err) {
          // Only the fixed header can fail here; the handler's own errors are caught inside.
          close(`malformed request header: ${String(err)}`);
          return;
        }
      }
      if (queue.length >= MAX_IN_FLIGHT && !socket.isPaused()) socket.pause();
    };

    socket.on('data', (data: Buffer) => {
      if (closed) return;
      chunks.push(data);
      buffered += data.length;
      pump();
    });
    socket.on('error', (err) => log.debug(`connection from ${peer}: ${err.message}`));
    socket.on('close', () => {
      closed = true;
      sockets.delete(socket);
      log.debug(`connection from ${peer} closed`);
    });
  };

  const server = net.createServer(serve);
  server.on('error', (err) => log.error(`server error: ${err.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    for (const t of timers) clearInterval(t);
    groups.close();
    await topics.close();
    await offsets.close();
    release();
    throw err;
  }
  port = (server.address() as net.AddressInfo).port;
  log.info(`listening on ${o.host}:${port} (${o.dataDir === null ? 'in memory' : `data in ${o.dataDir}`}, fsync ${o.fsync})`);

  let stopped: Promise<void> | null = null;
  return {
    host: o.host,
    port,
    brokers: `${o.host}:${port}`,
    stop: () => {
      stopped ??= (async () => {
        stopping = true;
        for (const t of timers) clearInterval(t);
        const closedServer = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const wake of [...parkedFetches]) wake();
        groups.close();
        for (const s of sockets) s.destroy();
        await closedServer;
        await topics.close();
        await offsets.close();
        release();
        log.info('stopped');
      })();
      return stopped;
    },
  };
}
