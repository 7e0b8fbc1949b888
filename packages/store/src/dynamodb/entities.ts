import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StoreRequestError } from '../errors';
import type { Entity, EntityDirectory } from '../ports';
import type { Item } from './transact';

/** Options of {@link DynamoDbEntityDirectory}. */
export interface DynamoDbEntityDirectoryOptions {
  readonly client: DynamoDBClient;
  /** The entity table (hash key `entityId`). */
  readonly tableName: string;
  /** Its index on the primary BIC (default `byBic`, hash key `bic`). */
  readonly bicIndex?: string;
}

function stringSet(value: AttributeValue | undefined): string[] {
  if (value?.SS) return [...value.SS];
  if (value?.L) return value.L.flatMap((item) => (item.S === undefined ? [] : [item.S]));
  return [];
}

function fromItem(item: Item): Entity {
  const bic = item.bic?.S ?? '';
  // A string set has no order: the primary BIC goes first, the others sorted.
  const others = stringSet(item.bics).filter((other) => other !== bic).sort();
  return {
    entityId: item.entityId?.S ?? '',
    name: item.name?.S ?? '',
    bic,
    bics: bic ? [bic, ...others] : others,
    accounts: stringSet(item.accounts).sort(),
    status: item.status?.S ?? 'UNKNOWN',
  };
}

/** The BICs that identify the same institution as `bic`: an 8-character BIC is its head office `XXX` too. */
export function bicCandidates(bic: string): string[] {
  const normalized = bic.trim().toUpperCase();
  if (normalized.length === 8) return [normalized, `${normalized}XXX`];
  if (normalized.length === 11 && normalized.endsWith('XXX')) return [normalized, normalized.slice(0, 8)];
  return normalized ? [normalized] : [];
}

/**
 * The entity table: one item per participant (`entityId`), with its primary
 * BIC indexed by `byBic`. Reads by id are strongly consistent, so a suspension
 * applies at once; the BIC index is eventually consistent.
 *
 * @example
 * const entities = new DynamoDbEntityDirectory({ client: new DynamoDBClient({}), tableName });
 * const creditor = await entities.findByBic('BETAFRPP'); // finds BETAFRPPXXX too
 */
export class DynamoDbEntityDirectory implements EntityDirectory {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #bicIndex: string;

  constructor(options: DynamoDbEntityDirectoryOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#bicIndex = options.bicIndex ?? 'byBic';
  }

  async get(entityId: string): Promise<Entity | undefined> {
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetItemCommand({ TableName: this.#tableName, Key: { entityId: { S: entityId } }, ConsistentRead: true }),
      ));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read entity ${entityId}`, { cause: error });
    }
    return item?.entityId?.S ? fromItem(item) : undefined;
  }

  async findByBic(bic: string): Promise<Entity | undefined> {
    // The exact BIC first, so a branch registered on its own wins over its head office.
    for (const candidate of bicCandidates(bic)) {
      let items: Item[];
      try {
        ({ Items: items = [] } = await this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: this.#bicIndex,
            KeyConditionExpression: 'bic = :bic',
            ExpressionAttributeValues: { ':bic': { S: candidate } },
          }),
        ));
      } catch (error) {
        throw new DynamoDbStoreError(`Could not look up BIC ${candidate}`, { cause: error });
      }
      // Two entities under one BIC is an operator's mistake; the lowest id wins, so every reader agrees.
      const [first] = items.map(fromItem).sort((a, b) => a.entityId.localeCompare(b.entityId));
      if (first) return first;
    }
    return undefined;
  }

  async create(entity: Entity): Promise<boolean> {
    if (!entity.entityId || !entity.bic) throw new StoreRequestError('An entity needs an entityId and a primary BIC');
    const bics = [...new Set([entity.bic, ...entity.bics])];
    const item: Item = {
      entityId: { S: entity.entityId },
      name: { S: entity.name },
      bic: { S: entity.bic },
      bics: { SS: bics },
      // A string set cannot be empty.
      accounts: entity.accounts.length ? { SS: [...new Set(entity.accounts)] } : { NULL: true },
      status: { S: entity.status },
      createdAt: { S: new Date().toISOString() },
    };
    try {
      await this.#client.send(
        new PutItemCommand({ TableName: this.#tableName, Item: item, ConditionExpression: 'attribute_not_exists(entityId)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DynamoDbStoreError(`Could not create entity ${entity.entityId}`, { cause: error });
    }
  }
}
