import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DeadLetterNotFoundError, DynamoDbStoreError, StoreRequestError } from '../errors';
import type { DeadLetter, DeadLetterPage, DeadLetterStore } from '../ports';
import type { Item } from './transact';

/** Options of {@link DynamoDbDeadLetterStore}. */
export interface DynamoDbDeadLetterStoreOptions {
  readonly client: DynamoDBClient;
  /** The dead-letter table (hash key `id`, TTL attribute `expiration`, index `byFailedAt` on `kind` + `failedAt`). */
  readonly tableName: string;
  /** Its index of dead letters by time (default `byFailedAt`). */
  readonly timeIndex?: string;
}

/** `kind` of a dead-letter item: the hash key of the time index, so the index holds dead letters only. */
const DEAD_LETTER = 'DEAD_LETTER';
const ATTEMPTS_PREFIX = 'ATTEMPTS#';
/** How long attempt counts are kept, in seconds: far longer than any retry schedule. */
const ATTEMPTS_TTL_SECONDS = 24 * 60 * 60;
const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

function toItem(letter: DeadLetter): Item {
  return {
    id: { S: letter.id },
    kind: { S: DEAD_LETTER },
    consumer: { S: letter.consumer },
    topic: { S: letter.topic },
    partition: { N: String(letter.partition) },
    offset: { S: letter.offset },
    ...(letter.key === undefined ? {} : { recordKey: { S: letter.key } }),
    value: { S: letter.value },
    headers: { M: Object.fromEntries(Object.entries(letter.headers).map(([name, value]): [string, AttributeValue] => [name, { S: value }])) },
    errorName: { S: letter.error.name },
    errorMessage: { S: letter.error.message },
    attempts: { N: String(letter.attempts) },
    failedAt: { S: letter.failedAt },
    ...(letter.transactionId ? { transactionId: { S: letter.transactionId } } : {}),
  };
}

function fromItem(item: Item): DeadLetter {
  return {
    id: item.id?.S ?? '',
    consumer: item.consumer?.S ?? '',
    topic: item.topic?.S ?? '',
    partition: Number(item.partition?.N ?? 0),
    offset: item.offset?.S ?? '',
    ...(item.recordKey?.S === undefined ? {} : { key: item.recordKey.S }),
    value: item.value?.S ?? '',
    headers: Object.fromEntries(Object.entries(item.headers?.M ?? {}).map(([name, value]) => [name, value.S ?? ''])),
    error: { name: item.errorName?.S ?? '', message: item.errorMessage?.S ?? '' },
    attempts: Number(item.attempts?.N ?? 0),
    failedAt: item.failedAt?.S ?? '',
    ...(item.transactionId?.S ? { transactionId: item.transactionId.S } : {}),
    ...(item.replayedAt?.S ? { replayedAt: item.replayedAt.S } : {}),
    ...(item.replayedBy?.S ? { replayedBy: item.replayedBy.S } : {}),
  };
}

/**
 * The dead-letter table. A dead letter is one item keyed by where its record
 * was (`<topic>:<partition>:<offset>`), written once; the attempts at a record
 * still being retried are counted in an `ATTEMPTS#<id>` item that expires.
 * A re-drive is a conditional update, so it happens once.
 *
 * @example
 * const letters = new DynamoDbDeadLetterStore({ client: new DynamoDBClient({}), tableName });
 * if ((await letters.attempt(id)) >= 3) await letters.put(letter);
 * const { items } = await letters.list({ limit: 20 });
 */
export class DynamoDbDeadLetterStore implements DeadLetterStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #timeIndex: string;

  constructor(options: DynamoDbDeadLetterStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#timeIndex = options.timeIndex ?? 'byFailedAt';
  }

  async attempt(id: string): Promise<number> {
    if (!id) throw new StoreRequestError('An attempt needs the id of its record');
    try {
      const { Attributes: attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { id: { S: `${ATTEMPTS_PREFIX}${id}` } },
          UpdateExpression: 'ADD attempts :one SET expiration = :expiration',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':expiration': { N: String(Math.floor(Date.now() / 1000) + ATTEMPTS_TTL_SECONDS) } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(attributes?.attempts?.N ?? 1);
    } catch (error) {
      throw new DynamoDbStoreError(`Could not count an attempt at ${id}`, { cause: error });
    }
  }

  async put(letter: DeadLetter): Promise<boolean> {
    if (!letter.id || letter.id.startsWith(ATTEMPTS_PREFIX)) throw new StoreRequestError(`'${letter.id}' cannot be a dead-letter id`);
    try {
      await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: toItem(letter), ConditionExpression: 'attribute_not_exists(id)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DynamoDbStoreError(`Could not keep dead letter ${letter.id}`, { cause: error });
    }
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    if (id.startsWith(ATTEMPTS_PREFIX)) return undefined;
    try {
      const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { id: { S: id } }, ConsistentRead: true }));
      return item ? fromItem(item) : undefined;
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read dead letter ${id}`, { cause: error });
    }
  }

  async list(options: { readonly limit?: number; readonly cursor?: string } = {}): Promise<DeadLetterPage> {
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.trunc(options.limit ?? DEFAULT_PAGE)));
    let startKey: Item | undefined;
    if (options.cursor) {
      try {
        startKey = JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Item;
      } catch (cause) {
        throw new StoreRequestError('The cursor is not one this list returned', { cause });
      }
    }
    try {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          IndexName: this.#timeIndex,
          KeyConditionExpression: 'kind = :kind',
          ExpressionAttributeValues: { ':kind': { S: DEAD_LETTER } },
          ScanIndexForward: false,
          Limit: limit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = (page.Items ?? []).map(fromItem);
      return {
        items,
        ...(page.LastEvaluatedKey ? { cursor: Buffer.from(JSON.stringify(page.LastEvaluatedKey), 'utf8').toString('base64url') } : {}),
      };
    } catch (error) {
      throw new DynamoDbStoreError('Could not list the dead letters', { cause: error });
    }
  }

  async markReplayed(id: string, by: string, at: string): Promise<DeadLetter | undefined> {
    try {
      const { Attributes: attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { id: { S: id } },
          UpdateExpression: 'SET replayedAt = :at, replayedBy = :by',
          ConditionExpression: 'kind = :kind AND attribute_not_exists(replayedAt)',
          ExpressionAttributeValues: { ':at': { S: at }, ':by': { S: by }, ':kind': { S: DEAD_LETTER } },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return attributes ? fromItem(attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const existing = error.Item ? error.Item.kind?.S === DEAD_LETTER : (await this.get(id)) !== undefined;
        if (!existing) throw new DeadLetterNotFoundError(id, { cause: error });
        return undefined;
      }
      throw new DynamoDbStoreError(`Could not mark dead letter ${id} re-driven`, { cause: error });
    }
  }
}
