import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { decodeOutgoing } from '@mxflow/contracts';
import { dynamoDbClient, observability, recordsOf, s3Client, snsClient } from '@mxflow/runtime';
import { DynamoDbTransactionLog, S3Archive, SnsNotifier } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { deliver, type DeliveryPorts } from '../domain/delivery';

const config = readConfig();
const { logger, metrics, tracer } = observability('outgoing');

const ports: DeliveryPorts = {
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  log: new DynamoDbTransactionLog({ client: dynamoDbClient(config, tracer), tableName: config.transactionTable }),
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
 * the receiving participant.
 */
export const handler = middy(lambdaHandler).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
