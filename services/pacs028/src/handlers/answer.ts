import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, recordsOf } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbTransactionLog, originalFor } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { answerStatusRequest, refuseAfterFailures, type StatusRequestPorts } from '../domain/status-request';

const config = readConfig();
const telemetry = await observability('pacs028');
const { logger, metrics, tracer } = telemetry;
const dynamodb = dynamoDbClient(config, tracer);
const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });

const ports: StatusRequestPorts = {
  log,
  originalFor: (lookup, requester) => originalFor(log, lookup, requester),
  bus: createMessageBus(config, 'mxflow-pacs028'),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const report = await answerStatusRequest(value, ports);
    logger.info('status request answered', { transactionId: value.transactionId, original: report.originalTransactionId, status: report.status, reasonCode: report.reasonCode });
    metrics.addMetric('statusRequestsAnswered', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pacs.028` (batch size 1): answers each status request
 * with a pacs.002 holding the current status of the payment it names, if the
 * asker is one of its parties. A record that keeps failing is a dead letter,
 * and its request is rejected.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'pacs028',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => (await refuseAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports)).status,
  }),
);
