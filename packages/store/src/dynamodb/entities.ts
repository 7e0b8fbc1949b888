import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StoreRequestError } from '../errors';
import type { Entity, EntityChanges, EntityRegistry, Page, PageQuery } from '../ports';
import type { Item } from './transact';
import { decodeCursor, deleteVersioned, encodeCursor, pageSize, versionCondition, type VersionedKind, versionOf, versionRefusal } from './versioned';

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

/** The notifications an item switches on, sorted; none (absent, NULL or empty) is no field at all. */
function notificationsOf(value: AttributeValue | undefined): Pick<Entity, 'notifications'> {
  const types = stringSet(value).sort();
  return types.length ? { notifications: types } : {};
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
    ...notificationsOf(item.notifications),
    ...(item.version?.N ? { version: versionOf(item) } : {}),
  };
}

/** A string set attribute, or NULL for none (a string set cannot be empty). */
const stringSetOrNull = (values: readonly string[]): AttributeValue => (values.length ? { SS: [...new Set(values)] } : { NULL: true });

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
export class DynamoDbEntityDirectory implements EntityRegistry {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #versioned: VersionedKind<Entity>;
  readonly #bicIndex: string;

  constructor(options: DynamoDbEntityDirectoryOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#versioned = { kind: 'entity', tableName: options.tableName, hashKey: 'entityId', decode: fromItem, read: (id) => this.get(id) };
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
      accounts: stringSetOrNull(entity.accounts),
      status: { S: entity.status },
      // Written only when switched on, so that an item of a participant with none looks like one written before the field existed.
      ...(entity.notifications?.length ? { notifications: { SS: [...new Set(entity.notifications)] } } : {}),
      createdAt: { S: new Date().toISOString() },
      version: { N: '1' },
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

  async list(query: PageQuery = {}): Promise<Page<Entity>> {
    const startKey = decodeCursor(query.cursor);
    try {
      const page = await this.#client.send(
        new ScanCommand({ TableName: this.#tableName, Limit: pageSize(query.limit), ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      const items = (page.Items ?? []).filter((item) => item.entityId?.S).map(fromItem).sort((a, b) => a.entityId.localeCompare(b.entityId));
      return { items, ...encodeCursor(page.LastEvaluatedKey) };
    } catch (error) {
      throw new DynamoDbStoreError('Could not list the entities', { cause: error });
    }
  }

  async update(entityId: string, changes: EntityChanges, expectedVersion: number): Promise<Entity> {
    if (changes.bics !== undefined && changes.bic === undefined) throw new StoreRequestError('Changing the BICs of an entity needs its primary BIC too');
    if (changes.bic === '' || changes.name === '') throw new StoreRequestError('An entity keeps a name and a primary BIC');
    const sets: string[] = ['version = :nextVersion', 'updatedAt = :updatedAt'];
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = { ':nextVersion': { N: String(expectedVersion + 1) }, ':updatedAt': { S: new Date().toISOString() } };
    const set = (attribute: string, value: AttributeValue): void => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      sets.push(`#${attribute} = :${attribute}`);
    };
    if (changes.name !== undefined) set('name', { S: changes.name });
    if (changes.status !== undefined) set('status', { S: changes.status });
    if (changes.accounts !== undefined) set('accounts', stringSetOrNull(changes.accounts));
    if (changes.bic !== undefined) set('bic', { S: changes.bic });
    let remove = '';
    if (changes.notifications?.length) set('notifications', { SS: [...new Set(changes.notifications)] });
    else if (changes.notifications !== undefined) {
      // Switched off: the item goes back to having no such attribute (a string set cannot be empty).
      names['#notifications'] = 'notifications';
      remove = ' REMOVE #notifications';
    }
    let add = '';
    if (changes.bic !== undefined && changes.bics !== undefined) set('bics', { SS: [...new Set([changes.bic, ...changes.bics])] });
    else if (changes.bic !== undefined) {
      // The old primary BIC stays one the entity answers to; the new one joins the set.
      values[':newBic'] = { SS: [changes.bic] };
      add = ' ADD bics :newBic';
    }
    const { condition, values: conditionValues } = versionCondition('entityId', expectedVersion);
    try {
      const { Attributes: attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { entityId: { S: entityId } },
          UpdateExpression: `SET ${sets.join(', ')}${remove}${add}`,
          ConditionExpression: condition,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ...values, ...conditionValues },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return fromItem(attributes ?? {});
    } catch (error) {
      throw await versionRefusal(this.#versioned, error, entityId, expectedVersion, `Could not update entity ${entityId}`);
    }
  }

  async delete(entityId: string, expectedVersion: number): Promise<void> {
    await deleteVersioned(this.#client, this.#versioned, entityId, expectedVersion, `Could not delete entity ${entityId}`);
  }



}
