import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { createMessageBus, dynamoDbClient, observability, readSchemasConfig, rejectionAnswer, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { sweep, type SweepPorts, type SweepReport } from '../domain/sweep';

const config = readConfig();
const { logger, metrics, tracer } = await observability('timeout');
// The operator's schemas (a folder in the bundle, or an S3 prefix), read once: a broken file stops the cold start, naming it.
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));

const ports: SweepPorts = {
  log: new DynamoDbTransactionLog({ client: dynamoDbClient(config, tracer), tableName: config.transactionTable }),
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  bus: createMessageBus(config, 'mxflow-timeout'),
  now: () => new Date(),
  answerOf: rejectionAnswer,
};

const lambdaHandler = async (_event: ScheduledEvent, context: Context): Promise<SweepReport> => {
  const report = await sweep(context.awsRequestId, ports, config.sweepLimit);
  if (report.timedOut.length > 0) logger.info('transactions timed out', { timedOut: report.timedOut });
  metrics.addMetric('transactionsTimedOut', MetricUnit.Count, report.timedOut.length);
  return report;
};

/**
 * Runs on a schedule (every minute in AWS; locally as often as
 * `MXFLOW_TIMEOUT_SWEEP_SECONDS` says): rejects with AB05 every open
 * transaction past its SLA and sends its negative response.
 */
export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
