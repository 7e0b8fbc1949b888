import {
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type QueryCommandInput,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDbStoreError, StoreRequestError } from '../errors';

/** A DynamoDB item as the low-level client reads and writes it. */
export type Item = Record<string, AttributeValue>;

/** How often a transaction cancelled by a concurrent one is tried in all. */
export const TRANSACTION_ATTEMPTS = 8;

/**
 * The reasons of a cancelled transaction, one per item in request order, or
 * `undefined` when `error` is something else.
 */
export function cancellationReasons(error: unknown): readonly CancellationReason[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined;
}

/** Whether the condition of the item at `index` is what cancelled the transaction. */
export function conditionFailed(reasons: readonly CancellationReason[], index: number): boolean {
  return reasons[index]?.Code === 'ConditionalCheckFailed';
}

/**
 * Whether some condition failed. Without one, the cancellation came from a
 * concurrent transaction on the same items or from throttling, and the same
 * request may succeed a moment later.
 */
export function anyConditionFailed(reasons: readonly CancellationReason[]): boolean {
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed');
}

/** Waits before attempt `attempt + 1`: exponential with full jitter, so racing writers spread out. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 20 * 2 ** attempt);
  return sleep(Math.floor(Math.random() * ceiling));
}

/** A DynamoDB number attribute as a bigint; never through a JS number. */
export function toBigInt(value: AttributeValue | undefined): bigint | undefined {
  const text = value?.N;
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new RangeError(`${text} is not an integer`);
  return BigInt(text);
}

const CURRENCY = /^[A-Z]{3}$/;

/** Checks an amount's currency code and exponent before they become part of a key. */
export function checkCurrency(currency: string, exponent: number): void {
  if (!CURRENCY.test(currency)) throw new StoreRequestError(`'${currency}' is not an ISO 4217 currency code`);
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 18) {
    throw new StoreRequestError(`${exponent} is not an ISO 4217 exponent`);
  }
}

/** Milliseconds since the epoch of an ISO 8601 timestamp. */
export function epochMs(timestamp: string, what: string): number {
  const ms = Date.parse(timestamp);
  if (!Number.isFinite(ms) || ms < 0) throw new StoreRequestError(`${what} '${timestamp}' is not an ISO 8601 timestamp`);
  return ms;
}

/**
 * Every item a query finds, page after page, or until `enough` says so.
 *
 * @throws DynamoDbStoreError naming `what`
 */
export async function queryAll(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  what: string,
  enough: (items: readonly Item[]) => boolean = () => false,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  try {
    do {
      const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && !enough(items));
  } catch (error) {
    throw new DynamoDbStoreError(`Could not read ${what}`, { cause: error });
  }
  return items;
}

/**
 * Sends a TransactWriteItems and resolves `done` once it succeeds. When it is
 * cancelled, `settle` decides from the reasons: it resolves an outcome, throws,
 * or resolves `undefined` to try again (a concurrent write on the same items),
 * up to {@link TRANSACTION_ATTEMPTS} times with backoff.
 *
 * @throws DynamoDbStoreError naming `what` for any other failure, or when the attempts run out
 */
export async function transactWrite<T>(
  client: DynamoDBClient,
  input: () => TransactWriteItemsCommandInput,
  what: string,
  done: T,
  settle: (reasons: readonly CancellationReason[], error: unknown) => Promise<T | undefined> | T | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(new TransactWriteItemsCommand(input()));
      return done;
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw new DynamoDbStoreError(`Could not write ${what}`, { cause: error });
      const outcome = await settle(reasons, error);
      if (outcome !== undefined) return outcome;
      if (attempt >= TRANSACTION_ATTEMPTS) throw new DynamoDbStoreError(`${what} kept conflicting with concurrent writes`, { cause: error });
      await backoff(attempt);
    }
  }
}
