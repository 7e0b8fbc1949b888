import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, readSchemasConfig, recordsOf, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { CachedEntityDirectory, DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { answerReportRequest, refuseAfterFailures, type ReportPorts } from '../domain/reports';

const config = readConfig();
const telemetry = await observability('camt060');
const { logger, metrics, tracer } = telemetry;
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);

const ports: ReportPorts = {
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable }),
  entities: new CachedEntityDirectory(new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable })),
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  bus: createMessageBus(config, 'mxflow-camt060'),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await answerReportRequest(value, ports);
    logger.info('account report request answered', { transactionId: value.transactionId, status: outcome.status, reasonCode: outcome.reasonCode, reports: outcome.reports });
    metrics.addMetric('accountReportsSent', MetricUnit.Count, outcome.reports.length);
  }
};

/**
 * Consumes `incoming.camt.060` (batch size 1): answers each account reporting
 * request with the camt.052 or camt.053 it asks for, one per settlement
 * account, built from the ledger. A record that keeps failing is a dead
 * letter, and its request is rejected.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'camt060',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => refuseAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports),
  }),
);
