/** The query strings of the lists the console reads. */

/** The filters of the transactions page, as its form holds them (empty text: no filter). */
export interface TransactionFilters {
  readonly status?: string;
  readonly type?: string;
  readonly counterparty?: string;
  /** Only the platform operator: one participant's transactions. */
  readonly participant?: string;
  /** `YYYY-MM-DDTHH:MM[:SS]` read as UTC (a datetime-local control), or a full ISO 8601 timestamp. */
  readonly from?: string;
  readonly to?: string;
  readonly msgId?: string;
  readonly endToEndId?: string;
  readonly uetr?: string;
}

const FILTER_NAMES = ['status', 'type', 'counterparty', 'participant', 'from', 'to', 'msgId', 'endToEndId', 'uetr'] as const;

/** A datetime-local value taken as UTC, as an ISO 8601 timestamp with milliseconds; other text is passed on as it is for the API to judge. */
export function utcInstant(value: string): string {
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?$/.exec(value);
  if (!local) return value;
  const seconds = local[3] ?? ':00';
  return new Date(`${local[1]}T${local[2]}${seconds}Z`).toISOString();
}

/**
 * The query of `GET /v1/transactions`: every filter that is set (trimmed),
 * times as UTC ISO 8601, then `limit` and `cursor`.
 */
export function transactionQuery(filters: TransactionFilters, page: { limit?: number; cursor?: string } = {}): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name]?.trim();
    if (!value) continue;
    params.set(name, name === 'from' || name === 'to' ? utcInstant(value) : name === 'status' ? value.toUpperCase() : value);
  }
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  if (page.cursor) params.set('cursor', page.cursor);
  return params.toString();
}

/** A path with its query, leaving out the `?` when there is none. */
export function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}
