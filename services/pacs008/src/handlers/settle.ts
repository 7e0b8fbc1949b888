import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { decodeIncoming, type IncomingRecordValue } from '@mxflow/contracts';
import { createMessageBus, deadLetters, dynamoDbClient, observability, recordsOf } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbTransactionLog } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { rejectAfterFailures, settleCreditTransfer, type SettlementPorts } from '../domain/settlement';

const config = readConfig();
const { logger, metrics, tracer } = observability('pacs008');
const dynamodb = dynamoDbClient(config, tracer);
const crashed = new Set<string>();

const firstEndToEndId = (value: IncomingRecordValue): string | undefined =>
  (value.document.FIToFICstmrCdtTrf as { CdtTrfTxInf?: { PmtId?: { EndToEndId?: string } }[] } | undefined)?.CdtTrfTxInf?.[0]?.PmtId?.EndToEndId;

/** The injected crash of the crash tests: once per transaction, after the liquidity moved. */
function injectedCrash(value: IncomingRecordValue): void {
  const prefix = config.crashAfterPostingPrefix;
  const first = firstEndToEndId(value);
  if (!prefix || !first?.startsWith(prefix) || crashed.has(value.transactionId)) return;
  crashed.add(value.transactionId);
  throw new Error(`injected crash after posting ${value.transactionId}`);
}

const ports: SettlementPorts = {
  entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }),
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable, transactionTableName: config.transactionTable }),
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  bus: createMessageBus(config, 'mxflow-pacs008'),
  now: () => new Date(),
  ...(config.crashAfterPostingPrefix ? { afterPosting: injectedCrash } : {}),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const value = decodeIncoming(record.topic, record.value);
    if (config.failAlwaysPrefix && firstEndToEndId(value)?.startsWith(config.failAlwaysPrefix)) throw new Error(`injected failure of ${value.transactionId}`);
    const outcome = await settleCreditTransfer(value, ports);
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
export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(
    deadLetters({
      consumer: 'pacs008',
      store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
      bus: ports.bus,
      onRetry: (record, attempt, error) => logger.warn('settlement failed; the record is retried', { offset: record.offset, attempt, error: error as Error }),
      giveUp: async (record, letter) => {
        let value: IncomingRecordValue | undefined;
        try {
          value = decodeIncoming(record.topic, record.value);
        } catch (error) {
          // A record that is not a payment names no transaction to reject: the dead letter is all there is.
          logger.error('a record that is not a payment was dead-lettered', { deadLetter: letter.id, error: error as Error });
        }
        const outcome = value ? await rejectAfterFailures(value, `processing failed ${letter.attempts} times: ${letter.error.message}`, ports) : undefined;
        logger.error('settlement gave up; the record is a dead letter', { deadLetter: letter.id, status: outcome?.status });
        metrics.addMetric('deadLetters', MetricUnit.Count, 1);
      },
    }),
  );
