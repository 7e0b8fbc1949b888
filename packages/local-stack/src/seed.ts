import { readFile } from 'node:fs/promises';
import { ConditionalCheckFailedException, PutItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { money, type Money } from '@mxflow/iso20022';
import { DynamoDbEntityDirectory, DynamoDbLedger } from '@mxflow/store';
import { LocalStackError } from './errors';

/** A demo participant: its entity, OAuth client and opening liquidity. */
export interface SeedParticipant {
  readonly entityId: string;
  readonly name: string;
  readonly bic: string;
  readonly accounts: readonly string[];
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  /** Opening balance per currency, as a decimal string. */
  readonly liquidity: Readonly<Record<string, string>>;
}

/**
 * An OAuth client that is no participant (an operator). With an `entityId`
 * it is mapped to that operator entity, so that it passes the API's auth
 * (the platform operator, with `payments/admin`); without one it only gets tokens.
 */
export interface SeedClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  /** The operator entity the client acts for. */
  readonly entityId?: string;
  /** Name and primary BIC of that entity, written when given. */
  readonly name?: string;
  readonly bic?: string;
}

export interface Seed {
  readonly participants: readonly SeedParticipant[];
  readonly operators: readonly SeedClient[];
}

/** The seed file is malformed; the message names the field. */
export class SeedError extends LocalStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

/** Reads and checks a seed file. */
export async function readSeed(file: string): Promise<Seed> {
  const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<Seed>;
  if (!Array.isArray(raw.participants) || raw.participants.length === 0) throw new SeedError(`${file}: participants must be a non-empty list`);
  raw.participants.forEach((participant, index) => {
    for (const field of ['entityId', 'name', 'bic', 'clientId', 'clientSecret'] as const) {
      if (typeof participant[field] !== 'string' || participant[field] === '') {
        throw new SeedError(`${file}: participants[${index}].${field} must be a non-empty string`);
      }
    }
    for (const [currency, amount] of Object.entries<string>(participant.liquidity ?? {})) {
      seedMoney(amount, currency, `${file}: participants[${index}].liquidity.${currency}`);
    }
  });
  (raw.operators ?? []).forEach((operator, index) => {
    for (const field of ['clientId', 'clientSecret'] as const) {
      if (typeof operator[field] !== 'string' || operator[field] === '') throw new SeedError(`${file}: operators[${index}].${field} must be a non-empty string`);
    }
    if (operator.bic !== undefined && (operator.entityId === undefined || operator.name === undefined)) {
      throw new SeedError(`${file}: operators[${index}] has a bic, so it needs an entityId and a name too`);
    }
  });
  return { participants: raw.participants, operators: raw.operators ?? [] };
}

/** A decimal amount of a currency as Money. @throws SeedError naming `where` when it is not one. */
function seedMoney(amount: string, currency: string, where: string): Money {
  try {
    return money(amount, currency);
  } catch (cause) {
    throw new SeedError(`${where}: ${(cause as Error).message}`, { cause });
  }
}

/** Table names by their platform module name, as `LocalCloud.tables` holds them. */
export type TableNames = Readonly<Record<string, string>>;

function tableName(tables: TableNames, module: string): string {
  const name = tables[module];
  if (!name) throw new SeedError(`infra/platform defines no ${module}`);
  return name;
}

/**
 * Writes the participants' entities, client mappings and opening balances,
 * through the same ports the services use. The opening balance is a posting
 * like any other (reference `opening`), so that a balance always equals the
 * sum of its postings. Each write is idempotent, so restarting keeps balances
 * that payments have moved.
 */
export async function seedParticipants(client: DynamoDBClient, tables: TableNames, seed: Seed, now: Date = new Date()): Promise<void> {
  const entities = new DynamoDbEntityDirectory({ client, tableName: tableName(tables, 'entity_table') });
  const ledger = new DynamoDbLedger({ client, tableName: tableName(tables, 'liquidity_table') });
  const mappings = tableName(tables, 'mapping_table');
  const timestamp = now.toISOString();
  for (const participant of seed.participants) {
    await entities.create({
      entityId: participant.entityId,
      name: participant.name,
      bic: participant.bic,
      bics: [participant.bic],
      accounts: [...participant.accounts],
      status: 'ACTIVE',
    });
    await putIfAbsent(client, mappings, 'clientId', {
      clientId: { S: participant.clientId },
      entityId: { S: participant.entityId },
      scopes: { SS: [...participant.scopes] },
      status: { S: 'ACTIVE' },
      createdAt: { S: timestamp },
    });
    for (const [currency, amount] of Object.entries(participant.liquidity)) {
      const opening = seedMoney(amount, currency, `${participant.entityId} liquidity`);
      await ledger.adjust(participant.entityId, opening, `opening-${participant.entityId}-${currency}`, 'opening', timestamp);
    }
  }
  for (const operator of seed.operators) {
    if (!operator.entityId) continue;
    if (operator.bic && operator.name) {
      await entities.create({ entityId: operator.entityId, name: operator.name, bic: operator.bic, bics: [operator.bic], accounts: [], status: 'ACTIVE' });
    }
    await putIfAbsent(client, mappings, 'clientId', {
      clientId: { S: operator.clientId },
      entityId: { S: operator.entityId },
      scopes: { SS: [...operator.scopes] },
      status: { S: 'ACTIVE' },
      createdAt: { S: timestamp },
    });
  }
}

async function putIfAbsent(
  client: DynamoDBClient,
  table: string,
  hashKey: string,
  item: Record<string, AttributeValue>,
): Promise<void> {
  try {
    await client.send(new PutItemCommand({ TableName: table, Item: item, ConditionExpression: `attribute_not_exists(${hashKey})` }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
