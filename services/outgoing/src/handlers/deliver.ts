import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeOutgoing } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, readSchemasConfig, recordsOf, s3Client, snsClient, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbTransactionLog, S3Archive, SnsNotifier } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { deliver, type DeliveryPorts } from '../domain/delivery';

const config = readConfig();
const telemetry = await observability('outgoing');
const { logger, metrics, tracer } = telemetry;
// The operator's schemas (a folder in the bundle, or an S3 prefix), read once: a broken file stops the cold start, naming it.
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);

const ports: DeliveryPorts = {
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  notifier: new SnsNotifier({ client: snsClient(config, tracer), topicArn: config.notificationTopicArn }),
  now: () => new Date(),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeOutgoing(record.topic, record.value);
    const delivery = await deliver(value, new Date(record.timestamp).toISOString(), ports);
    if (!delivery.delivered) {
      // A defect of the step that built it: log it with the transaction, never send it.
      logger.error('outgoing message is not valid against its schema; it is not sent', {
        transactionId: value.transactionId,
        messageId: value.messageId,
        receiverEntity: value.receiverEntity,
        issues: delivery.issues.slice(0, 20),
      });
      metrics.addMetric('invalidOutgoingMessages', MetricUnit.Count, 1);
      continue;
    }
    metrics.addMetric('messagesDelivered', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `outgoing.*` (batch size 1): JSON→XML, validation of its own
 * output, write-once archive, the step, and the SNS notification filtered to
 * the receiving participant. A record that keeps failing is a dead letter on
 * `<topic>.dlq`; its transaction already has its final status, so nothing
 * else changes, and a re-drive delivers it.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'outgoing',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: createMessageBus(config, 'mxflow-outgoing'),
    decode: (record) => decodeOutgoing(record.topic, record.value),
  }),
);
