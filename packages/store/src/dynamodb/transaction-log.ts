import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StepAlreadyRecordedError } from '../errors';
import type { MessageIds, TransactionLog, TransactionStep } from '../ports';

/** Options of {@link DynamoDbTransactionLog}. */
export interface DynamoDbTransactionLogOptions {
  readonly client: DynamoDBClient;
  /** The transaction table (hash key `transactionId`, range key `step`). */
  readonly tableName: string;
  /** Its index on `duplicateKey` (default `byDuplicateKey`). */
  readonly duplicateKeyIndex?: string;
}

const list = (values: readonly string[]): AttributeValue => ({ L: values.map((value) => ({ S: value })) });
const strings = (value: AttributeValue | undefined): string[] | undefined => value?.L?.flatMap((item) => (item.S === undefined ? [] : [item.S]));

function toItem(step: TransactionStep): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    transactionId: { S: step.transactionId },
    step: { S: step.step },
    status: { S: step.status },
    timestamp: { S: step.timestamp },
    // The same instant as a number, for range queries and TTL-style arithmetic.
    epochMs: { N: String(Date.parse(step.timestamp)) },
    requestId: { S: step.requestId },
  };
  if (step.messageType) item.messageType = { S: step.messageType };
  if (step.entityId) item.entityId = { S: step.entityId };
  if (step.archiveKey) item.archiveKey = { S: step.archiveKey };
  if (step.reasonCode) item.reasonCode = { S: step.reasonCode };
  if (step.duplicateKey) item.duplicateKey = { S: step.duplicateKey };
  const ids = step.messageIds;
  if (ids?.msgId) item.msgId = { S: ids.msgId };
  if (ids?.endToEndIds?.length) item.endToEndIds = list(ids.endToEndIds);
  if (ids?.uetrs?.length) item.uetrs = list(ids.uetrs);
  return item;
}

function fromItem(item: Record<string, AttributeValue>): TransactionStep {
  const messageIds: MessageIds = {
    ...(item.msgId?.S ? { msgId: item.msgId.S } : {}),
    ...(item.endToEndIds ? { endToEndIds: strings(item.endToEndIds) } : {}),
    ...(item.uetrs ? { uetrs: strings(item.uetrs) } : {}),
  };
  return {
    transactionId: item.transactionId?.S ?? '',
    step: item.step?.S ?? '',
    status: item.status?.S ?? '',
    timestamp: item.timestamp?.S ?? '',
    requestId: item.requestId?.S ?? '',
    ...(item.messageType?.S ? { messageType: item.messageType.S } : {}),
    ...(Object.keys(messageIds).length ? { messageIds } : {}),
    ...(item.entityId?.S ? { entityId: item.entityId.S } : {}),
    ...(item.archiveKey?.S ? { archiveKey: item.archiveKey.S } : {}),
    ...(item.reasonCode?.S ? { reasonCode: item.reasonCode.S } : {}),
    ...(item.duplicateKey?.S ? { duplicateKey: item.duplicateKey.S } : {}),
  };
}

/** The transaction table: one item per step, written with a condition so no step is written twice. */
export class DynamoDbTransactionLog implements TransactionLog {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #duplicateKeyIndex: string;

  constructor(options: DynamoDbTransactionLogOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#duplicateKeyIndex = options.duplicateKeyIndex ?? 'byDuplicateKey';
  }

  async record(step: TransactionStep): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: toItem(step),
          ConditionExpression: 'attribute_not_exists(transactionId)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new StepAlreadyRecordedError(step.transactionId, step.step, { cause: error });
      }
      throw new DynamoDbStoreError(`Could not record step ${step.step} of transaction ${step.transactionId}`, { cause: error });
    }
  }

  async steps(transactionId: string): Promise<TransactionStep[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    try {
      do {
        const page = await this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: 'transactionId = :id',
            ExpressionAttributeValues: { ':id': { S: transactionId } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the steps of transaction ${transactionId}`, { cause: error });
    }
    // The sort key orders by name; callers want the order in which steps happened.
    return items
      .sort((a, b) => Number(a.epochMs?.N ?? 0) - Number(b.epochMs?.N ?? 0))
      .map(fromItem);
  }

  async transactionsWithDuplicateKey(duplicateKey: string): Promise<string[]> {
    const ids = new Set<string>();
    let startKey: Record<string, AttributeValue> | undefined;
    try {
      do {
        const page = await this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: this.#duplicateKeyIndex,
            KeyConditionExpression: 'duplicateKey = :key',
            ExpressionAttributeValues: { ':key': { S: duplicateKey } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) if (item.transactionId?.S) ids.add(item.transactionId.S);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    } catch (error) {
      throw new DynamoDbStoreError(`Could not look up duplicate key ${duplicateKey}`, { cause: error });
    }
    return [...ids];
  }
}
