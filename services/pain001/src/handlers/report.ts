import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeOutgoing } from '@mxflow/contracts';
import { consumerMiddlewares, recordsOf } from '@mxflow/runtime';
import type { MSKEvent } from 'aws-lambda';
import { reportIfComplete } from '../domain/report';
import { deadLetterStore, ports, telemetry } from './ports';

const { logger, metrics } = telemetry;

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeOutgoing(record.topic, record.value);
    // Only the outcomes of payments made from a pain.001 matter here.
    if (!value.parentTransactionId) continue;
    if (await reportIfComplete(value, ports)) {
      logger.info('payment initiation reported', { transactionId: value.parentTransactionId });
      metrics.addMetric('initiationsReported', MetricUnit.Count, 1);
    }
  }
};

/**
 * Reads `outgoing.pacs.002` in a consumer group of its own: when the last
 * payment made from a pain.001 is final, sends the pain.001's sender the
 * pain.002 with the status of each transfer.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, { consumer: 'pain001-report', store: deadLetterStore, bus: ports.bus, decode: (record) => decodeOutgoing(record.topic, record.value) }),
);
