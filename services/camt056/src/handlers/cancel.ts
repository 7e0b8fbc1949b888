import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { CancellationStatus, decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, recordsOf, s3Client } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbTransactionLog, S3Archive, originalFor } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { handleCancellation, refuseAfterFailures, type CancellationPorts } from '../domain/cancellation';

const config = readConfig();
const telemetry = await observability('camt056');
const { logger, metrics, tracer } = telemetry;
const dynamodb = dynamoDbClient(config, tracer);
const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });

const ports: CancellationPorts = {
  log,
  originalFor: (lookup, requester) => originalFor(log, lookup, requester),
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  bus: createMessageBus(config, 'mxflow-camt056'),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const resolution = await handleCancellation(value, ports);
    logger.info('cancellation request answered', { transactionId: value.transactionId, original: resolution.originalTransactionId, status: resolution.status, reasonCode: resolution.reasonCode });
    metrics.addMetric(resolution.status === CancellationStatus.CNCL ? 'paymentsCancelled' : 'cancellationsRefused', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.camt.056` (batch size 1): cancels the payment a request
 * names unless it is final, and answers with a camt.029. A record that keeps
 * failing is a dead letter, and its request is refused.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'camt056',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => (await refuseAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports)).status,
  }),
);
