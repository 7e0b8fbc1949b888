/**
 * The project's own Kafka interface. Callers depend on these types only, so the
 * client library behind them (kafkajs today) can be replaced in one place.
 */

/** SASL settings: username/password mechanisms, or OAUTHBEARER (MSK IAM). */
export type KafkaSasl =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'oauthbearer'; oauthBearerProvider: () => Promise<{ value: string }> };

/** Where and how to connect. */
export interface KafkaConnection {
  /** Bootstrap servers, `host:port` each. */
  brokers: readonly string[];
  clientId: string;
  /** TLS on (MSK); omitted or false for the local broker. */
  ssl?: boolean;
  sasl?: KafkaSasl;
  /** How long a connection attempt may take. Default 3000 ms. */
  connectionTimeoutMs?: number;
  /** Receives the client's own warnings and errors; by default they go to stderr. */
  onLog?: (entry: KafkaLogEntry) => void;
}

/** A warning or error from the Kafka client (reconnects, rebalances, crashes it recovers from). */
export interface KafkaLogEntry {
  level: 'error' | 'warn';
  message: string;
}

/** One record to produce. */
export interface OutgoingMessage {
  /** Partitioning key; records with the same key keep their order. */
  key?: Buffer | string | null;
  value: Buffer | string;
  headers?: Record<string, string | Buffer>;
  /** Explicit partition; normally left to the key hash. */
  partition?: number;
}

/** Sends records. Idempotent, and waits for all in-sync replicas (acks -1). */
export interface KafkaProducer {
  /** Connects now rather than at the first send (which connects when this did not, or failed). */
  connect(): Promise<void>;
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** One header of a consumed record. A name may repeat, so headers are a list. */
export interface RecordHeader {
  key: string;
  value: Buffer;
}

/** One consumed record. Offsets and timestamps are decimal strings, as Kafka's int64 are. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Milliseconds since the epoch, as a decimal string. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Records of one partition, in offset order. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
}

/** What a batch callback may do with the partition it is handed. */
export interface BatchControl {
  /**
   * Marks `offset` and everything before it as processed and commits `offset + 1`.
   * Records that are not committed this way are fetched again.
   */
  commit(offset: string): Promise<void>;
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was reassigned. */
  isActive(): boolean;
}

/** Where a group starts reading a partition it has never committed. */
export const StartFrom = {
  EARLIEST: 'earliest',
  LATEST: 'latest',
  TIMESTAMP: 'timestamp',
} as const;
/** One of {@link StartFrom}. */
export type StartFromName = (typeof StartFrom)[keyof typeof StartFrom];

/** Options of a consumer group member. */
export interface KafkaConsumerOptions extends KafkaConnection {
  groupId: string;
  topics: readonly string[];
  /** Default `earliest`. */
  startFrom?: StartFromName;
  /** Milliseconds since the epoch; required with `startFrom: 'timestamp'`. */
  startTimestamp?: number;
  /** How many partitions' callbacks may run at the same time. Default 8. */
  partitionsConsumedConcurrently?: number;
  /** Longest time a fetch waits for data. Default 500 ms. */
  maxWaitTimeMs?: number;
  /** How long the group waits for a silent member before giving its partitions away. Default 30000 ms. */
  sessionTimeoutMs?: number;
}

/**
 * A consumer group member with manual commits. Each partition's callback runs
 * one at a time and in offset order; different partitions may run in parallel.
 */
export interface KafkaConsumer {
  /** Joins the group and starts calling `onBatch`. Resolves once the consumer runs. */
  run(onBatch: (batch: PartitionBatch, control: BatchControl) => Promise<void>): Promise<void>;
  /** Stops fetching a partition; uncommitted records are fetched again after {@link resume}. */
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  /** Leaves the group and closes the connections. Safe to call twice. */
  stop(): Promise<void>;
}

/** A topic to create, when it does not exist yet. */
export interface TopicSpec {
  topic: string;
  numPartitions?: number;
  /** Replicas per partition; omitted means the cluster's default (MSK Serverless takes 3, the local broker 1). */
  replicationFactor?: number;
  /** Topic configs such as `retention.ms`; the broker's defaults apply to the rest. */
  config?: Readonly<Record<string, string>>;
}

/** What {@link reconcileKafkaTopics} did, topic by topic (each list sorted by topic name). */
export interface TopicReconciliation {
  /** Topics that did not exist and were created. */
  created: { topic: string; partitions: number }[];
  /** Existing topics whose partition count was raised to the requested one. */
  raised: { topic: string; from: number; to: number }[];
  /** Existing topics that already had the requested partition count. */
  unchanged: string[];
  /**
   * Existing topics with more partitions than requested. Kafka cannot lower a
   * count (and deleting the topic would lose its records), so they are left as they are.
   */
  notLowered: { topic: string; partitions: number; requested: number }[];
}
