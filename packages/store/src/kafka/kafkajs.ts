import { Kafka, Partitioners, logLevel, type Consumer, type IHeaders, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import { KafkaConfigError, KafkaStoreError } from '../errors';
import {
  StartFrom,
  type ConsumedRecord,
  type KafkaConnection,
  type KafkaConsumer,
  type KafkaConsumerOptions,
  type KafkaLogEntry,
  type KafkaProducer,
  type KafkaSasl,
  type OutgoingMessage,
  type PartitionBatch,
  type RecordHeader,
  type TopicReconciliation,
  type TopicSpec,
} from './port';

function toKafkaConfig(connection: KafkaConnection): KafkaConfig {
  if (connection.brokers.length === 0) {
    throw new KafkaConfigError('Kafka needs at least one bootstrap server');
  }
  return {
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    ssl: connection.ssl ?? false,
    ...(connection.sasl ? { sasl: toSasl(connection.sasl) } : {}),
    connectionTimeout: connection.connectionTimeoutMs ?? 3000,
    // kafkajs logs every rebalance and retry at INFO; only warnings and errors are passed on.
    logLevel: logLevel.WARN,
    ...(connection.onLog ? { logCreator: toLogCreator(connection.onLog) } : {}),
  };
}

function toLogCreator(onLog: (entry: KafkaLogEntry) => void): logCreator {
  return () =>
    ({ level, log }) => {
      const detail = log.error ? `: ${String(log.error)}` : '';
      if (level === logLevel.ERROR || level === logLevel.WARN) {
        onLog({ level: level === logLevel.ERROR ? 'error' : 'warn', message: `${log.message}${detail}` });
      }
    };
}

function toSasl(sasl: KafkaSasl): SASLOptions {
  if (sasl.mechanism === 'oauthbearer') {
    return { mechanism: 'oauthbearer', oauthBearerProvider: sasl.oauthBearerProvider };
  }
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

function toBuffer(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/**
 * Creates an idempotent producer (acks -1). It connects on the first `send`.
 *
 * @example
 * const producer = createKafkaProducer({ brokers: ['127.0.0.1:9092'], clientId: 'incoming' });
 * await producer.send('incoming.pacs.008', [{ key: 'entity-1', value: JSON.stringify(message) }]);
 */
export function createKafkaProducer(connection: KafkaConnection): KafkaProducer {
  const producer = new Kafka(toKafkaConfig(connection)).producer({
    idempotent: true,
    // Idempotence keeps order only with one request in flight per connection in kafkajs.
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    // Java's murmur2 partitioner, so a key lands on the same partition whichever client produced it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connected: Promise<void> | undefined;
  /** One connection for every send; after a failure, the next call connects again. */
  const connect = async (): Promise<void> => {
    try {
      connected ??= producer.connect();
      await connected;
    } catch (error) {
      connected = undefined;
      throw error;
    }
  };
  return {
    async connect() {
      await connect().catch((error: unknown) => {
        throw new KafkaStoreError('Could not connect the producer', { cause: error });
      });
    },
    async send(topic, messages: readonly OutgoingMessage[]) {
      try {
        await connect();
        await producer.send({
          topic,
          acks: -1,
          messages: messages.map((m) => ({
            key: m.key ?? null,
            value: toBuffer(m.value),
            ...(m.headers ? { headers: m.headers } : {}),
            ...(m.partition === undefined ? {} : { partition: m.partition }),
          })),
        });
      } catch (error) {
        connected = undefined;
        throw new KafkaStoreError(`Could not produce ${messages.length} record(s) to ${topic}`, { cause: error });
      }
    },
    async disconnect() {
      if (connected) {
        connected = undefined;
        await producer.disconnect();
      }
    },
  };
}

/** kafkajs's own console logger, for when the caller passes no `onLog`. */
const consoleLogCreator: logCreator =
  () =>
  ({ namespace, level, label, log }) => {
    const line = JSON.stringify({ level: label, ...log, message: `${namespace ? `[${namespace}] ` : ''}${log.message}` });
    if (level === logLevel.ERROR) console.error(line);
    else if (level === logLevel.WARN) console.warn(line);
  };

/**
 * Passes on every log entry except kafkajs's ERROR about a CreateTopics
 * response ("Topic creation errors"). ensureKafkaTopics throws for such a
 * failure anyway, unless every topic already existed, which is no error.
 */
function withoutCreateTopicsErrors(config: KafkaConfig): KafkaConfig {
  const inner = config.logCreator ?? consoleLogCreator;
  return {
    ...config,
    logCreator: (level) => {
      const log = inner(level);
      return (entry) => {
        if (entry.level === logLevel.ERROR && entry.log.message.startsWith('Response CreateTopics')) return;
        log(entry);
      };
    },
  };
}

/**
 * Creates the topics that do not exist yet. Existing topics are left as they
 * are. It lists the topics first and asks only for the missing ones, so a
 * second run logs nothing; when another client creates one of them at the same
 * moment, that is tolerated too.
 */
export async function ensureKafkaTopics(connection: KafkaConnection, topics: readonly TopicSpec[]): Promise<void> {
  const admin = new Kafka(withoutCreateTopicsErrors(toKafkaConfig(connection))).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    // Resolves false when every missing topic turned out to exist already (a race); other failures throw.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions ?? 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (error) {
    throw new KafkaStoreError(`Could not create topics ${topics.map((t) => t.topic).join(', ')}`, { cause: error });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Brings the cluster's topics up to `topics`: creates the missing ones (with
 * their partitions, replication and configs) and raises the partition count of
 * existing ones that have fewer than requested. It never deletes a topic and
 * never lowers a count; it does not change the configs of a topic that exists.
 * Running it again with the same topics changes nothing. Returns what it did.
 *
 * @example
 * const report = await reconcileKafkaTopics({ brokers, clientId: 'topics' }, [{ topic: 'incoming.pacs.008', numPartitions: 6 }]);
 * // { created: [{ topic: 'incoming.pacs.008', partitions: 6 }], raised: [], unchanged: [], notLowered: [] }
 */
export async function reconcileKafkaTopics(connection: KafkaConnection, topics: readonly TopicSpec[]): Promise<TopicReconciliation> {
  const report: TopicReconciliation = { created: [], raised: [], unchanged: [], notLowered: [] };
  const admin = new Kafka(toKafkaConfig(connection)).admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t.topic));
    const counts = new Map<string, number>();
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
      for (const t of metadata.topics) counts.set(t.name, t.partitions.length);
    }
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions ?? 1,
          ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      report.created.push(...missing.map((t) => ({ topic: t.topic, partitions: t.numPartitions ?? 1 })));
    }
    const raise: { topic: string; count: number }[] = [];
    for (const t of present) {
      const current = counts.get(t.topic) ?? 0;
      const requested = t.numPartitions ?? 1;
      if (requested > current) {
        raise.push({ topic: t.topic, count: requested });
        report.raised.push({ topic: t.topic, from: current, to: requested });
      } else if (requested < current) {
        report.notLowered.push({ topic: t.topic, partitions: current, requested });
      } else {
        report.unchanged.push(t.topic);
      }
    }
    if (raise.length > 0) await admin.createPartitions({ topicPartitions: raise });
  } catch (error) {
    throw new KafkaStoreError(`Could not reconcile topics ${topics.map((t) => t.topic).join(', ')}`, { cause: error });
  } finally {
    await admin.disconnect();
  }
  const byTopic = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);
  report.created.sort(byTopic);
  report.raised.sort(byTopic);
  report.notLowered.sort(byTopic);
  report.unchanged.sort();
  return report;
}

function toHeaders(headers: IHeaders | undefined): RecordHeader[] {
  const out: RecordHeader[] = [];
  for (const [key, raw] of Object.entries(headers ?? {})) {
    // kafkajs folds repeated header names into an array.
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (value !== undefined) out.push({ key, value: toBuffer(value) });
    }
  }
  return out;
}

/** Offsets of partitions the group never committed, found by timestamp. */
async function offsetsAtTimestamp(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  timestamp: number,
): Promise<{ topic: string; partition: number; offset: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const seeks: { topic: string; partition: number; offset: string }[] = [];
    for (const topic of topics) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      for (const { partition, offset } of byTime) {
        const current = committed?.partitions.find((p) => p.partition === partition);
        if (!current || current.offset === '-1') seeks.push({ topic, partition, offset });
      }
    }
    return seeks;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a consumer group member that commits only what its callback commits.
 *
 * @example
 * const consumer = createKafkaConsumer({ brokers, clientId: 'outgoing', groupId: 'outgoing', topics: ['outgoing.pacs.002'] });
 * await consumer.run(async (batch, control) => {
 *   for (const record of batch.records) await handle(record);
 *   await control.commit(batch.records.at(-1)!.offset);
 * });
 */
export function createKafkaConsumer(options: KafkaConsumerOptions): KafkaConsumer {
  const startFrom = options.startFrom ?? StartFrom.EARLIEST;
  if (startFrom === StartFrom.TIMESTAMP && options.startTimestamp === undefined) {
    throw new KafkaConfigError('startFrom "timestamp" needs startTimestamp');
  }
  const kafka = new Kafka(toKafkaConfig(options));
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 500,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    allowAutoTopicCreation: true,
  });
  let stopping: Promise<void> | undefined;

  return {
    async run(onBatch) {
      const seeks =
        startFrom === StartFrom.TIMESTAMP
          ? await offsetsAtTimestamp(kafka, options.groupId, options.topics, options.startTimestamp ?? 0)
          : [];
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [...options.topics], fromBeginning: startFrom === StartFrom.EARLIEST });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 8,
          eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
            const { topic, partition } = batch;
            const records: ConsumedRecord[] = batch.messages.map((m) => ({
              topic,
              partition,
              offset: m.offset,
              timestamp: m.timestamp,
              key: m.key ?? null,
              value: m.value ?? null,
              headers: toHeaders(m.headers),
            }));
            const partitionBatch: PartitionBatch = { topic, partition, records };
            await onBatch(partitionBatch, {
              async commit(offset) {
                resolveOffset(offset);
                await commitOffsetsIfNecessary({
                  topics: [{ topic, partitions: [{ partition, offset: (BigInt(offset) + 1n).toString() }] }],
                });
              },
              heartbeat,
              isActive: () => isRunning() && !isStale(),
            });
          },
        });
        // Seeks apply to the next fetch of each partition, which comes after the group join.
        for (const seek of seeks) consumer.seek(seek);
      } catch (error) {
        throw new KafkaStoreError(`Consumer group ${options.groupId} could not start`, { cause: error });
      }
    },
    pause(topic, partition) {
      consumer.pause([{ topic, partitions: [partition] }]);
    },
    resume(topic, partition) {
      consumer.resume([{ topic, partitions: [partition] }]);
    },
    stop() {
      // disconnect stops the run loop, waits for running callbacks and leaves the group.
      stopping ??= consumer.disconnect();
      return stopping;
    },
  };
}
