/**
 * End of day: once a business day is closed (its cut-off passed), every
 * participant gets a camt.053 per settlement account for that day, archived
 * write-once under `statements/…` and notified.
 */
import { createHash } from 'node:crypto';
import { statementKey, type Notification } from '@mxflow/contracts';
import type { Archive, Entity, EntityRegistry, Notifier, TransactionLog } from '@mxflow/store';
import { readBooks, releasedXml, reportOf, type ReportPorts } from './reports';

const DAY_MS = 86_400_000;

/** A business day: its date and the instants it runs between (from inclusive, to exclusive). */
export interface BusinessDay {
  /** `YYYY-MM-DD`: the date on which it closes (the date of its last instant). */
  readonly date: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Reads a cut-off time of day, `HH:MM[:SS]` in UTC (`00:00`, midnight, when unset).
 *
 * @throws RangeError naming the value when it is no time of day
 */
export function parseCutoff(text: string | undefined): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec((text || '00:00').trim());
  if (!match) throw new RangeError(`STATEMENT_CUTOFF '${text}' is not a UTC time of day HH:MM[:SS]`);
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3] ?? 0)) * 1000;
}

/** The last business day closed at `now`: the one whose cut-off came last, at or before `now`. */
export function lastClosedDay(now: Date, cutoffMs: number): BusinessDay {
  const midnight = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const to = midnight + cutoffMs <= now.getTime() ? midnight + cutoffMs : midnight + cutoffMs - DAY_MS;
  return { date: new Date(to - 1).toISOString().slice(0, 10), from: new Date(to - DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/** When the next business day closes after `now`. */
export function nextCutoff(now: Date, cutoffMs: number): string {
  return new Date(Date.parse(lastClosedDay(now, cutoffMs).to) + DAY_MS).toISOString();
}

/** The GrpHdr/MsgId (and Stmt/Id) of a statement: the day, the currency and a digest of the entity (30 characters). */
export function statementMsgId(day: BusinessDay, entityId: string, currency: string): string {
  return `EOD${day.date.replaceAll('-', '')}${currency}${createHash('sha256').update(entityId).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** What the end-of-day run works with. */
export interface StatementPorts extends Pick<ReportPorts, 'ledger'> {
  readonly entities: Pick<EntityRegistry, 'list'>;
  readonly log: Pick<TransactionLog, 'summaries'>;
  readonly archive: Pick<Archive, 'put' | 'get'>;
  readonly notifier: Notifier;
}

/** The object that says a business day's statements are all written: `statements/{yyyy}/{mm}/{dd}/closed.json`. */
export const closedMarkerKey = (day: BusinessDay): string => `statements/${day.date.replaceAll('-', '/')}/closed.json`;

/** What one end-of-day run did. */
export interface EndOfDayReport {
  readonly businessDay: string;
  /** The day was closed by an earlier run: nothing was read. */
  readonly alreadyClosed: boolean;
  readonly statements: readonly StatementOutcome[];
  /** When the next business day closes (the local scheduler runs it then). */
  readonly nextDueAt: string;
}

/**
 * Closes the last business day at `now` unless an earlier run did (one read of
 * its marker): every statement, then the marker, written once.
 */
export async function endOfDay(now: Date, cutoffMs: number, ports: StatementPorts): Promise<EndOfDayReport> {
  const day = lastClosedDay(now, cutoffMs);
  const nextDueAt = nextCutoff(now, cutoffMs);
  const marker = closedMarkerKey(day);
  if (await ports.archive.get(marker)) return { businessDay: day.date, alreadyClosed: true, statements: [], nextDueAt };
  const statements = await closeDay(day, ports);
  const summary = { businessDay: day.date, from: day.from, to: day.to, statements: statements.length };
  try {
    await ports.archive.put({ key: marker, body: Buffer.from(`${JSON.stringify(summary)}\n`, 'utf8'), contentType: 'application/json' });
  } catch (error) {
    // Two runs closed the day at once: the other one wrote the marker.
    if ((error as Error | undefined)?.name !== 'ArchiveConflictError') throw error;
  }
  return { businessDay: day.date, alreadyClosed: false, statements, nextDueAt };
}

/** What became of one statement. */
export interface StatementOutcome {
  readonly entityId: string;
  readonly currency: string;
  readonly key: string;
  /** `written` now, `kept` (an earlier run wrote these bytes), or `differs` (an earlier run wrote a statement that is kept as it is). */
  readonly outcome: 'written' | 'kept' | 'differs';
}

/** The notification of a statement, as a participant's endpoint receives it. */
export function statementNotification(day: BusinessDay, entityId: string, currency: string, key: string): Notification & { readonly businessDay: string; readonly currency: string } {
  const content = `/v1/statements/${day.date}/${currency}`;
  return {
    requestId: `eod-${day.date}`,
    transactionId: statementMsgId(day, entityId, currency),
    status: 'BOOK',
    messageType: 'camt.053',
    outgoingMessageKey: key,
    links: { status: `/v1/statements?date=${day.date}&currency=${currency}`, message: content },
    businessDay: day.date,
    currency,
  };
}

/**
 * Writes the statements of `day` for every participant and currency: each is
 * built from the ledger as it stands (the day is closed, so its postings are
 * final), archived write-once and notified once. Run again, it finds the
 * statements written and notifies nothing; a statement that an earlier run
 * wrote otherwise (a posting committed late) is kept, never overwritten.
 *
 * @throws whatever infrastructure failure the ports throw: the next run writes what is missing
 */
export async function closeDay(day: BusinessDay, ports: StatementPorts): Promise<StatementOutcome[]> {
  const outcomes: StatementOutcome[] = [];
  let cursor: string | undefined;
  do {
    const page = await ports.entities.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const entity of page.items) outcomes.push(...(await closeDayOf(day, entity, ports)));
    cursor = page.cursor;
  } while (cursor);
  return outcomes;
}

async function closeDayOf(day: BusinessDay, entity: Entity, ports: StatementPorts): Promise<StatementOutcome[]> {
  const books = await readBooks(ports.ledger, entity.entityId);
  const ids = [...new Set([...books.values()].flatMap((book) => book.postings.filter((posting) => posting.timestamp >= day.from && posting.timestamp < day.to).map((posting) => posting.transactionId)))];
  const transactions = new Map((await ports.log.summaries(ids)).map((transaction) => [transaction.transactionId, transaction]));
  const outcomes: StatementOutcome[] = [];
  for (const [currency, book] of [...books].sort(([a], [b]) => a.localeCompare(b))) {
    const msgId = statementMsgId(day, entity.entityId, currency);
    const statement = reportOf({ messageId: 'camt.053.001.08', msgId, at: day.to, period: day, owner: entity.entityId, entity, book, transactions });
    const key = statementKey(day.date, entity.entityId, currency);
    let outcome: StatementOutcome['outcome'];
    try {
      const receipt = await ports.archive.put({
        key,
        body: Buffer.from(releasedXml(statement.messageId, statement.document), 'utf8'),
        metadata: { 'message-type': 'camt.053', 'receiver-entity': entity.entityId, 'business-day': day.date },
      });
      outcome = receipt.alreadyArchived ? 'kept' : 'written';
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'ArchiveConflictError') throw error;
      outcome = 'differs';
    }
    if (outcome === 'written') {
      await ports.notifier.publish(statementNotification(day, entity.entityId, currency, key), { entityId: entity.entityId, messageType: 'camt.053', status: 'BOOK' });
    }
    outcomes.push({ entityId: entity.entityId, currency, key, outcome });
  }
  return outcomes;
}
