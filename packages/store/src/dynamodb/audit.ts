import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStoreError, StoreRequestError } from '../errors';
import type { AuditEntry, AuditLog, AuditQuery, Page } from '../ports';
import { epochMs, type Item } from './transact';
import { decodeCursor, encodeCursor, pageSize } from './versioned';

/** Options of {@link DynamoDbAuditLog}. */
export interface DynamoDbAuditLogOptions {
  readonly client: DynamoDBClient;
  /** The audit table (hash key `subject`, range key `entry`). */
  readonly tableName: string;
  /** Its index of every entry by time (default `byTime`, hash key `kind`, range key `entry`). */
  readonly timeIndex?: string;
}

/** `kind` of every audit item: the one hash key of the time index, so that it orders all entries by time. */
const AUDIT = 'AUDIT';

/** The range key: epoch milliseconds (15 digits, so that text order is time order), then a unique id. */
const entryKey = (timestamp: string, id: string): string => `${String(epochMs(timestamp, 'The audit timestamp')).padStart(15, '0')}#${id}`;

function json(value: unknown): AttributeValue | undefined {
  // Amounts may arrive as bigints; they are kept as their decimal text.
  return value === undefined ? undefined : { S: JSON.stringify(value, (_, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner)) };
}

function fromItem(item: Item): AuditEntry {
  const parse = (value: AttributeValue | undefined): unknown => (value?.S === undefined ? undefined : JSON.parse(value.S));
  const before = parse(item.before);
  const after = parse(item.after);
  return {
    id: item.id?.S ?? '',
    subject: item.subject?.S ?? '',
    action: item.action?.S ?? '',
    actor: { clientId: item.actorClientId?.S ?? '', entityId: item.actorEntityId?.S ?? '' },
    timestamp: item.timestamp?.S ?? '',
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  };
}

/**
 * The audit table: one item per change, written once, keyed by its subject
 * and `<epoch ms>#<id>`. Every item also has `kind = AUDIT`, so the `byTime`
 * index lists all changes newest first. `before` and `after` are kept as JSON text.
 *
 * @example
 * const audit = new DynamoDbAuditLog({ client: new DynamoDBClient({}), tableName });
 * await audit.record({ subject: 'entity/ent-alpha', action: 'entity.suspend', actor, timestamp: new Date().toISOString(), before, after });
 * const { items } = await audit.list({ subject: 'entity/ent-alpha', limit: 20 });
 */
export class DynamoDbAuditLog implements AuditLog {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #timeIndex: string;

  constructor(options: DynamoDbAuditLogOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#timeIndex = options.timeIndex ?? 'byTime';
  }

  async record(entry: AuditEntry): Promise<AuditEntry> {
    if (!entry.subject || !entry.action) throw new StoreRequestError('An audit entry needs a subject and an action');
    const id = entry.id ?? randomUUID();
    const before = json(entry.before);
    const after = json(entry.after);
    const item: Item = {
      subject: { S: entry.subject },
      entry: { S: entryKey(entry.timestamp, id) },
      kind: { S: AUDIT },
      id: { S: id },
      action: { S: entry.action },
      actorClientId: { S: entry.actor.clientId },
      actorEntityId: { S: entry.actor.entityId },
      timestamp: { S: entry.timestamp },
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    };
    try {
      await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: item, ConditionExpression: 'attribute_not_exists(entry)' }));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not record ${entry.action} of ${entry.subject}`, { cause: error });
    }
    return { ...entry, id };
  }

  async list(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    const startKey = decodeCursor(query.cursor);
    const bySubject = query.subject !== undefined;
    try {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          ...(bySubject ? {} : { IndexName: this.#timeIndex }),
          KeyConditionExpression: bySubject ? 'subject = :key' : 'kind = :key',
          ExpressionAttributeValues: { ':key': { S: bySubject ? (query.subject as string) : AUDIT } },
          ScanIndexForward: false,
          Limit: pageSize(query.limit),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      return { items: (page.Items ?? []).map(fromItem), ...encodeCursor(page.LastEvaluatedKey) };
    } catch (error) {
      throw new DynamoDbStoreError('Could not list the audit entries', { cause: error });
    }
  }
}
