import type { TransactionLog, TransactionSummary } from './ports';

/** How a message names an earlier transaction (any of the ids it carries). */
export interface OriginalLookup {
  /** Type of the original; a payment (`pacs.008`) when the message does not say. */
  readonly messageType?: string;
  readonly uetr?: string;
  readonly endToEndId?: string;
  readonly msgId?: string;
}

/**
 * The transaction a reference means, as `requester` may see it: the newest
 * one carrying the id (the UETR first, else the EndToEndId, else the MsgId)
 * to which the requester is a party, sender or receiver. `undefined` when
 * there is none, so that a stranger learns nothing about other participants'
 * transactions.
 */
export async function originalFor(log: Pick<TransactionLog, 'findByReference'>, lookup: OriginalLookup, requester: string): Promise<TransactionSummary | undefined> {
  const candidates = await log.findByReference({
    messageType: lookup.messageType ?? 'pacs.008',
    ...(lookup.uetr ? { uetr: lookup.uetr } : lookup.endToEndId ? { endToEndId: lookup.endToEndId } : lookup.msgId ? { msgId: lookup.msgId } : {}),
  });
  return candidates.find((summary) => summary.senderEntity === requester || summary.receiverEntity === requester);
}
