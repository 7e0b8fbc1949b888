/** The end-of-day statements (camt.053) of the Status API: which business day, where the list is, and what a file is called. */

/** One statement of `GET /v1/statements`. */
export interface StatementItem {
  /** The business day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly currency: string;
  readonly messageType: string;
  readonly archiveKey: string;
  readonly links?: { readonly content?: string };
}

/** The answer of `GET /v1/statements`. */
export interface StatementList {
  readonly entityId: string;
  readonly date: string;
  readonly items: readonly StatementItem[];
}

const DAY_MS = 86_400_000;
const BUSINESS_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The business day before `now`'s, in UTC (`YYYY-MM-DD`): the last one whose statements may exist. */
export function previousBusinessDay(now: Date): string {
  return new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);
}

/** Whether `text` is a calendar day `YYYY-MM-DD` (`2026-02-30` is not). */
export function isBusinessDay(text: string): boolean {
  if (!BUSINESS_DAY.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/**
 * The path of the statements of `date`: the caller's own, or, for the
 * platform operator, those of `participant`.
 */
export function statementsPath(date: string, participant?: string): string {
  const query = new URLSearchParams({ date });
  if (participant) query.set('participant', participant);
  return `/v1/statements?${query}`;
}

/**
 * Where a statement's XML is: the link the API gives, else the path it
 * serves statements at.
 */
export function statementContentPath(item: StatementItem, participant?: string): string {
  if (item.links?.content) return item.links.content;
  const query = participant ? `?${new URLSearchParams({ participant })}` : '';
  return `/v1/statements/${encodeURIComponent(item.date)}/${encodeURIComponent(item.currency)}${query}`;
}

/** The file name a statement is saved as when the API names none (the name it gives). */
export function statementFileName(item: Pick<StatementItem, 'date' | 'currency' | 'messageType'>): string {
  return `${item.messageType}-${item.date}-${item.currency}.xml`;
}
