import { createHash } from 'node:crypto';
import type { Archive, Entity, EntityRegistry, Ledger, Posting, TransactionLog } from '@mxflow/store';
import { dayOf, reconcile, TransferLeg, type Reconciliation, type TransactionRecord } from '../domain/reconciliation';

/** The ports a reconciliation reads through. */
export interface ReconciliationPorts {
  readonly entities: Pick<EntityRegistry, 'list'>;
  readonly ledger: Pick<Ledger, 'balances' | 'postings'>;
  readonly log: Pick<TransactionLog, 'list' | 'history'>;
  readonly archive: Pick<Archive, 'get'>;
}

/** How many reads run at once. */
const PARALLEL = 16;
const DAY_MS = 86_400_000;

/** `work` over every item, at most {@link PARALLEL} at a time, results in item order. */
async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += PARALLEL) results.push(...(await Promise.all(items.slice(start, start + PARALLEL).map(work))));
  return results;
}

async function everyEntity(entities: ReconciliationPorts['entities']): Promise<Entity[]> {
  const all: Entity[] = [];
  let cursor: string | undefined;
  do {
    const page = await entities.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

/** Ids of the transactions of the entities created from `from` (inclusive) to `to` (exclusive). */
async function transactionIds(log: ReconciliationPorts['log'], entityIds: readonly string[], from: string, to: string): Promise<string[]> {
  if (entityIds.length === 0) return [];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await log.list(entityIds, { from, to, limit: 200, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((item) => item.transactionId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('base64');

/**
 * Reads what the reconciliation of `date` (UTC, `YYYY-MM-DD`) needs through
 * the ports, and reconciles it: every entity's balances and postings, the
 * transactions created that day or the day before (a payment may settle
 * after midnight) and those the day's postings name, each with its steps,
 * and the archived messages the day's steps name, hashed.
 */
export async function reconcileDay(ports: ReconciliationPorts, date: string): Promise<Reconciliation> {
  const entities = await everyEntity(ports.entities);
  const entityIds = entities.map((entity) => entity.entityId);
  const [balances, postings] = await Promise.all([
    inBatches(entityIds, (entityId) => ports.ledger.balances(entityId)).then((all) => all.flat()),
    inBatches(entityIds, (entityId) => ports.ledger.postings(entityId)).then((all) => all.flat()),
  ]);
  const start = Date.parse(`${date}T00:00:00.000Z`);
  const created = await transactionIds(ports.log, entityIds, new Date(start - DAY_MS).toISOString(), new Date(start + DAY_MS).toISOString());
  const posted = postings.filter((posting: Posting) => dayOf(posting.timestamp) === date && (posting.leg === TransferLeg.DEBIT || posting.leg === TransferLeg.CREDIT));
  const ids = [...new Set([...created, ...posted.map((posting) => posting.transactionId)])];
  const transactions = await inBatches(ids, async (transactionId): Promise<TransactionRecord> => {
    const { summary, steps } = await ports.log.history(transactionId);
    return { transactionId, ...(summary ? { summary } : {}), steps };
  });
  const keys = [...new Set(transactions.flatMap((record) => record.steps.filter((step) => step.archiveKey && dayOf(step.timestamp) === date).map((step) => step.archiveKey as string)))];
  const digests = await inBatches(keys, async (key) => {
    const bytes = await ports.archive.get(key);
    return [key, bytes ? sha256(bytes) : undefined] as const;
  });
  return reconcile({ date, balances, postings, transactions, archive: new Map(digests) });
}
