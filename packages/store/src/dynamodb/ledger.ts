import { GetItemCommand, TransactGetItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import {
  DynamoDbStoreError,
  EntityChangedError,
  InsufficientFundsError,
  LedgerAccountError,
  LedgerConflictError,
  ReturnConflictError,
  StoreRequestError,
} from '../errors';
import type { Balance, Ledger, LedgerAmount, LedgerTransfer, Posting, ReturnOfOriginal, TransactionStep, TransferConditions, TransferReceipt } from '../ports';
import { STATE_STEP, checkClaimWrites, checkStepWrites, claimPut, stepWrites } from './transaction-log';
import { anyConditionFailed, cancellationReasons, checkCurrency, conditionFailed, epochMs, queryAll, toBigInt, transactWrite, type Item } from './transact';

/** Options of {@link DynamoDbLedger}. */
export interface DynamoDbLedgerOptions {
  readonly client: DynamoDBClient;
  /** The liquidity table (hash key `entityId`, range key `entry`). */
  readonly tableName: string;
  /** The transaction table, for a transfer that records its step (and claims its keys) in the same write. */
  readonly transactionTableName?: string;
  /** The entity table, for a transfer that checks its parties are still active in the same write. */
  readonly entityTableName?: string;
}

const balanceEntry = (currency: string): string => `BALANCE#${currency}`;
const postingEntry = (currency: string, transactionId: string, leg: string): string => `POSTING#${currency}#${transactionId}#${leg}`;

/** Legs the ledger writes itself for a transfer. */
const Leg = { DEBIT: 'debit', CREDIT: 'credit' } as const;

function toBalance(item: Item): Balance {
  return {
    entityId: item.entityId?.S ?? '',
    currency: item.currency?.S ?? '',
    exponent: Number(item.exponent?.N ?? 0),
    minor: toBigInt(item.balanceMinor) ?? 0n,
    updatedAt: item.updatedAt?.S ?? '',
  };
}

function toPosting(item: Item): Posting {
  return {
    entityId: item.entityId?.S ?? '',
    currency: item.currency?.S ?? '',
    exponent: Number(item.exponent?.N ?? 0),
    minor: toBigInt(item.minor) ?? 0n,
    transactionId: item.transactionId?.S ?? '',
    leg: item.leg?.S ?? '',
    timestamp: item.timestamp?.S ?? '',
  };
}

/** Whether a stored posting is the one about to be written: same signed amount in the same currency and exponent. */
function samePosting(item: Item | undefined, currency: string, exponent: number, minor: bigint): boolean {
  return item?.currency?.S === currency && Number(item.exponent?.N) === exponent && toBigInt(item.minor) === minor;
}

/** The Put of one posting item, written once. */
function postingPut(tableName: string, entityId: string, amount: LedgerAmount, transactionId: string, leg: string, timestamp: string): TransactWriteItem {
  const { currency, exponent, minor } = amount;
  return {
    Put: {
      TableName: tableName,
      Item: {
        entityId: { S: entityId },
        entry: { S: postingEntry(currency, transactionId, leg) },
        currency: { S: currency },
        exponent: { N: String(exponent) },
        minor: { N: minor.toString() },
        transactionId: { S: transactionId },
        leg: { S: leg },
        timestamp: { S: timestamp },
      },
      ConditionExpression: 'attribute_not_exists(entry)',
    },
  };
}

/**
 * The writes that take a return off its original: the original's returned
 * amount and status move on only from what was read (so two returns cannot
 * both take the last of it), and the original gets a step naming the return.
 */
function returnWrites(tableName: string, returnOf: ReturnOfOriginal, amount: LedgerAmount): TransactWriteItem[] {
  const { originalTransactionId, returnedBefore, returnedAfter, status, returnTransactionId, requestId, timestamp } = returnOf;
  if (returnedAfter - returnedBefore !== amount.minor) throw new StoreRequestError(`The return ${returnTransactionId} must add its own amount to what was returned`);
  const first = returnedBefore === 0n;
  return [
    {
      Update: {
        TableName: tableName,
        Key: { transactionId: { S: originalTransactionId }, step: { S: STATE_STEP } },
        UpdateExpression: 'SET returnedMinor = :after, #status = :status, updatedAt = :at',
        // Only a settled (or partly returned) original in this currency, with nothing returned since it was read.
        ConditionExpression: `#status IN (:acsc, :part) AND currency = :ccy AND amountMinor >= :after AND ${first ? 'attribute_not_exists(returnedMinor)' : 'returnedMinor = :before'}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':after': { N: returnedAfter.toString() },
          ':status': { S: status },
          ':at': { S: timestamp },
          ':acsc': { S: 'ACSC' },
          ':part': { S: 'PART' },
          ':ccy': { S: amount.currency },
          ...(first ? {} : { ':before': { N: returnedBefore.toString() } }),
        },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          transactionId: { S: originalTransactionId },
          step: { S: `return#${returnTransactionId}` },
          status: { S: status },
          timestamp: { S: timestamp },
          epochMs: { N: String(epochMs(timestamp, 'The return timestamp')) },
          requestId: { S: requestId },
          amountMinor: { N: amount.minor.toString() },
          currency: { S: amount.currency },
          exponent: { N: String(amount.exponent) },
        },
        ConditionExpression: 'attribute_not_exists(transactionId)',
      },
    },
  ];
}

function checkLeg(leg: string): void {
  // The leg ends the posting key, so it must not contain the separator.
  if (!leg || leg.includes('#')) throw new StoreRequestError(`'${leg}' is not a posting leg name`);
}

/**
 * The liquidity table. Each entity has one balance item per currency
 * (`BALANCE#<CCY>`) and one posting item per leg (`POSTING#<CCY>#<transactionId>#<leg>`).
 * A balance changes only in the same transaction that writes its posting, so
 * it always equals the sum of its postings (an opening balance is an `adjust`).
 *
 * @example
 * const ledger = new DynamoDbLedger({ client: new DynamoDBClient({}), tableName });
 * await ledger.transfer({
 *   transactionId, debtorEntity: 'ent-alpha', creditorEntity: 'ent-beta',
 *   amount: { minor: 125_00n, currency: 'EUR', exponent: 2 }, timestamp: new Date().toISOString(),
 * });
 */
export class DynamoDbLedger implements Ledger {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #transactionTableName: string | undefined;
  readonly #entityTableName: string | undefined;

  constructor(options: DynamoDbLedgerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#transactionTableName = options.transactionTableName;
    this.#entityTableName = options.entityTableName;
  }

  async transfer(transfer: LedgerTransfer, step?: TransactionStep, returnOf?: ReturnOfOriginal, conditions: TransferConditions = {}): Promise<TransferReceipt> {
    const { transactionId, debtorEntity, creditorEntity, amount, timestamp } = transfer;
    const { currency, exponent, minor } = amount;
    checkCurrency(currency, exponent);
    epochMs(timestamp, 'The transfer timestamp');
    if (typeof minor !== 'bigint' || minor <= 0n) throw new StoreRequestError(`A transfer amount must be a positive bigint, not ${String(minor)}`);
    if (debtorEntity === creditorEntity) throw new StoreRequestError(`Transfer ${transactionId} has ${debtorEntity} on both sides`);
    if (step && !this.#transactionTableName) throw new StoreRequestError('A transfer that records a step needs the transaction table (transactionTableName)');
    // Money moves before the transaction's deadline or not at all.
    const recording = step && this.#transactionTableName ? stepWrites(this.#transactionTableName, step, { beforeDeadline: true }) : [];
    if (returnOf && !step) throw new StoreRequestError('A return records its own step with the transfer');
    const returning = returnOf && this.#transactionTableName ? returnWrites(this.#transactionTableName, returnOf, transfer.amount) : [];
    const claims = conditions.claims ?? [];
    if (claims.length > 0 && !this.#transactionTableName) throw new StoreRequestError('A transfer that claims keys needs the transaction table (transactionTableName)');
    const claiming = claims.map((key) => claimPut(this.#transactionTableName as string, key, transactionId, timestamp));
    const active = conditions.activeEntities ?? [];
    if (active.length > 0 && !this.#entityTableName) throw new StoreRequestError('A transfer that checks its parties needs the entity table (entityTableName)');
    const checking = active.map((entityId) => entityActiveCheck(this.#entityTableName as string, entityId));
    const claimsAt = 4 + recording.length + returning.length;
    const checksAt = claimsAt + claiming.length;
    if (checksAt + checking.length > MAX_TRANSACTION_ITEMS) {
      throw new StoreRequestError(`Transfer ${transactionId} needs ${checksAt + checking.length} writes; one transaction holds at most ${MAX_TRANSACTION_ITEMS}`);
    }

    const values = { ':a': { N: minor.toString() }, ':e': { N: String(exponent) } };
    return transactWrite(
      this.#client,
      () => {
        const updatedAt = { ':t': { S: new Date().toISOString() } };
        return {
          TransactItems: [
            {
              Update: {
                TableName: this.#tableName,
                Key: { entityId: { S: debtorEntity }, entry: { S: balanceEntry(currency) } },
                UpdateExpression: 'SET balanceMinor = balanceMinor - :a, updatedAt = :t',
                ConditionExpression: 'balanceMinor >= :a AND exponent = :e',
                ExpressionAttributeValues: { ...values, ...updatedAt },
              },
            },
            {
              Update: {
                TableName: this.#tableName,
                Key: { entityId: { S: creditorEntity }, entry: { S: balanceEntry(currency) } },
                UpdateExpression: 'SET balanceMinor = balanceMinor + :a, updatedAt = :t',
                ConditionExpression: 'attribute_exists(balanceMinor) AND exponent = :e',
                ExpressionAttributeValues: { ...values, ...updatedAt },
              },
            },
            postingPut(this.#tableName, debtorEntity, { ...amount, minor: -minor }, transactionId, Leg.DEBIT, timestamp),
            postingPut(this.#tableName, creditorEntity, amount, transactionId, Leg.CREDIT, timestamp),
            ...recording,
            ...returning,
            ...claiming,
            ...checking,
          ],
        };
      },
      `transfer ${transactionId}`,
      { alreadyPosted: false } as TransferReceipt,
      async (reasons, error) => {
        if (step) {
          try {
            await checkStepWrites(reasons, 4, step, error, async () => undefined);
          } catch (refusal) {
            // The step is there: an earlier delivery posted and recorded all of it.
            if ((refusal as Error).name === 'StepAlreadyRecordedError') return { alreadyPosted: true };
            throw refusal;
          }
        }
        if (returnOf && (conditionFailed(reasons, 6) || conditionFailed(reasons, 7))) throw new ReturnConflictError(returnOf.originalTransactionId, { cause: error });
        // A party that changed comes first: the decision was made on what it no longer is, and is made again.
        active.forEach((entityId, index) => {
          if (conditionFailed(reasons, checksAt + index)) throw new EntityChangedError(entityId, { cause: error });
        });
        checkClaimWrites(reasons, claimsAt, claims, transactionId, error);
        // The reasons say which condition failed, but only a read tells why, and
        // DynamoDB may report just the first failure: read all four at once.
        return anyConditionFailed(reasons) ? this.#diagnoseTransfer(transfer, error) : undefined;
      },
    );
  }

  /**
   * Why a transfer's conditions failed, from one consistent read of its four
   * items. Resolves `undefined` when nothing explains it any more (a concurrent
   * write changed the state), so the caller tries again.
   */
  async #diagnoseTransfer(transfer: LedgerTransfer, cause: unknown): Promise<TransferReceipt | undefined> {
    const { transactionId, debtorEntity, creditorEntity, amount } = transfer;
    const { currency, exponent, minor } = amount;
    const snapshot = await this.#readConsistently(
      [
        [debtorEntity, balanceEntry(currency)],
        [creditorEntity, balanceEntry(currency)],
        [debtorEntity, postingEntry(currency, transactionId, Leg.DEBIT)],
        [creditorEntity, postingEntry(currency, transactionId, Leg.CREDIT)],
      ],
      `transfer ${transactionId}`,
    );
    if (!snapshot) return undefined;
    const [debtor, creditor, debit, credit] = snapshot;
    if (debit || credit) {
      if (samePosting(debit, currency, exponent, -minor) && samePosting(credit, currency, exponent, minor)) return { alreadyPosted: true };
      throw new LedgerConflictError(
        transactionId,
        `transaction ${transactionId} already posted a different ${currency} transfer than ${minor} from ${debtorEntity} to ${creditorEntity}`,
        { cause },
      );
    }
    accountCheck(debtorEntity, currency, exponent, debtor, cause);
    accountCheck(creditorEntity, currency, exponent, creditor, cause);
    if ((toBigInt(debtor?.balanceMinor) ?? 0n) < minor) throw new InsufficientFundsError(debtorEntity, currency, { cause });
    return undefined;
  }

  async adjust(entityId: string, amount: LedgerAmount, reference: string, leg: string, timestamp: string): Promise<TransferReceipt> {
    const { currency, exponent, minor } = amount;
    checkCurrency(currency, exponent);
    checkLeg(leg);
    epochMs(timestamp, 'The adjustment timestamp');
    if (typeof minor !== 'bigint') throw new StoreRequestError(`An adjustment amount must be a bigint, not ${String(minor)}`);
    if (!reference) throw new StoreRequestError('An adjustment needs a reference');
    const debit = minor < 0n;
    return transactWrite(
      this.#client,
      () => ({
        TransactItems: [
          {
            Update: {
              TableName: this.#tableName,
              Key: { entityId: { S: entityId }, entry: { S: balanceEntry(currency) } },
              UpdateExpression: debit
                ? 'SET balanceMinor = balanceMinor - :a, updatedAt = :t'
                : 'SET balanceMinor = if_not_exists(balanceMinor, :zero) + :a, currency = :c, exponent = if_not_exists(exponent, :e), updatedAt = :t',
              // A debit needs an existing balance that covers it; a credit opens the balance if absent.
              ConditionExpression: debit ? 'exponent = :e AND balanceMinor >= :a' : 'attribute_not_exists(entityId) OR exponent = :e',
              ExpressionAttributeValues: {
                ':a': { N: (debit ? -minor : minor).toString() },
                ':e': { N: String(exponent) },
                ':t': { S: new Date().toISOString() },
                ...(debit ? {} : { ':zero': { N: '0' }, ':c': { S: currency } }),
              },
            },
          },
          postingPut(this.#tableName, entityId, amount, reference, leg, timestamp),
        ],
      }),
      `adjustment ${reference} on ${entityId}`,
      { alreadyPosted: false } as TransferReceipt,
      (reasons, error) => (anyConditionFailed(reasons) ? this.#diagnoseAdjustment(entityId, amount, reference, leg, error) : undefined),
    );
  }

  /** Why an adjustment's conditions failed; `undefined` when nothing explains it any more, so the caller tries again. */
  async #diagnoseAdjustment(
    entityId: string,
    amount: LedgerAmount,
    reference: string,
    leg: string,
    cause: unknown,
  ): Promise<TransferReceipt | undefined> {
    const { currency, exponent, minor } = amount;
    const snapshot = await this.#readConsistently(
      [
        [entityId, balanceEntry(currency)],
        [entityId, postingEntry(currency, reference, leg)],
      ],
      `adjustment ${reference}`,
    );
    if (!snapshot) return undefined;
    const [balance, posting] = snapshot;
    if (posting) {
      if (samePosting(posting, currency, exponent, minor)) return { alreadyPosted: true };
      throw new LedgerConflictError(reference, `${reference} already posted a different ${currency} ${leg} on ${entityId}`, { cause });
    }
    if (balance) accountCheck(entityId, currency, exponent, balance, cause);
    if (minor < 0n && (toBigInt(balance?.balanceMinor) ?? 0n) < -minor) throw new InsufficientFundsError(entityId, currency, { cause });
    return undefined;
  }

  async balance(entityId: string, currency: string): Promise<Balance | undefined> {
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetItemCommand({
          TableName: this.#tableName,
          Key: { entityId: { S: entityId }, entry: { S: balanceEntry(currency) } },
          ConsistentRead: true,
        }),
      ));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the ${currency} balance of ${entityId}`, { cause: error });
    }
    return item ? toBalance(item) : undefined;
  }

  async balances(entityId: string): Promise<Balance[]> {
    const items = await this.#query(entityId, 'BALANCE#', `the balances of ${entityId}`);
    return items.map(toBalance);
  }

  async postings(entityId: string, currency?: string): Promise<Posting[]> {
    const prefix = currency === undefined ? 'POSTING#' : `POSTING#${currency}#`;
    const items = await this.#query(entityId, prefix, `the postings of ${entityId}`);
    // The key orders by currency and transaction id; callers want the order in which they were posted.
    return items
      .map((item) => ({ item, at: Date.parse(item.timestamp?.S ?? '') }))
      .sort((a, b) => a.at - b.at || (a.item.entry?.S ?? '').localeCompare(b.item.entry?.S ?? ''))
      .map(({ item }) => toPosting(item));
  }

  #query(entityId: string, prefix: string, what: string): Promise<Item[]> {
    return queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        KeyConditionExpression: 'entityId = :id AND begins_with(entry, :prefix)',
        ExpressionAttributeValues: { ':id': { S: entityId }, ':prefix': { S: prefix } },
        ConsistentRead: true,
      },
      what,
    );
  }

  /**
   * Reads items as one serializable snapshot; a missing item is `undefined` in
   * its place. Resolves `undefined` when a concurrent write cancelled the read.
   */
  async #readConsistently(keys: readonly (readonly [string, string])[], what: string): Promise<(Item | undefined)[] | undefined> {
    try {
      const { Responses = [] } = await this.#client.send(
        new TransactGetItemsCommand({
          TransactItems: keys.map(([entityId, entry]) => ({
            Get: { TableName: this.#tableName, Key: { entityId: { S: entityId }, entry: { S: entry } } },
          })),
        }),
      );
      return keys.map((_, index) => Responses[index]?.Item);
    } catch (error) {
      if (cancellationReasons(error)) return undefined;
      throw new DynamoDbStoreError(`Could not read the items of ${what}`, { cause: error });
    }
  }
}

/** Most items one TransactWriteItems may hold. */
export const MAX_TRANSACTION_ITEMS = 100;

/** A condition that the entity is still ACTIVE: a party read from a cache is checked in the write that relies on it. */
function entityActiveCheck(tableName: string, entityId: string): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: { entityId: { S: entityId } },
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': { S: 'ACTIVE' } },
    },
  };
}

/** Throws LedgerAccountError unless `item` is a balance kept in `currency` with `exponent`. */
function accountCheck(entityId: string, currency: string, exponent: number, item: Item | undefined, cause: unknown): void {
  if (!item) throw new LedgerAccountError(entityId, currency, `${entityId} has no ${currency} balance`, { cause });
  const kept = Number(item.exponent?.N);
  if (kept !== exponent) {
    throw new LedgerAccountError(entityId, currency, `${entityId} keeps ${currency} with exponent ${kept}, not ${exponent}`, { cause });
  }
}
