import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { decodeOutgoing, notifiesPostings } from '@mxflow/contracts';
import { consumerMiddlewares, createMessageBus, dynamoDbClient, observability, readSchemasConfig, recordsOf, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbTransactionLog, type Entity } from '@mxflow/store';
import type { MSKEvent } from 'aws-lambda';
import { readConfig } from '../config';
import { notifyPostings, type NotificationPorts } from '../domain/notifications';

const config = readConfig();
const telemetry = await observability('camt060');
const { logger, metrics, tracer } = telemetry;
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);
const registry = new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable });

/** How long the list of participants that switched camt.054 on is kept: a change takes effect within it. */
const SUBSCRIBERS_TTL_MS = 10_000;
let kept: { readonly at: number; readonly subscribers: ReadonlyMap<string, Entity> } | undefined;

/** The participants that switched camt.054 on, read (a scan of the entity table) at most every {@link SUBSCRIBERS_TTL_MS}. */
async function subscribers(): Promise<ReadonlyMap<string, Entity>> {
  if (kept && Date.now() - kept.at < SUBSCRIBERS_TTL_MS) return kept.subscribers;
  const found = new Map<string, Entity>();
  let cursor: string | undefined;
  do {
    const page = await registry.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    for (const entity of page.items) if (notifiesPostings(entity)) found.set(entity.entityId, entity);
    cursor = page.cursor;
  } while (cursor);
  kept = { at: Date.now(), subscribers: found };
  return found;
}

const ports: NotificationPorts = {
  subscribers,
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  bus: createMessageBus(config, 'mxflow-camt054'),
};

const lambdaHandler = async (event: MSKEvent): Promise<void> => {
  for (const record of recordsOf(event)) {
    const answer = decodeOutgoing(record.topic, record.value);
    const notified = await notifyPostings(answer, ports);
    if (notified.length) {
      logger.info('postings notified', { transactionId: answer.transactionId, notified });
      metrics.addMetric('postingNotificationsSent', MetricUnit.Count, notified.length);
    }
  }
};

/**
 * Consumes `outgoing.pacs.002` (batch size 1, its own consumer group): for
 * each settled payment or return, sends a camt.054 of its posting to each
 * party that switched camt.054 notifications on.
 */
export const handler = middy(lambdaHandler).use(
  consumerMiddlewares(telemetry, {
    consumer: 'camt054',
    store: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
    bus: ports.bus,
    decode: (record) => decodeOutgoing(record.topic, record.value),
  }),
);
