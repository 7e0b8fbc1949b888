import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { dynamoDbClient, observability, readSchemasConfig, s3Client, snsClient, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbTransactionLog, S3Archive, SnsNotifier } from '@mxflow/store';
import type { ScheduledEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { endOfDay, type StatementPorts } from '../domain/statements';

const config = readConfig();
const { logger, metrics, tracer } = await observability('camt060');
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);

const ports: StatementPorts = {
  entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }),
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable }),
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  notifier: new SnsNotifier({ client: snsClient(config, tracer), topicArn: config.notificationTopicArn }),
};

const lambdaHandler = async (_event: ScheduledEvent) => {
  const report = await endOfDay(new Date(), config.statementCutoffMs, ports);
  if (!report.alreadyClosed) {
    const count = (outcome: string) => report.statements.filter((statement) => statement.outcome === outcome).length;
    logger.info('business day closed', { businessDay: report.businessDay, written: count('written'), kept: count('kept'), differs: count('differs') });
    if (count('differs') > 0) logger.warn('statements an earlier run wrote differ from the ledger now; they are kept', { statements: report.statements.filter((statement) => statement.outcome === 'differs') });
    metrics.addMetric('statementsWritten', MetricUnit.Count, count('written'));
  }
  // `wake: false`: a message arriving gives this function no work (the local scheduler then waits for `nextDueAt`).
  return { businessDay: report.businessDay, alreadyClosed: report.alreadyClosed, statements: report.statements.length, nextDueAt: report.nextDueAt, wake: false };
};

/**
 * Runs on a schedule (every 15 minutes in AWS; locally when the business day
 * closes, and at least once a minute): once the business day's cut-off has
 * passed, writes each participant's camt.053 per settlement account for that
 * day, archived under `statements/` and notified.
 */
export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
