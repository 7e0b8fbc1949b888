import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { logger, metrics, store, tracer } from './chain';
import { reconcileDay } from './reconciliation-input';

const DAY_MS = 86_400_000;
/** When, after midnight UTC, the day before is reconciled (the schedule's cron in serverless.yml says the same). */
const RUN_AFTER_MIDNIGHT_MS = 15 * 60_000;

/** The last day this container reconciled: a second run for the same day (the local platform runs schedules often) does nothing. */
let reconciledDay: string | undefined;

/** What a run answers: the day it covers, whether it added up, and when the next one is due. */
export interface DailyReconciliation {
  readonly date: string;
  readonly balanced?: boolean;
  readonly mismatches?: number;
  /** Already reconciled by this container: nothing was read. */
  readonly skipped?: true;
  readonly nextDueAt: string;
  /** A message arriving gives it no work: the local scheduler waits for `nextDueAt`. */
  readonly wake: false;
}

const lambdaHandler = async (event: ScheduledEvent): Promise<DailyReconciliation> => {
  const at = Date.parse(event.time ?? '') || Date.now();
  // The day that just closed: a day is reconciled once it can have no more postings.
  const date = new Date(at - DAY_MS).toISOString().slice(0, 10);
  const nextDueAt = new Date(Date.parse(`${new Date(at).toISOString().slice(0, 10)}T00:00:00.000Z`) + DAY_MS + RUN_AFTER_MIDNIGHT_MS).toISOString();
  if (reconciledDay === date) return { date, skipped: true, nextDueAt, wake: false };
  const result = await reconcileDay(store, date);
  reconciledDay = date;
  metrics.addMetric('reconciliationMismatches', MetricUnit.Count, result.mismatches.length);
  // Published here, not by logMetrics: a skipped run has no metric, and must not warn that it has none.
  metrics.publishStoredMetrics();
  if (result.balanced) logger.info('reconciliation balanced', { date, checked: result.checked, totals: result.totals, notes: result.notes });
  else logger.error('reconciliation found mismatches', { date, checked: result.checked, mismatches: result.mismatches });
  return { date, balanced: result.balanced, mismatches: result.mismatches.length, nextDueAt, wake: false };
};

/**
 * Runs daily (00:15 UTC in AWS): reconciles the day before, logs the result,
 * and emits `reconciliationMismatches`, on which an alarm fires when above zero.
 */
export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger));
