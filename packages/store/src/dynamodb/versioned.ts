import { ConditionalCheckFailedException, DeleteItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, ItemNotFoundError, StoreRequestError, VersionConflictError } from '../errors';
import type { Item } from './transact';

/** The version of an item; items written before versions were kept count as version 0. */
export function versionOf(item: Item | undefined): number {
  return Number(item?.version?.N ?? 0);
}

/**
 * The condition of a write that expects `hashKey` to exist at `expected`:
 * an item without a version attribute is at version 0.
 */
export function versionCondition(hashKey: string, expected: number): { condition: string; values: Record<string, AttributeValue> } {
  if (!Number.isSafeInteger(expected) || expected < 0) throw new StoreRequestError(`${String(expected)} is not a version`);
  return expected === 0
    ? { condition: `attribute_exists(${hashKey}) AND attribute_not_exists(version)`, values: {} }
    : { condition: `attribute_exists(${hashKey}) AND version = :expectedVersion`, values: { ':expectedVersion': { N: String(expected) } } };
}

/** A cursor for a paged scan or query: the base64url of its last evaluated key. */
export function encodeCursor(key: Item | undefined): { cursor?: string } {
  return key ? { cursor: Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') } : {};
}

/** The start key of a cursor from {@link encodeCursor}. @throws StoreRequestError when it is not one. */
export function decodeCursor(cursor: string | undefined): Item | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new TypeError('not a key');
    return key as Item;
  } catch (cause) {
    throw new StoreRequestError('The cursor is not one this list returned', { cause });
  }
}

/** A page size between 1 and 200, default 50. */
export function pageSize(limit: number | undefined): number {
  return Math.min(200, Math.max(1, Math.trunc(limit ?? 50)));
}

/** A kind of versioned item (an entity, a mapping): how the writes below name, read and decode it. */
export interface VersionedKind<T extends { readonly version?: number }> {
  /** `entity`, `mapping`: the kind its errors name. */
  readonly kind: string;
  readonly tableName: string;
  readonly hashKey: string;
  readonly decode: (item: Item) => T;
  /** A consistent read of the item, when the failed write did not return it. */
  readonly read: (id: string) => Promise<T | undefined>;
}

/**
 * Why a versioned write failed: the item is gone (ItemNotFoundError), its
 * version moved on (VersionConflictError), or the request failed.
 */
export async function versionRefusal<T extends { readonly version?: number }>(
  kind: VersionedKind<T>,
  error: unknown,
  id: string,
  expectedVersion: number,
  what: string,
): Promise<Error> {
  if (!(error instanceof ConditionalCheckFailedException)) return new DynamoDbStoreError(what, { cause: error });
  const current = error.Item ? kind.decode(error.Item) : await kind.read(id);
  if (!current) return new ItemNotFoundError(kind.kind, id, { cause: error });
  return new VersionConflictError(kind.kind, id, expectedVersion, current.version ?? 0, { cause: error });
}

/**
 * Deletes an item only at the version the caller read.
 *
 * @throws ItemNotFoundError, VersionConflictError, DynamoDbStoreError naming `what`
 */
export async function deleteVersioned<T extends { readonly version?: number }>(
  client: DynamoDBClient,
  kind: VersionedKind<T>,
  id: string,
  expectedVersion: number,
  what: string,
): Promise<void> {
  const { condition, values } = versionCondition(kind.hashKey, expectedVersion);
  try {
    await client.send(
      new DeleteItemCommand({
        TableName: kind.tableName,
        Key: { [kind.hashKey]: { S: id } },
        ConditionExpression: condition,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    throw await versionRefusal(kind, error, id, expectedVersion, what);
  }
}
