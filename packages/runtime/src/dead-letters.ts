import type middy from '@middy/core';
import { RecordHeader, deadLetterId, encodeDeadLetter, type DeadLetterValue, type RecordPublisher } from '@mxflow/contracts';
import type { DeadLetterStore } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { positiveIntEnv } from './env';
import { recordsOf, type KafkaEventRecord } from './msk';

/** Options of {@link deadLetters}. */
export interface DeadLettersOptions {
  /** The consumer (service) giving up: kept with the dead letter. */
  readonly consumer: string;
  readonly store: DeadLetterStore;
  /** Where `<topic>.dlq` records go. */
  readonly bus: RecordPublisher;
  /** How many failed attempts make a record a dead letter (`MAX_PROCESSING_ATTEMPTS`, default 3). */
  readonly maxAttempts?: number;
  /**
   * What the step does for a record it gave up on, once the dead letter is
   * kept: reject its transaction with a technical reason and answer. Runs
   * again if it failed, on the record's next delivery.
   */
  readonly giveUp?: (record: KafkaEventRecord, letter: DeadLetterValue) => Promise<void>;
  readonly now?: () => Date;
  /** Told about each failed attempt that will be retried. */
  readonly onRetry?: (record: KafkaEventRecord, attempt: number, error: unknown) => void;
}

const defaults = { maxAttempts: 3, now: () => new Date() };

function errorOf(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/**
 * A middy middleware for MSK consumers (batch size 1): a record whose
 * processing fails is retried by the event source until it has failed
 * `maxAttempts` times; then it is kept in the dead-letter table, put on
 * `<topic>.dlq` with its error, handed to `giveUp`, and the event succeeds, so
 * the partition moves on. Attempts are counted in the dead-letter table by the
 * record's topic, partition and offset, so they survive a cold start.
 */
export function deadLetters(options: DeadLettersOptions): middy.MiddlewareObj<MSKEvent, unknown> {
  const settings = { ...defaults, maxAttempts: positiveIntEnv('MAX_PROCESSING_ATTEMPTS', defaults.maxAttempts), ...options };
  const onError: middy.MiddlewareFn<MSKEvent, unknown> = async (request) => {
    const records = recordsOf(request.event);
    // With several records nobody knows which one failed: the event source retries them all.
    if (records.length !== 1 || !records[0]) return;
    const record = records[0];
    const id = deadLetterId(record.topic, record.partition, String(record.offset));
    const attempts = await settings.store.attempt(id);
    if (attempts < settings.maxAttempts) {
      settings.onRetry?.(record, attempts, request.error);
      return;
    }
    const transactionId = record.headers[RecordHeader.transactionId];
    const letter: DeadLetterValue = {
      id,
      consumer: settings.consumer,
      topic: record.topic,
      partition: record.partition,
      offset: String(record.offset),
      ...(record.key === undefined ? {} : { key: record.key }),
      value: record.value.toString('utf8'),
      headers: record.headers,
      error: errorOf(request.error),
      attempts,
      failedAt: settings.now().toISOString(),
      ...(transactionId ? { transactionId } : {}),
    };
    // Kept first, published second: a failure in between leaves it kept, and the next delivery publishes it again.
    await settings.store.put(letter);
    await settings.bus.publish([encodeDeadLetter(letter)]);
    await settings.giveUp?.(record, letter);
    request.error = null;
    // middy rethrows unless the error stack gives a response; a Kafka consumer has none to give.
    request.response = null;
  };
  return { onError };
}
