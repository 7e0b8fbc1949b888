import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, readSchemasConfig, recordsOf, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbTransactionLog, originalFor } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { handleAnswer, refuseAfterFailures, type AnswerPorts } from '../domain/request-to-pay';

const config = readConfig();
const telemetry = await observability('pain013');
const { logger, metrics, tracer } = telemetry;
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);
const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });

const ports: AnswerPorts = {
  log,
  originalFor: (lookup, requester) => originalFor(log, lookup, requester),
  bus: createMessageBus(config, 'mxflow-pain013-answer'),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await handleAnswer(value, ports);
    logger.info('request to pay answered', { transactionId: value.transactionId, ...outcome });
    metrics.addMetric(outcome.answer === 'ACCP' ? 'paymentRequestsAccepted' : 'paymentRequestsNotAccepted', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pain.014` (batch size 1): records the debtor's
 * participant's answer on the request to pay it names and forwards it to the
 * creditor's participant; an answer naming no pending request of its sender
 * is refused. A record that keeps failing is a dead letter, and the answer is
 * refused.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'pain014',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => refuseAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports),
  }),
);
