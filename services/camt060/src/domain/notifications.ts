/**
 * Debit and credit notifications: each settled payment (pacs.008) and return
 * (pacs.004) posts a debit on its sender's settlement account and a credit on
 * its receiver's. A participant that switched camt.054 on (its entity's
 * `notifications`) gets a camt.054.001.08 for its posting, through the same
 * delivery path as every other message. The step learns of a settlement from
 * the pacs.002 ACSC that answers it, and builds the notification from what
 * was recorded only, so a redelivery builds the same bytes.
 */
import { POSTING_NOTIFICATION, Status, encodeOutgoing, notifiesPostings, responseMsgId, type EncodedRecord, type OutgoingRecordValue, type RecordPublisher } from '@mxflow/contracts';
import { accountReport } from '@mxflow/iso20022';
import type { Entity, Posting, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';
import { SETTLEMENT_ACCOUNT_SCHEME, entryOf, settlementAccountId } from './reports';

/** The message types whose settlement posts on both parties' accounts. */
const POSTING_TYPES = new Set(['pacs.008', 'pacs.004']);

/** What the step works with. */
export interface NotificationPorts {
  /** The participants that switched camt.054 on (from a short-lived cache: a change takes effect within its time to live). */
  readonly subscribers: () => Promise<ReadonlyMap<string, Entity>>;
  readonly log: Pick<TransactionLog, 'history'>;
  readonly bus: RecordPublisher;
}

/** The step that settled a transaction: its final ACSC step, recorded with the postings. */
function settlementStep(summary: TransactionSummary, steps: readonly TransactionStep[]): TransactionStep | undefined {
  return steps.find((step) => step.step === summary.finalStep && step.status === Status.ACSC) ?? steps.find((step) => step.status === Status.ACSC && step.final);
}

/**
 * The camt.054 of one party's posting of a settled transaction: a debit for
 * its sender, a credit for its receiver, booked when it settled.
 */
export function notificationOf(summary: TransactionSummary, settledAt: string, party: Entity, requestId: string): EncodedRecord | undefined {
  const amount = summary.amount;
  if (!amount) return undefined;
  const debit = party.entityId === summary.senderEntity;
  const posting: Posting = {
    entityId: party.entityId,
    currency: amount.currency,
    exponent: amount.exponent,
    minor: debit ? -amount.minor : amount.minor,
    transactionId: summary.transactionId,
    leg: debit ? 'debit' : 'credit',
    timestamp: settledAt,
  };
  const indicator = debit ? 'DBIT' : 'CRDT';
  const msgId = `${responseMsgId(summary.transactionId).slice(0, 31)}N${indicator.slice(0, 3)}`;
  const built = accountReport({
    messageId: 'camt.054.001.08',
    msgId,
    creationDateTime: settledAt,
    reportId: msgId,
    from: settledAt,
    to: new Date(Date.parse(settledAt) + 1).toISOString(),
    account: { id: settlementAccountId(party.entityId, amount.currency), scheme: SETTLEMENT_ACCOUNT_SCHEME, currency: amount.currency, ownerBic: party.bic, ownerName: party.name },
    opening: { minor: 0n, currency: amount.currency, exponent: amount.exponent },
    entries: [entryOf(posting, summary)],
  });
  return encodeOutgoing({
    messageId: built.messageId,
    messageType: POSTING_NOTIFICATION,
    transactionId: summary.transactionId,
    requestId,
    receiverEntity: party.entityId,
    status: Status.ACSC,
    name: `${POSTING_NOTIFICATION}.${indicator}`,
    document: built.document,
  });
}

/**
 * Notifies the parties of one answered transaction of their postings, when
 * it is a settled payment or return that names them (`postingNotices`, set by
 * the step that settled it) and they still have camt.054 switched on.
 * Nothing is read for an answer that names nobody.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function notifyPostings(
  answer: Pick<OutgoingRecordValue, 'transactionId' | 'requestId' | 'status' | 'messageType' | 'postingNotices'>,
  ports: NotificationPorts,
): Promise<string[]> {
  const named = answer.postingNotices ?? [];
  if (answer.messageType !== 'pacs.002' || answer.status !== Status.ACSC || named.length === 0) return [];
  const subscribers = await ports.subscribers();
  if (!named.some((entityId) => subscribers.has(entityId))) return [];
  const { summary, steps } = await ports.log.history(answer.transactionId);
  if (!summary || !POSTING_TYPES.has(summary.messageType ?? '')) return [];
  const settled = settlementStep(summary, steps);
  if (!settled) return [];
  const parties = [summary.senderEntity, summary.receiverEntity].flatMap((entityId) => {
    const entity = entityId && named.includes(entityId) ? subscribers.get(entityId) : undefined;
    return entity && notifiesPostings(entity) ? [entity] : [];
  });
  const records = parties.flatMap((party) => notificationOf(summary, settled.timestamp, party, answer.requestId) ?? []);
  if (records.length) await ports.bus.publish(records);
  return parties.map((party) => party.entityId);
}
