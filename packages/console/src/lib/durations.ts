/** Time between the steps of a transaction, from their ISO 8601 millisecond timestamps. */

/** A duration in milliseconds for people: `850 ms`, `1.204 s`, `2 min 03.500 s`, `1 h 02 min`, `2 d 03 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '−' : '';
  let rest = Math.round(Math.abs(ms));
  if (rest < 1000) return `${sign}${rest} ms`;
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = (rest / 1000).toFixed(3);
  const two = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${sign}${days} d ${two(hours)} h`;
  if (hours > 0) return `${sign}${hours} h ${two(minutes)} min`;
  if (minutes > 0) return `${sign}${minutes} min ${seconds.padStart(6, '0')} s`;
  return `${sign}${seconds} s`;
}

/** A step of the timeline with the time spent in it. */
export interface TimedStep<S> {
  readonly step: S;
  /** Milliseconds from this step to the next one; for the last step, to `now` unless the transaction is final. */
  readonly spentMs?: number;
  /** Milliseconds since the first step. */
  readonly sinceStartMs: number;
}

/**
 * Each step (oldest first, as the Status API lists them) with the time spent
 * in it: until the next step, and for the last one until `now` while the
 * transaction is still open. A final transaction's last step has no duration.
 */
export function timeline<S extends { readonly timestamp: string }>(steps: readonly S[], final: boolean, now: number): TimedStep<S>[] {
  const ordered = [...steps].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const start = ordered.length ? Date.parse(ordered[0].timestamp) : 0;
  return ordered.map((step, index) => {
    const at = Date.parse(step.timestamp);
    const next = ordered[index + 1];
    const spentMs = next ? Date.parse(next.timestamp) - at : final ? undefined : now - at;
    return { step, sinceStartMs: at - start, ...(spentMs === undefined ? {} : { spentMs }) };
  });
}

/** A timestamp as `2026-12-02 12:09:35.123 UTC`: always UTC, always milliseconds. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}
