/**
 * The final report of a pain.001: once every pacs.008 made from it is final,
 * its sender gets a pain.002 with the status of each transfer, and the
 * pain.001 is answered (ACSC when all settled, RJCT when none did, PART in
 * between).
 */
import { Status, type IncomingRecordValue, type OutgoingRecordValue, type RecordPublisher } from '@mxflow/contracts';
import { PaymentGroupStatus, PaymentTransferStatus, paymentInitiations, toJson, type PaymentInitiationDecision } from '@mxflow/iso20022';
import type { Archive, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';
import { STEP, childrenOf, reportRecord, type Child } from './initiation';

/** What the report works with. */
export interface ReportPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary' | 'history'>;
  readonly archive: Pick<Archive, 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** What a child's outcome says to the pain.001's sender. */
function transferStatus(child: Child, summary: TransactionSummary): PaymentInitiationDecision['transactions'] extends readonly (infer T)[] | undefined ? T : never {
  const settled = summary.status === Status.ACSC || summary.status === Status.PART || summary.status === Status.RTND;
  return {
    paymentInformationId: child.paymentInformationId,
    endToEndId: child.endToEndId,
    status: settled ? PaymentTransferStatus.ACSC : PaymentTransferStatus.RJCT,
    // A cancelled transfer is DS02 (order cancelled), whatever reason the cancellation gave.
    ...(settled ? {} : { reason: summary.status === Status.CANC ? 'DS02' : (summary.reasonCode ?? 'NARR') }),
  };
}

/** The group status of the children's outcomes. */
export function groupStatusOf(statuses: readonly string[]): typeof PaymentGroupStatus.ACSC | typeof PaymentGroupStatus.PART | typeof PaymentGroupStatus.RJCT {
  const settled = statuses.filter((status) => status === PaymentTransferStatus.ACSC).length;
  if (settled === statuses.length) return PaymentGroupStatus.ACSC;
  return settled === 0 ? PaymentGroupStatus.RJCT : PaymentGroupStatus.PART;
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
 * and sends the pain.002 with each transfer's status. A report already
 * recorded is sent again as it was (a redelivery), byte for byte.
 * Resolves whether a report went out.
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
  const transactions = children.map((child, index) => transferStatus(child, outcomes[index] as TransactionSummary));
  const groupStatus = groupStatusOf(transactions.map((transaction) => transaction.status));
  let at = ports.now().toISOString();
  if (!parent.final) {
    try {
      await ports.log.record({
        transactionId: parentId,
        step: `${STEP}#${Status.ANSW}`,
        status: Status.ANSW,
        timestamp: at,
        requestId: value.requestId,
        final: true,
        answer: groupStatus,
      });
    } catch (error) {
      if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
    }
  }
  // Sent as recorded, whoever recorded it.
  const answered = await ports.log.summary(parentId);
  if (answered?.status !== Status.ANSW) return false;
  at = answered.updatedAt;
  await ports.bus.publish([reportRecord(value, { groupStatus, transactions }, at, 'pain.002', groupStatus)]);
  return true;
}
