import { StoreError } from './errors';
import type { TransactionLog, TransactionSummary } from './ports';

/** How a message names an earlier transaction (any of the ids it carries). */
export interface OriginalLookup {
  /** Type of the original; a payment (`pacs.008`) when the message does not say. */
  readonly messageType?: string;
  readonly uetr?: string;
  readonly endToEndId?: string;
  readonly msgId?: string;
  readonly txId?: string;
  readonly instructionId?: string;
}

/**
 * The references of a request fit more than one of the requester's
 * transactions: the request is answered with that, not with a guess.
 */
export class AmbiguousOriginalError extends StoreError {
  /** How many transactions fit. */
  readonly count: number;
  constructor(count: number, options?: { cause?: unknown }) {
    super(`the references fit ${count} transactions; name its UETR, or its MsgId with its TxId or EndToEndId`, options);
    this.name = 'AmbiguousOriginalError';
    this.count = count;
  }
}

/** How many transactions one reference may mean, at most, before the requester's own are picked. */
const CANDIDATES = 25;
const REJECTED = 'RJCT';

const has = (values: readonly string[] | undefined, value: string | undefined): boolean =>
  value === undefined || (values ?? []).some((candidate) => candidate.toLowerCase() === value.toLowerCase());

/** Whether a transaction carries every id the lookup gives besides the one it was found by. */
function carries(summary: TransactionSummary, lookup: OriginalLookup): boolean {
  const ids = summary.messageIds ?? {};
  return (
    (lookup.msgId === undefined || ids.msgId === lookup.msgId) &&
    has(ids.txIds, lookup.txId) &&
    has(ids.endToEndIds, lookup.endToEndId) &&
    has(ids.instructionIds, lookup.instructionId)
  );
}

/**
 * The transaction a reference means, among the requester's own (as sender or
 * receiver), by the rules the schemes give a status request, a cancellation
 * and a return:
 * - by the OrgnlUETR when the request gives one (its other ids only break a tie);
 * - else by the OrgnlMsgId, narrowed by whichever of OrgnlTxId,
 *   OrgnlEndToEndId and OrgnlInstrId it gives;
 * - never by the EndToEndId alone: the ordering customer's reference repeats.
 *
 * A rejected transaction is never the answer while one that was not rejected
 * fits too (a duplicate refused AM05 does not shadow the payment it repeated).
 * `undefined` when none fits, so that a stranger learns nothing about other
 * participants' transactions.
 *
 * @throws AmbiguousOriginalError when several still fit: the answer says so instead of guessing
 */
export async function originalFor(log: Pick<TransactionLog, 'findByReference'>, lookup: OriginalLookup, requester: string): Promise<TransactionSummary | undefined> {
  const messageType = lookup.messageType ?? 'pacs.008';
  let byKey: TransactionSummary[];
  if (lookup.uetr) byKey = await log.findByReference({ messageType, uetr: lookup.uetr }, CANDIDATES);
  else if (lookup.msgId) byKey = await log.findByReference({ messageType, msgId: lookup.msgId }, CANDIDATES);
  else return undefined;
  const own = byKey.filter((summary) => summary.senderEntity === requester || summary.receiverEntity === requester);
  let fitting = lookup.uetr ? own : own.filter((summary) => carries(summary, lookup));
  if (fitting.length > 1 && lookup.uetr) {
    const narrowed = fitting.filter((summary) => carries(summary, lookup));
    if (narrowed.length > 0) fitting = narrowed;
  }
  if (fitting.length > 1) {
    const standing = fitting.filter((summary) => summary.status !== REJECTED);
    if (standing.length > 0) fitting = standing;
  }
  if (fitting.length > 1) throw new AmbiguousOriginalError(fitting.length);
  return fitting[0];
}
