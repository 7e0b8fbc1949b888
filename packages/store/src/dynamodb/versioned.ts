import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { StoreRequestError } from '../errors';
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
