import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, recordsOf, snsClient } from '@mxflow/runtime';
import { alertOnLowBalance, DynamoDbDeadLetterStore, DynamoDbLedger, DynamoDbLowBalanceMonitor, DynamoDbTransactionLog, SnsNotifier, originalFor, type LowBalancePorts } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { handleReturn, rejectAfterFailures, type ReturnPorts } from '../domain/return';

const config = readConfig();
const telemetry = await observability('pacs004');
const { logger, metrics, tracer } = telemetry;
const dynamodb = dynamoDbClient(config, tracer);
const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });
const ledger = new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable, transactionTableName: config.transactionTable });

const ports: ReturnPorts = {
  log,
  originalFor: (lookup, requester) => originalFor(log, lookup, requester),
  ledger,
  bus: createMessageBus(config, 'mxflow-pacs004'),
  now: () => new Date(),
};

const lowBalance: LowBalancePorts = {
  monitor: new DynamoDbLowBalanceMonitor({ client: dynamodb, tableName: config.liquidityTable }),
  ledger,
  notifier: new SnsNotifier({ client: snsClient(config, tracer), topicArn: config.notificationTopicArn }),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await handleReturn(value, ports);
    // The returner's balance went down (maybe below its threshold), the payee's up.
    if (outcome.status === 'ACSC' && outcome.amount && outcome.payee) {
      await alertOnLowBalance(lowBalance, [value.senderEntity, outcome.payee], outcome.amount.currency);
    }
    logger.info('return handled', { transactionId: value.transactionId, original: outcome.originalTransactionId, status: outcome.status, reasonCode: outcome.reasonCode });
    metrics.addMetric(outcome.status === 'ACSC' ? 'returnsSettled' : 'returnsRejected', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pacs.004` (batch size 1): moves a returned amount back
 * to the original payment's sender, answers the returner with a pacs.002 and
 * forwards the pacs.004. A record that keeps failing is a dead letter, and
 * its return is rejected.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'pacs004',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => (await rejectAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports))?.status,
  }),
);
