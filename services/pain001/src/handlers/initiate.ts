import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, recordsOf } from '@mxflow/runtime';
import type { MSKEvent } from 'aws-lambda';
import { handleInitiation } from '../domain/initiation';
import { deadLetterStore, ports, telemetry } from './ports';

const { logger, metrics } = telemetry;

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await handleInitiation(value, ports);
    logger.info('payment initiation handled', { transactionId: value.transactionId, status: outcome.status, reasonCode: outcome.reasonCode, transfers: outcome.children.length });
    metrics.addMetric(outcome.status === 'RJCT' ? 'initiationsRejected' : 'initiationsAccepted', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pain.001` (batch size 1): refuses a payment initiation
 * whole, or makes each transfer a pacs.008 on `incoming.pacs.008` and
 * acknowledges with a pain.002 ACTC. A record that keeps failing is a dead
 * letter; its pain.001 then times out (AB05) unless re-driven.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, { consumer: 'pain001', store: deadLetterStore, bus: ports.bus, decode: (record) => decodeIncoming(record.topic, record.value) }),
);
