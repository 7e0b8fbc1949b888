import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';
import type { DeadLetterValue } from '@mxflow/contracts';
import type { MSKEvent } from 'aws-lambda';
import { deadLetters, type DeadLettersOptions } from './dead-letters';
import type { KafkaEventRecord } from './msk';
import type { Observability } from './observability';

/** Options of {@link consumerMiddlewares}. */
export interface ConsumerOptions extends Omit<DeadLettersOptions, 'onRetry' | 'giveUp'> {
  /** What the step does for a record it gave up on (reject its transaction, answer). */
  readonly giveUp?: (record: KafkaEventRecord, letter: DeadLetterValue) => Promise<unknown>;
}

/**
 * The middlewares of every Kafka consumer, in order: tracing, the logger's
 * Lambda context, metrics, and dead letters (retries logged, give-ups logged
 * and counted). `middy(lambdaHandler).use(consumerMiddlewares(…))`.
 */
export function consumerMiddlewares({ logger, metrics, tracer }: Observability, options: ConsumerOptions): middy.MiddlewareObj<MSKEvent, unknown>[] {
  const { giveUp, ...rest } = options;
  return [
    captureLambdaHandler(tracer),
    injectLambdaContext(logger),
    logMetrics(metrics),
    deadLetters({
      ...rest,
      onRetry: (record, attempt, error) => logger.warn('processing failed; the record is retried', { topic: record.topic, offset: record.offset, attempt, error: error as Error }),
      giveUp: async (record, letter) => {
        const outcome = await giveUp?.(record, letter);
        logger.error('processing gave up; the record is a dead letter', { deadLetter: letter.id, error: letter.error, outcome });
        metrics.addMetric('deadLetters', MetricUnit.Count, 1);
      },
    }),
  ] as middy.MiddlewareObj<MSKEvent, unknown>[];
}
