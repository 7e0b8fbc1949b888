import type { ConsumedRecord } from '@mxflow/store';

/** Lambda refuses synchronous payloads above 6 MB; base64 grows data by a third. */
export const MAX_BATCH_RAW_BYTES = Math.floor((6 * 1024 * 1024 * 3) / 4) - 64 * 1024;

/** Batching settings of one event source. */
export interface BatchingOptions {
  /** Records per invocation at most. */
  batchSize: number;
  /** How long a partial batch may wait for more records, in ms. */
  windowMs: number;
  /** Raw key + value + header bytes per invocation at most. */
  maxBytes?: number;
}

/**
 * What one partition is waiting for. The consumer fetches uncommitted records
 * again, so this is all the state needed between fetches.
 */
export interface PartitionState {
  /** First offset of the partial batch whose window is open, and when that window closes. */
  window?: { firstOffset: string; closesAt: number };
  /** The batch that failed: it is retried as it was, not grown by newer records. */
  failed?: { firstOffset: string; lastOffset: string; attempts: number; lastError: string };
}

/** The next step for a partition. */
export type BatchDecision =
  | { kind: 'invoke'; records: ConsumedRecord[] }
  | { kind: 'wait'; ms: number; state: PartitionState };

function recordBytes(record: ConsumedRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) size += header.key.length + header.value.length;
  return size;
}

/** The longest prefix of `records` within the count and byte limits; never empty. */
export function takeBatch(records: readonly ConsumedRecord[], batchSize: number, maxBytes: number): ConsumedRecord[] {
  const batch: ConsumedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (batch.length >= batchSize) break;
    const size = recordBytes(record);
    if (batch.length > 0 && bytes + size > maxBytes) break;
    batch.push(record);
    bytes += size;
  }
  return batch;
}

/**
 * Decides whether the fetched records of a partition make a batch to invoke now,
 * or whether to wait for more (the batching window). A failed batch is retried
 * with exactly the records it had.
 */
export function decide(
  records: readonly ConsumedRecord[],
  state: PartitionState,
  now: number,
  options: BatchingOptions,
): BatchDecision {
  const maxBytes = options.maxBytes ?? MAX_BATCH_RAW_BYTES;
  const failed = state.failed;
  if (failed && records.length > 0 && records[0].offset === failed.firstOffset) {
    const last = BigInt(failed.lastOffset);
    return { kind: 'invoke', records: records.filter((r) => BigInt(r.offset) <= last) };
  }
  const batch = takeBatch(records, options.batchSize, maxBytes);
  const full = batch.length >= options.batchSize || batch.length < records.length;
  if (full || options.windowMs <= 0) return { kind: 'invoke', records: batch };
  const window =
    state.window && state.window.firstOffset === batch[0].offset
      ? state.window
      : { firstOffset: batch[0].offset, closesAt: now + options.windowMs };
  if (now >= window.closesAt) return { kind: 'invoke', records: batch };
  return { kind: 'wait', ms: window.closesAt - now, state: { window } };
}

/** Retry delay after `attempts` failed invocations: doubling from `baseMs`, capped at `maxMs`. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
