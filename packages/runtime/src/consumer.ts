import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';
import type { DeadLetterValue } from '@mxflow/contracts';
import type { MSKEvent } from 'aws-lambda';
import { deadLetters, type DeadLettersOptions } from './dead-letters';
import { faultsFor, injectedFaults } from './faults';
import type { KafkaEventRecord } from './msk';
import type { Observability } from './observability';

/** Options of {@link consumerMiddlewares}. */
export interface ConsumerOptions<T> extends Omit<DeadLettersOptions, 'onRetry' | 'giveUp'> {
  /** Reads a record's value (`decodeIncoming`); a record it cannot read is only kept as a dead letter. */
  readonly decode: (record: KafkaEventRecord) => T;
  /** What the step does for a record it gave up on (reject its transaction, answer); resolves what it did, for the log. */
  readonly giveUp?: (value: T, letter: DeadLetterValue) => Promise<unknown>;
}

/**
 * The middlewares of every Kafka consumer, in order: tracing, the logger's
 * Lambda context, metrics, and dead letters (retries logged, give-ups logged
 * and counted). `middy(lambdaHandler).use(consumerMiddlewares(…))`.
 */
export function consumerMiddlewares<T>({ logger, metrics, tracer }: Observability, options: ConsumerOptions<T>): middy.MiddlewareObj<MSKEvent, unknown>[] {
  const { giveUp, decode, ...rest } = options;
  return [
    captureLambdaHandler(tracer),
    injectLambdaContext(logger),
    logMetrics(metrics),
    deadLetters({
      ...rest,
      onRetry: (record, attempt, error) => logger.warn('processing failed; the record is retried', { topic: record.topic, offset: record.offset, attempt, error: error as Error }),
      giveUp: async (record, letter) => {
        let value: T | undefined;
        try {
          value = decode(record);
        } catch (error) {
          // Nothing to reject or answer when the record itself is unreadable: the dead letter is all there is.
          logger.error('an unreadable record was dead-lettered', { deadLetter: letter.id, error: error as Error });
        }
        const outcome = value === undefined ? undefined : await giveUp?.(value, letter);
        logger.error('processing gave up; the record is a dead letter', { deadLetter: letter.id, error: letter.error, outcome });
        metrics.addMetric('deadLetters', MetricUnit.Count, 1);
      },
    }),
    // After the dead-letter middleware, so that an injected failure counts as a failed attempt.
    injectedFaults(faultsFor(options.consumer)),
  ] as middy.MiddlewareObj<MSKEvent, unknown>[];
}
