import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StoreRequestError } from '../errors';
import type { ClientMapping, ClientSecretRecord, MappingChanges, MappingRegistry, MappingWithSecret } from '../ports';
import { queryAll, type Item } from './transact';
import { deleteVersioned, versionCondition, type VersionedKind, versionOf, versionRefusal } from './versioned';

/** Options of {@link DynamoDbMappingDirectory}. */
export interface DynamoDbMappingDirectoryOptions {
  readonly client: DynamoDBClient;
  /** The mapping table (hash key `clientId`). */
  readonly tableName: string;
  /** Strongly consistent reads, so a suspension applies at once. Default true. */
  readonly consistentRead?: boolean;
  /** Its index of mappings by entity (default `byEntity`, hash key `entityId`). */
  readonly entityIndex?: string;
}

function stringSet(value: AttributeValue | undefined): string[] {
  if (value?.SS) return [...value.SS];
  if (value?.L) return value.L.flatMap((item) => (item.S === undefined ? [] : [item.S]));
  if (value?.S) return value.S.split(' ').filter(Boolean);
  return [];
}

function fromItem(item: Item): ClientMapping {
  return {
    clientId: item.clientId?.S ?? '',
    entityId: item.entityId?.S ?? '',
    scopes: stringSet(item.scopes).sort(),
    status: item.status?.S ?? 'UNKNOWN',
    ...(item.version?.N ? { version: versionOf(item) } : {}),
  };
}

const secretAttributes = (secret: ClientSecretRecord): Record<string, AttributeValue> => ({ secretHash: { S: secret.hash }, secretIssuedAt: { S: secret.issuedAt } });

/** A string set attribute, or NULL for none (a string set cannot be empty). */
const stringSetOrNull = (values: readonly string[]): AttributeValue => (values.length ? { SS: [...new Set(values)] } : { NULL: true });

/**
 * The mapping table: identity client id → entity id, allowed scopes and status.
 * Admin writes carry a `version` and are conditional on the one read, so that
 * two admins cannot overwrite each other.
 */
export class DynamoDbMappingDirectory implements MappingRegistry {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #versioned: VersionedKind<ClientMapping>;
  readonly #consistentRead: boolean;
  readonly #entityIndex: string;

  constructor(options: DynamoDbMappingDirectoryOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#versioned = { kind: 'mapping', tableName: options.tableName, hashKey: 'clientId', decode: fromItem, read: (id) => this.find(id) };
    this.#consistentRead = options.consistentRead ?? true;
    this.#entityIndex = options.entityIndex ?? 'byEntity';
  }

  async find(clientId: string): Promise<ClientMapping | undefined> {
    return (await this.findWithSecret(clientId))?.mapping;
  }

  async create(mapping: ClientMapping, secret?: ClientSecretRecord): Promise<boolean> {
    if (!mapping.clientId || !mapping.entityId) throw new StoreRequestError('A mapping needs a clientId and an entityId');
    const now = new Date().toISOString();
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: {
            clientId: { S: mapping.clientId },
            entityId: { S: mapping.entityId },
            scopes: stringSetOrNull(mapping.scopes),
            status: { S: mapping.status },
            createdAt: { S: now },
            version: { N: '1' },
            ...(secret ? secretAttributes(secret) : {}),
          },
          ConditionExpression: 'attribute_not_exists(clientId)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DynamoDbStoreError(`Could not create the mapping of client ${mapping.clientId}`, { cause: error });
    }
  }

  async listByEntity(entityId: string): Promise<ClientMapping[]> {
    // The index is eventually consistent: a mapping created a moment ago may be missing for that moment.
    const items = await queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        IndexName: this.#entityIndex,
        KeyConditionExpression: 'entityId = :entityId',
        ExpressionAttributeValues: { ':entityId': { S: entityId } },
      },
      `the mappings of entity ${entityId}`,
    );
    return items.map(fromItem).sort((a, b) => a.clientId.localeCompare(b.clientId));
  }

  async update(clientId: string, changes: MappingChanges, expectedVersion: number): Promise<ClientMapping> {
    if (changes.entityId === '') throw new StoreRequestError('A mapping keeps an entityId');
    const sets = ['version = :nextVersion', 'updatedAt = :updatedAt'];
    const values: Record<string, AttributeValue> = { ':nextVersion': { N: String(expectedVersion + 1) }, ':updatedAt': { S: new Date().toISOString() } };
    const names: Record<string, string> = {};
    const set = (attribute: string, value: AttributeValue): void => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      sets.push(`#${attribute} = :${attribute}`);
    };
    if (changes.entityId !== undefined) set('entityId', { S: changes.entityId });
    if (changes.scopes !== undefined) set('scopes', stringSetOrNull(changes.scopes));
    if (changes.status !== undefined) set('status', { S: changes.status });
    const { condition, values: conditionValues } = versionCondition('clientId', expectedVersion);
    try {
      const { Attributes: attributes } = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { clientId: { S: clientId } },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: { ...values, ...conditionValues },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return fromItem(attributes ?? {});
    } catch (error) {
      throw await versionRefusal(this.#versioned, error, clientId, expectedVersion, `Could not update the mapping of client ${clientId}`);
    }
  }

  async delete(clientId: string, expectedVersion: number): Promise<void> {
    await deleteVersioned(this.#client, this.#versioned, clientId, expectedVersion, `Could not delete the mapping of client ${clientId}`);
  }

  async findWithSecret(clientId: string): Promise<MappingWithSecret | undefined> {
    let item: Record<string, AttributeValue> | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetItemCommand({ TableName: this.#tableName, Key: { clientId: { S: clientId } }, ConsistentRead: this.#consistentRead }),
      ));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the mapping of client ${clientId}`, { cause: error });
    }
    if (!item?.entityId?.S) return undefined;
    const hash = item.secretHash?.S;
    const issuedAt = item.secretIssuedAt?.S;
    return { mapping: { ...fromItem(item), clientId }, ...(hash && issuedAt ? { secret: { hash, issuedAt } } : {}) };
  }

  async replaceSecret(clientId: string, secret: ClientSecretRecord): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { clientId: { S: clientId } },
          // The mapping's fields and version stay: a rotation changes how the client proves who it is, not what it may do.
          UpdateExpression: 'SET secretHash = :hash, secretIssuedAt = :issuedAt',
          ConditionExpression: 'attribute_exists(entityId)',
          ExpressionAttributeValues: { ':hash': { S: secret.hash }, ':issuedAt': { S: secret.issuedAt } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DynamoDbStoreError(`Could not replace the secret of client ${clientId}`, { cause: error });
    }
  }
}
