/**
 * The final report of a pain.001: once every pacs.008 made from it is final,
 * its sender gets a pain.002 with the status of each transfer, and the
 * pain.001 is answered (ACSC when all settled, RJCT when none did, PART in
 * between).
 */
import { Status, type IncomingRecordValue, type OutgoingRecordValue, type RecordPublisher, fitText } from '@mxflow/contracts';
import { PaymentGroupStatus, PaymentTransferStatus, paymentInitiations, toJson, type PaymentInitiationDecision, type TransferStatusDecision } from '@mxflow/iso20022';
import type { Archive, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';
import { STEP, childrenOf, reportRecord, type Child } from './initiation';

/** What the report works with. */
export interface ReportPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary' | 'history'>;
  readonly archive: Pick<Archive, 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** ISO 20022 reason codes (ExternalStatusReason1Code) the report gives itself. */
export const ReportReason = {
  /** OrderCancelled: a transfer cancelled (camt.056) before it settled. */
  DS02: 'DS02',
  /** Narrative: the reason is the AddtlInf that goes with it. */
  NARR: 'NARR',
} as const;

/** The longest AddtlInf a pain.002 carries (Max105Text). */
const MAX_INFO = 105;

/** Free text cut at a word to what a pain.002 carries; undefined when there is none. */
function info(text: string | undefined): string | undefined {
  const trimmed = text === undefined ? '' : fitText(text, MAX_INFO);
  return trimmed ? trimmed : undefined;
}

/**
 * What a child's outcome says to the pain.001's sender: ACSC once it settled
 * (a later return does not undo that), else RJCT with the child's own reason
 * code and words.
 */
export function transferStatus(child: Child, summary: TransactionSummary): TransferStatusDecision {
  const settled = summary.status === Status.ACSC || summary.status === Status.PART || summary.status === Status.RTND;
  const base = { paymentInformationId: child.paymentInformationId, endToEndId: child.endToEndId };
  if (settled) return { ...base, status: PaymentTransferStatus.ACSC };
  // A cancelled transfer is DS02 (order cancelled), whatever reason the cancellation gave.
  const reason = summary.status === Status.CANC ? ReportReason.DS02 : (summary.reasonCode ?? ReportReason.NARR);
  // NARR says "see the text": it always has some.
  const additionalInfo = info(summary.detail) ?? (reason === ReportReason.NARR ? `the payment ended ${summary.status}` : undefined);
  return { ...base, status: PaymentTransferStatus.RJCT, reason, ...(additionalInfo ? { additionalInfo } : {}) };
}

/** The group status of the children's outcomes. */
export function groupStatusOf(statuses: readonly string[]): typeof PaymentGroupStatus.ACSC | typeof PaymentGroupStatus.PART | typeof PaymentGroupStatus.RJCT {
  const settled = statuses.filter((status) => status === PaymentTransferStatus.ACSC).length;
  if (settled === statuses.length) return PaymentGroupStatus.ACSC;
  return settled === 0 ? PaymentGroupStatus.RJCT : PaymentGroupStatus.PART;
}

/** `prefix` followed by as many of `codes` as fit in an AddtlInf, then `suffix`. */
function listed(prefix: string, codes: readonly string[], suffix: string): string {
  let shown = codes.length;
  const text = (count: number) => `${prefix}${codes.slice(0, count).join(', ')}${count < codes.length ? ', …' : ''}${suffix}`;
  while (shown > 1 && text(shown).length > MAX_INFO) shown -= 1;
  return text(shown).slice(0, MAX_INFO);
}

/**
 * The final report of a pain.001 from the outcomes of its children, in
 * message order: each transfer's status and reason, and the group's. A group
 * RJCT needs a reason code of its own (the pain.002 builder refuses one
 * without): the children's when they all share it, else NARR with the codes
 * in AddtlInf. PART says in AddtlInf how many settled. Pure, so a redelivery
 * builds the same report.
 */
export function reportOf(children: readonly Child[], outcomes: readonly TransactionSummary[]): PaymentInitiationDecision & { readonly groupStatus: ReturnType<typeof groupStatusOf> } {
  const transactions = children.map((child, index) => transferStatus(child, outcomes[index] as TransactionSummary));
  const groupStatus = groupStatusOf(transactions.map((transaction) => transaction.status));
  const rejected = transactions.filter((transaction) => transaction.status === PaymentTransferStatus.RJCT);
  if (groupStatus === PaymentGroupStatus.RJCT) {
    const codes = [...new Set(rejected.map((transaction) => transaction.reason ?? ReportReason.NARR))].sort();
    const [only] = codes;
    if (codes.length === 1 && only !== undefined) {
      const additionalInfo = only === ReportReason.NARR ? `every transfer was rejected (${rejected.length}); see each transfer` : undefined;
      return { groupStatus, reason: only, ...(additionalInfo ? { additionalInfo } : {}), transactions };
    }
    return { groupStatus, reason: ReportReason.NARR, additionalInfo: listed(`every transfer was rejected (${rejected.length}), for reasons `, codes, '; see each transfer'), transactions };
  }
  if (groupStatus === PaymentGroupStatus.PART) {
    return { groupStatus, additionalInfo: `${transactions.length - rejected.length} of ${transactions.length} transfers settled, ${rejected.length} rejected; see each transfer`, transactions };
  }
  return { groupStatus, transactions };
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** The pain.001 as it was received, in its JSON form, and what the Kafka record of it held. */
async function received(parent: TransactionSummary, steps: readonly TransactionStep[], ports: ReportPorts): Promise<IncomingRecordValue | undefined> {
  const receipt = steps.find((step) => step.archiveKey && step.status === Status.RCVD) ?? steps.find((step) => step.archiveKey);
  const bytes = receipt?.archiveKey ? await ports.archive.get(receipt.archiveKey) : undefined;
  if (!bytes || !parent.senderEntity) return undefined;
  const message = toJson(bytes);
  return {
    messageId: message.messageId,
    messageType: message.messageType,
    transactionId: parent.transactionId,
    requestId: receipt?.requestId ?? '',
    senderEntity: parent.senderEntity,
    document: message.document,
  };
}

/**
 * Called for each pacs.002 that reports a child's outcome: when every child
 * of its pain.001 is final, records the pain.001's answer (once: a
 * conditional final step, so of two children finishing together one reports)
 * and sends the pain.002 with each transfer's status. The pain.002 is built
 * before the answer is recorded, so that no pain.001 ends answered without
 * its report. A report already recorded is sent again as it was (a
 * redelivery, or the replay of a dead letter), byte for byte.
 * Resolves whether a report went out.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function reportIfComplete(record: Pick<OutgoingRecordValue, 'parentTransactionId'>, ports: ReportPorts): Promise<boolean> {
  const parentId = record.parentTransactionId;
  if (!parentId) return false;
  const { summary: parent, steps } = await ports.log.history(parentId);
  if (!parent || (parent.final && parent.status !== Status.ANSW)) return false;
  const value = await received(parent, steps, ports);
  if (!value) return false;
  const children = childrenOf(parentId, paymentInitiations(value.document));
  const outcomes = await Promise.all(children.map((child) => ports.log.summary(child.transactionId)));
  if (outcomes.some((summary) => !summary?.final)) return false;
  const decision = reportOf(children, outcomes as TransactionSummary[]);
  const at = ports.now().toISOString();
  let report = reportRecord(value, decision, at, 'pain.002', decision.groupStatus);
  if (!parent.final) {
    try {
      await ports.log.record({
        transactionId: parentId,
        step: `${STEP}#${Status.ANSW}`,
        status: Status.ANSW,
        timestamp: at,
        requestId: value.requestId,
        final: true,
        answer: decision.groupStatus,
        ...(decision.reason ? { reasonCode: decision.reason } : {}),
        ...(decision.additionalInfo ? { detail: decision.additionalInfo } : {}),
      });
    } catch (error) {
      if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
    }
  }
  // Sent as recorded, whoever recorded it: its creation time is the answer's.
  const answered = await ports.log.summary(parentId);
  if (answered?.status !== Status.ANSW) return false;
  if (answered.updatedAt !== at) report = reportRecord(value, decision, answered.updatedAt, 'pain.002', decision.groupStatus);
  await ports.bus.publish([report]);
  return true;
}
