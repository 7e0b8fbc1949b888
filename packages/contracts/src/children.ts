/**
 * The transactions a pain.001 is made into: one pacs.008 per transfer, each
 * with an id derived from the pain.001's own. The pain.001 step makes them
 * with these ids, its report and the Status API find them again from the
 * pain.001's id and its number of transfers alone.
 */
import { createHash } from 'node:crypto';

/**
 * The transaction id of the n-th transfer (0-based, in message order) of a
 * pain.001: a UUID (version 8, application-defined) from the SHA-256 of the
 * pain.001's id and `index`, so that a redelivery makes the same transactions.
 */
export function childTransactionId(parentTransactionId: string, index: number): string {
  const hex = createHash('sha256').update(`${parentTransactionId}#${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The ids of the first `count` transfers of a pain.001, in message order. */
export function childTransactionIds(parentTransactionId: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => childTransactionId(parentTransactionId, index));
}
