import { ConditionalCheckFailedException, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StoreRequestError } from '../errors';
import type { UsageMeter } from '../ports';

/** Options of {@link DynamoDbUsageMeter}. */
export interface DynamoDbUsageMeterOptions {
  readonly client: DynamoDBClient;
  /** The usage table (hash key `id`, TTL attribute `expiration`). */
  readonly tableName: string;
}

/**
 * The usage table: one item per subject and window (`<subject>#<window>`),
 * counted up with a conditional `ADD`, so that concurrent requests never
 * pass the limit together. Items expire through the table's TTL.
 */
export class DynamoDbUsageMeter implements UsageMeter {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbUsageMeterOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async consume(subject: string, window: string, amount: number, limit: number, expiresAt: number): Promise<boolean> {
    if (!Number.isSafeInteger(amount) || amount < 0 || !Number.isSafeInteger(limit) || limit < 0) {
      throw new StoreRequestError(`usage ${amount} and limit ${limit} must be whole numbers from 0`);
    }
    if (amount > limit) return false;
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { id: { S: `${subject}#${window}` } },
          UpdateExpression: 'ADD used :amount SET expiration = if_not_exists(expiration, :expires)',
          ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
          ExpressionAttributeValues: {
            ':amount': { N: String(amount) },
            ':room': { N: String(limit - amount) },
            ':expires': { N: String(expiresAt) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new DynamoDbStoreError(`Could not count the usage of ${subject} in ${window}`, { cause: error });
    }
  }
}
