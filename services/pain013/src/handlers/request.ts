import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, readSchemasConfig, recordsOf, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { CachedEntityDirectory, DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbTransactionLog } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { handleRequest, refuseAfterFailures, type RequestPorts } from '../domain/request-to-pay';

const config = readConfig();
const telemetry = await observability('pain013');
const { logger, metrics, tracer } = telemetry;
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);

const ports: RequestPorts = {
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  entities: new CachedEntityDirectory(new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable })),
  bus: createMessageBus(config, 'mxflow-pain013-request'),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await handleRequest(value, ports);
    logger.info('request to pay handled', { transactionId: value.transactionId, ...outcome });
    metrics.addMetric(outcome.status === 'PDNG' ? 'paymentRequestsForwarded' : 'paymentRequestsRefused', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pain.013` (batch size 1): forwards each request to pay
 * to the debtor's participant, or refuses it with a pain.014 RJCT to its
 * sender. A record that keeps failing is a dead letter, and its request is
 * refused.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'pain013',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => refuseAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports),
  }),
);
