import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeIncoming } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, recordsOf, snsClient } from '@mxflow/runtime';
import { alertOnLowBalance, CachedEntityDirectory, DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbLowBalanceMonitor, DynamoDbTransactionLog, SnsNotifier, type LowBalancePorts } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { rejectAfterFailures, settleCreditTransfer, type SettlementPorts } from '../domain/settlement';

const config = readConfig();
const telemetry = await observability('pacs008');
const { logger, metrics, tracer } = telemetry;
const dynamodb = dynamoDbClient(config, tracer);
// Participants change rarely and every transfer checks that its two are still active: a lookup is kept a few seconds.
const entities = new CachedEntityDirectory(new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }));

const ports: SettlementPorts = {
  entities,
  forgetEntities: () => entities.forget(),
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable, transactionTableName: config.transactionTable, entityTableName: config.entityTable }),
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  bus: createMessageBus(config, 'mxflow-pacs008'),
  now: () => new Date(),
};

const lowBalance: LowBalancePorts = {
  monitor: new DynamoDbLowBalanceMonitor({ client: dynamodb, tableName: config.liquidityTable }),
  ledger: ports.ledger,
  notifier: new SnsNotifier({ client: snsClient(config, tracer), topicArn: config.notificationTopicArn }),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    const outcome = await settleCreditTransfer(value, ports);
    // Both balances moved: the sender's may have gone below its threshold, the receiver's back above.
    if (outcome.currency && outcome.receiverEntity) {
      await alertOnLowBalance(lowBalance, [value.senderEntity, outcome.receiverEntity], outcome.currency);
    }
    logger.info('credit transfer settled', { transactionId: value.transactionId, status: outcome.status, reasonCode: outcome.reasonCode });
    metrics.addMetric(outcome.status === 'ACSC' ? 'paymentsSettled' : 'paymentsRejected', MetricUnit.Count, 1);
  }
};

/**
 * Consumes `incoming.pacs.008` (batch size 1): settles each payment or rejects
 * it with its reason code, and hands the responses to the outgoing step. An
 * infrastructure failure is thrown, so that the event source retries and
 * finally dead-letters the record.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'pacs008',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeIncoming(record.topic, record.value),
    giveUp: async (value, letter) => (await rejectAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports))?.status,
  }),
);
