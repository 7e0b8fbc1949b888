import {
  createKafkaConsumer,
  type BatchControl,
  type ConsumedRecord,
  type KafkaConnection,
  type KafkaProducer,
  type PartitionBatch,
} from '@mxflow/store';
import { backoffMs, decide, type PartitionState } from './batching';
import { matchesFilters } from './filter';
import type { SourceDefinition } from './config';
import { toMskEvent } from './event';
import type { Invoke } from './invoker';

/** Where the plugin reports what it does (Serverless's `log` fits). */
export interface PluginLog {
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** Headers added to a record sent to the on-failure topic. */
export const FailureHeader = {
  FUNCTION: 'mxflow-failed-function',
  ERROR: 'mxflow-error',
  ATTEMPTS: 'mxflow-attempts',
  TOPIC: 'mxflow-source-topic',
  PARTITION: 'mxflow-source-partition',
  OFFSET: 'mxflow-source-offset',
} as const;

/** What a running event source needs from the plugin. */
export interface SourceDependencies {
  connection: KafkaConnection;
  invoke: Invoke;
  /** Sends dead-lettered records; shared by all sources. */
  producer: KafkaProducer;
  log: PluginLog;
}

/** A running event source mapping. */
export interface RunningSource {
  readonly definition: SourceDefinition;
  stop(): Promise<void>;
}

// While a handler runs longer than this, the group still hears from us.
const HEARTBEAT_INTERVAL_MS = 3000;
const SESSION_TIMEOUT_MS = 10_000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one Kafka event source like Lambda's event source mapping: a consumer
 * group reads the topic, each partition in order; a batch is invoked when it is
 * full or its batching window closes; a failed batch blocks its partition and is
 * retried with backoff, then (with `maximumRetryAttempts`) goes to the
 * on-failure topic. Offsets are committed only after success or dead-lettering.
 */
export async function startSource(definition: SourceDefinition, deps: SourceDependencies): Promise<RunningSource> {
  const { connection, invoke, producer, log } = deps;
  const label = `${definition.functionKey} ← ${definition.topic}`;
  const consumer = createKafkaConsumer({
    ...connection,
    groupId: definition.groupId,
    topics: [definition.topic],
    startFrom: definition.startFrom,
    // A process killed without leaving its groups (plain `serverless offline`) holds the partitions
    // until its session expires; keep that wait short. Long invocations heartbeat meanwhile.
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    ...(definition.startTimestamp === undefined ? {} : { startTimestamp: definition.startTimestamp }),
  });
  const states = new Map<string, PartitionState>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function pauseFor(topic: string, partition: number, ms: number): void {
    consumer.pause(topic, partition);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) consumer.resume(topic, partition);
    }, ms);
    timers.add(timer);
  }

  async function invokeWithHeartbeat(records: ConsumedRecord[], control: BatchControl): Promise<void> {
    const event = toMskEvent(
      {
        eventSource: definition.eventSource,
        ...(definition.eventSourceArn === undefined ? {} : { eventSourceArn: definition.eventSourceArn }),
        bootstrapServers: connection.brokers,
      },
      records,
    );
    const beat = setInterval(() => void control.heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
    try {
      await invoke(definition.functionName, event);
    } finally {
      clearInterval(beat);
    }
  }

  async function deadLetter(records: ConsumedRecord[], attempts: number, lastError: string): Promise<void> {
    // `{topic}` stands for the topic the records came from: one function may read several.
    const target = definition.onFailureTopic?.replaceAll('{topic}', records[0].topic);
    if (!target) {
      log.warning(`${label}: dropping offsets ${records[0].offset}–${records.at(-1)!.offset} after ${attempts} attempts (no onFailureTopic)`);
      return;
    }
    await producer.send(
      target,
      records.map((r) => {
        const headers: Record<string, Buffer | string> = {};
        for (const h of r.headers) headers[h.key] = h.value;
        Object.assign(headers, {
          [FailureHeader.FUNCTION]: definition.functionName,
          [FailureHeader.ERROR]: lastError.slice(0, 1000),
          [FailureHeader.ATTEMPTS]: String(attempts),
          [FailureHeader.TOPIC]: r.topic,
          [FailureHeader.PARTITION]: String(r.partition),
          [FailureHeader.OFFSET]: r.offset,
        });
        return { key: r.key, value: r.value ?? Buffer.alloc(0), headers };
      }),
    );
    log.warning(`${label}: sent offsets ${records[0].offset}–${records.at(-1)!.offset} to ${target} after ${attempts} attempts`);
  }

  async function onBatch(batch: PartitionBatch, control: BatchControl): Promise<void> {
    const key = `${batch.topic}-${batch.partition}`;
    // Lambda's filter criteria: what matches no pattern never reaches the function, and is committed with the rest.
    const patterns = definition.filterPatterns;
    let pending = patterns ? batch.records.filter((record) => matchesFilters(patterns, record)) : batch.records;
    const filteredTail = pending.length === 0 || pending.at(-1) !== batch.records.at(-1);
    while (pending.length > 0 && !stopped && control.isActive()) {
      const saved = states.get(key) ?? {};
      // After a rebalance or a seek the fetch may start elsewhere; a failure elsewhere does not count here.
      const state = saved.failed && saved.failed.firstOffset !== pending[0].offset ? {} : saved;
      const decision = decide(pending, state, Date.now(), definition);
      if (decision.kind === 'wait') {
        states.set(key, decision.state);
        // Uncommitted records are fetched again once the partition resumes, with whatever arrived meanwhile.
        pauseFor(batch.topic, batch.partition, decision.ms);
        return;
      }
      const records = decision.records;
      const last = records.at(-1)!.offset;
      try {
        await invokeWithHeartbeat(records, control);
        if (state.failed) log.notice(`${label}: offsets ${records[0].offset}–${last} succeeded after ${state.failed.attempts} failed attempts`);
      } catch (error) {
        const attempts = (state.failed?.attempts ?? 0) + 1;
        const lastError = errorText(error);
        const limit = definition.maximumRetryAttempts;
        if (limit === undefined || attempts <= limit) {
          const delay = backoffMs(attempts, definition.retryBackoffMs, definition.maxRetryBackoffMs);
          log.warning(`${label}: offsets ${records[0].offset}–${last} failed (attempt ${attempts}), retrying in ${delay} ms: ${lastError}`);
          states.set(key, { failed: { firstOffset: records[0].offset, lastOffset: last, attempts, lastError } });
          pauseFor(batch.topic, batch.partition, delay);
          return;
        }
        try {
          await deadLetter(records, attempts, lastError);
        } catch (sendError) {
          // Without the copy on the failure topic the records must stay; try the whole thing again later.
          log.error(`${label}: could not send to ${definition.onFailureTopic}: ${errorText(sendError)}`);
          states.set(key, { failed: { firstOffset: records[0].offset, lastOffset: last, attempts: attempts - 1, lastError } });
          pauseFor(batch.topic, batch.partition, definition.maxRetryBackoffMs);
          return;
        }
      }
      states.delete(key);
      await control.commit(last);
      pending = pending.slice(records.length);
    }
    // Records filtered out after the last one handed over: their offsets move on too.
    if (filteredTail && pending.length === 0 && batch.records.length > 0 && !stopped && control.isActive()) await control.commit(batch.records.at(-1)!.offset);
  }

  await consumer.run(async (batch, control) => {
    try {
      await onBatch(batch, control);
    } catch (error) {
      // A commit that fails leaves the offsets as they were: the records come again, as at-least-once allows.
      log.error(`${label}: ${errorText(error)}`);
    }
  });
  log.notice(`Kafka: ${label} (group ${definition.groupId}, batchSize ${definition.batchSize}, window ${definition.windowMs} ms)`);

  return {
    definition,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await consumer.stop();
    },
  };
}
