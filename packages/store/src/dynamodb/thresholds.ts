import { BatchGetItemCommand, ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, LedgerAccountError, StoreRequestError } from '../errors';
import { LowBalanceChange, type LowBalanceChangeName, type LowBalanceMonitor } from '../ports';
import { checkCurrency, toBigInt, type Item } from './transact';

/** Options of {@link DynamoDbLowBalanceMonitor}. */
export interface DynamoDbLowBalanceMonitorOptions {
  readonly client: DynamoDBClient;
  /** The liquidity table (hash key `entityId`, range key `entry`), whose balance items carry the thresholds. */
  readonly tableName: string;
}

const balanceKey = (entityId: string, currency: string) => ({ entityId: { S: entityId }, entry: { S: `BALANCE#${currency}` } });

/**
 * Low-balance thresholds on the liquidity table's balance items
 * (`BALANCE#<CCY>`): `thresholdMinor`, and `alerted` while the
 * balance is below it and the crossing was reported. A check flips the flag
 * with a conditional update that also compares the balance with the threshold,
 * so of any number of concurrent checks exactly one reports a crossing, and
 * only while the balance really is on that side. The ledger's own writes leave
 * both attributes alone.
 *
 * @example
 * const monitor = new DynamoDbLowBalanceMonitor({ client, tableName });
 * await monitor.setThreshold('ent-alpha', 'EUR', 500_00n);
 * if ((await monitor.check('ent-alpha', 'EUR')) === 'crossed-below') await alert();
 */
export class DynamoDbLowBalanceMonitor implements LowBalanceMonitor {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbLowBalanceMonitorOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async setThreshold(entityId: string, currency: string, minor: bigint | undefined): Promise<void> {
    checkCurrency(currency, 0);
    if (minor !== undefined && (typeof minor !== 'bigint' || minor < 0n)) throw new StoreRequestError(`A threshold must be a bigint of at least 0, not ${String(minor)}`);
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: balanceKey(entityId, currency),
          // Without a threshold there is nothing to have alerted about; a new one keeps the flag, so an
          // unchanged side of it does not alert twice.
          UpdateExpression: minor === undefined ? 'REMOVE thresholdMinor, alerted' : 'SET thresholdMinor = :threshold',
          // Only on an existing balance: an item without one would look like an account to the ledger.
          ConditionExpression: 'attribute_exists(balanceMinor)',
          ...(minor === undefined ? {} : { ExpressionAttributeValues: { ':threshold': { N: minor.toString() } } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new LedgerAccountError(entityId, currency, `${entityId} has no ${currency} balance`, { cause: error });
      throw new DynamoDbStoreError(`Could not set the ${currency} threshold of ${entityId}`, { cause: error });
    }
  }

  async threshold(entityId: string, currency: string): Promise<bigint | undefined> {
    return toBigInt((await this.#read(entityId, currency))?.thresholdMinor);
  }

  async check(entityId: string, currency: string): Promise<LowBalanceChangeName | undefined> {
    return this.#decide(entityId, currency, await this.#read(entityId, currency));
  }

  async checkMany(entityIds: readonly string[], currency: string): Promise<(LowBalanceChangeName | undefined)[]> {
    const distinct = [...new Set(entityIds)];
    if (distinct.length <= 1) return Promise.all(entityIds.map((entityId) => this.check(entityId, currency)));
    const items = await this.#readMany(distinct, currency);
    const changes = new Map(await Promise.all(distinct.map(async (entityId) => [entityId, await this.#decide(entityId, currency, items.get(entityId))] as const)));
    return entityIds.map((entityId, index) => (entityIds.indexOf(entityId) === index ? changes.get(entityId) : undefined));
  }

  /** Flips the flag when the balance read is on the other side of its threshold; what changed, if anything. */
  async #decide(entityId: string, currency: string, item: Item | undefined): Promise<LowBalanceChangeName | undefined> {
    const threshold = toBigInt(item?.thresholdMinor);
    const balance = toBigInt(item?.balanceMinor);
    if (threshold === undefined || balance === undefined) return undefined;
    const alerted = item?.alerted?.BOOL === true;
    const below = balance < threshold;
    if (below === alerted) return undefined;
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: balanceKey(entityId, currency),
          UpdateExpression: 'SET alerted = :now',
          // The flag flips once, and only while the balance is still on the side that was read.
          ConditionExpression: below
            ? 'balanceMinor < thresholdMinor AND (attribute_not_exists(alerted) OR alerted = :was)'
            : 'balanceMinor >= thresholdMinor AND alerted = :was',
          ExpressionAttributeValues: { ':now': { BOOL: below }, ':was': { BOOL: !below } },
        }),
      );
      return below ? LowBalanceChange.CROSSED_BELOW : LowBalanceChange.RECOVERED;
    } catch (error) {
      // Another check reported it first, or the balance moved back meanwhile.
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw new DynamoDbStoreError(`Could not check the ${currency} balance of ${entityId}`, { cause: error });
    }
  }

  /** The balance items of several entities in one strongly consistent read. */
  async #readMany(entityIds: readonly string[], currency: string): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    let keys: Record<string, { S: string }>[] = entityIds.map((entityId) => balanceKey(entityId, currency));
    try {
      // Unprocessed keys (throttling) are asked for again.
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const answer = await this.#client.send(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of answer.Responses?.[this.#tableName] ?? []) if (item.entityId?.S) found.set(item.entityId.S, item);
        keys = (answer.UnprocessedKeys?.[this.#tableName]?.Keys ?? []) as typeof keys;
        if (attempt >= 8 && keys.length > 0) throw new Error(`${keys.length} keys stayed unprocessed`);
      }
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the ${currency} balances of ${entityIds.join(', ')}`, { cause: error });
    }
    return found;
  }

  async #read(entityId: string, currency: string): Promise<Item | undefined> {
    try {
      const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: balanceKey(entityId, currency), ConsistentRead: true }));
      return item;
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the ${currency} balance of ${entityId}`, { cause: error });
    }
  }
}
