import { GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError } from '../errors';
import type { ClientMapping, MappingDirectory } from '../ports';

/** Options of {@link DynamoDbMappingDirectory}. */
export interface DynamoDbMappingDirectoryOptions {
  readonly client: DynamoDBClient;
  /** The mapping table (hash key `clientId`). */
  readonly tableName: string;
  /** Strongly consistent reads, so a suspension applies at once. Default true. */
  readonly consistentRead?: boolean;
}

function stringSet(value: AttributeValue | undefined): string[] {
  if (value?.SS) return [...value.SS];
  if (value?.L) return value.L.flatMap((item) => (item.S === undefined ? [] : [item.S]));
  if (value?.S) return value.S.split(' ').filter(Boolean);
  return [];
}

/** The mapping table: identity client id → entity id, allowed scopes and status. */
export class DynamoDbMappingDirectory implements MappingDirectory {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #consistentRead: boolean;

  constructor(options: DynamoDbMappingDirectoryOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#consistentRead = options.consistentRead ?? true;
  }

  async find(clientId: string): Promise<ClientMapping | undefined> {
    let item: Record<string, AttributeValue> | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetItemCommand({ TableName: this.#tableName, Key: { clientId: { S: clientId } }, ConsistentRead: this.#consistentRead }),
      ));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the mapping of client ${clientId}`, { cause: error });
    }
    if (!item?.entityId?.S) return undefined;
    return {
      clientId,
      entityId: item.entityId.S,
      scopes: stringSet(item.scopes),
      status: item.status?.S ?? 'UNKNOWN',
    };
  }
}
