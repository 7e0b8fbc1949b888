import type { Reader, Writer } from '../codec';
import type { GroupCoordinator } from '../groups';
import type { Logger } from '../logger';
import type { OffsetStore, ProducerIdAllocator, Topic, TopicStore } from '../store';
import { ErrorCode } from './protocol';

/** The single node's id, in every metadata and coordinator answer. */
export const NODE_ID = 0;
export const CLUSTER_ID = 'mxflow-local';
// Each partition holds open files; a cap keeps one request from exhausting the process's descriptors.
export const MAX_PARTITIONS = 1000;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** The state of a running broker that API handlers read and change. */
export interface BrokerContext {
  /** Advertised in Metadata and FindCoordinator. */
  readonly host: string;
  /** The listening port; set once the server listens, before any request arrives. */
  port: number;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** Largest record set a produce may carry. */
  readonly maxMessageBytes: number;
  /** True under the `always` fsync policy: acks=-1 produce and offset-commit answers wait for fsync. */
  readonly fsyncBeforeAnswer: boolean;
  readonly topics: TopicStore;
  readonly offsets: OffsetStore;
  readonly producerIds: ProducerIdAllocator;
  readonly groups: GroupCoordinator;
  readonly log: Logger;
  /** Wakes each fetch that waits for data; stop() calls them all. */
  readonly parkedFetches: Set<() => void>;
  /** Set when stop() begins. */
  stopping: boolean;
  /** Told the topic after records were appended to it (BrokerOptions.onAppend). */
  readonly onAppend?: (topic: string) => void;
}

/** What a handler knows of the request beyond its body. */
export interface RequestContext {
  apiVersion: number;
  clientId: string;
  clientHost: string;
}

/** Returned by a handler whose request gets no answer (produce with acks=0). */
export const NO_RESPONSE = Symbol('no response');

/** Decodes one API's request body from `r` and writes its answer body to `w`. */
export type ApiHandler = (
  broker: BrokerContext,
  req: RequestContext,
  r: Reader,
  w: Writer,
) => void | typeof NO_RESPONSE | Promise<void | typeof NO_RESPONSE>;

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

/** The topic, created if allowed, or the error code to answer for it. */
export function getOrCreateTopic(broker: BrokerContext, name: string, create: boolean): Topic | number {
  const t = broker.topics.topics.get(name);
  if (t !== undefined) return t;
  if (!isValidTopicName(name)) return ErrorCode.INVALID_TOPIC_EXCEPTION;
  if (!create || !broker.autoCreateTopics) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  broker.log.debug(`auto-creating topic ${name} with ${broker.defaultPartitions} partition(s)`);
  return broker.topics.create(name, broker.defaultPartitions, {});
}

/** Waits for `logs` to reach the disk when the fsync policy asks for it before answering. */
export async function durable(broker: BrokerContext, logs: Iterable<{ flush(): Promise<void> }>): Promise<void> {
  if (broker.fsyncBeforeAnswer) await Promise.all([...logs].map((l) => l.flush()));
}
