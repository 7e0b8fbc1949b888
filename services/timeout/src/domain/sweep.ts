/**
 * The timeout step: a transaction without a final status when its SLA runs
 * out (its deadline: CreDtTm plus the SLA of its type and scheme) is rejected
 * with AB05, and its sender gets the negative response.
 */
import { CancellationStatus, Reason, Status, fitText, encodeOutgoing, responseMsgId, type EncodedRecord, type RecordPublisher } from '@mxflow/contracts';
import { PaymentGroupStatus, TransactionStatus, buildResponse, responseTypes, statusReportForPaymentInitiation, toJson } from '@mxflow/iso20022';
import type { Archive, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'timeout';

/** What the step works with. */
export interface SweepPorts {
  readonly log: Pick<TransactionLog, 'overdue' | 'history' | 'record' | 'answered'>;
  readonly archive: Pick<Archive, 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** What one sweep did. */
export interface SweepReport {
  /** Transactions this sweep rejected with AB05. */
  readonly timedOut: readonly string[];
  /** Overdue transactions another step ended first (a late result, another sweep). */
  readonly endedElsewhere: number;
  /** Transactions timed out earlier whose answer a crash kept from going out, answered now. */
  readonly answeredAgain: readonly string[];
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** The words of the rejection: what ran out. */
export function timeoutDetail(summary: TransactionSummary): string {
  return fitText(`no final status by its deadline ${summary.deadline ?? ''}`);
}

/**
 * The negative response to the timed-out message, built from the message as
 * archived on receipt and the recorded rejection only, so that any step that
 * answers the same rejection builds the same bytes. `undefined` for a type
 * that gets no response.
 */
export function negativeResponse(step: TransactionStep, summary: TransactionSummary, received: Uint8Array): EncodedRecord | undefined {
  const message = toJson(received);
  if (message.messageType === 'pain.001' && summary.senderEntity) {
    // A payment initiation is answered with a pain.002 for the whole of it.
    const report = statusReportForPaymentInitiation(
      message.document,
      { groupStatus: PaymentGroupStatus.RJCT, reason: Reason.AB05, ...(step.detail ? { additionalInfo: step.detail } : {}) },
      { msgId: responseMsgId(summary.transactionId), creationDateTime: step.timestamp },
    );
    return encodeOutgoing({
      messageId: report.messageId,
      messageType: 'pain.002',
      transactionId: summary.transactionId,
      requestId: step.requestId,
      receiverEntity: summary.senderEntity,
      status: Status.RJCT,
      reasonCode: Reason.AB05,
      document: report.document,
    });
  }
  const responseId = responseTypes[message.messageType as keyof typeof responseTypes];
  if (!responseId || !summary.senderEntity) return undefined;
  const built = buildResponse(
    message.messageId,
    message.document,
    {
      status: message.messageType === 'camt.056' ? CancellationStatus.RJCR : TransactionStatus.RJCT,
      reason: Reason.AB05,
      ...(step.detail ? { additionalInfo: step.detail } : {}),
    },
    { msgId: responseMsgId(summary.transactionId), creationDateTime: step.timestamp, originalMessageId: message.messageId },
  );
  return encodeOutgoing({
    messageId: built.messageId,
    messageType: built.messageId.slice(0, 8),
    transactionId: summary.transactionId,
    requestId: step.requestId,
    receiverEntity: summary.senderEntity,
    status: Status.RJCT,
    reasonCode: Reason.AB05,
    document: built.document,
    ...(summary.parentTransactionId ? { parentTransactionId: summary.parentTransactionId } : {}),
  });
}

/** The response to a timed-out transaction, built from the message as archived on receipt and the recorded rejection. */
async function responseTo(step: TransactionStep, summary: TransactionSummary, steps: readonly TransactionStep[], ports: SweepPorts): Promise<EncodedRecord | undefined> {
  const receipt = steps.find((recorded) => recorded.archiveKey && recorded.status === Status.RCVD) ?? steps.find((recorded) => recorded.archiveKey);
  const received = receipt?.archiveKey ? await ports.archive.get(receipt.archiveKey) : undefined;
  return received ? negativeResponse(step, { ...summary, status: Status.RJCT }, received) : undefined;
}

/** Sends the answer of a timeout and takes the transaction out of the sweep. */
async function answer(transactionId: string, response: EncodedRecord | undefined, ports: SweepPorts): Promise<void> {
  if (response) await ports.bus.publish([response]);
  await ports.log.answered(transactionId);
}

/**
 * Rejects one overdue transaction: the AB05 step is written only while the
 * transaction is not final (the same condition a settlement's posting has),
 * so of a timeout and a late result exactly one wins, and of two overlapping
 * sweeps exactly one records it. The rejection is recorded as pending its
 * answer: the transaction stays in the sweep until the answer is out, so a
 * crash between the two is answered by the next sweep (the same bytes: they
 * are built from the archive and the recorded step only). Resolves what this
 * call did.
 */
export async function timeOut(transactionId: string, requestId: string, ports: SweepPorts): Promise<'timed-out' | 'answered-again' | 'ended-elsewhere'> {
  const { summary, steps } = await ports.log.history(transactionId);
  if (!summary) return 'ended-elsewhere';
  if (summary.final) {
    // Final, yet still in the sweep: a timeout whose answer did not go out.
    const recorded = steps.find((candidate) => candidate.step === summary.finalStep);
    if (!recorded || !summary.finalStep?.startsWith(`${STEP}#`)) {
      await ports.log.answered(transactionId);
      return 'ended-elsewhere';
    }
    await answer(transactionId, await responseTo(recorded, summary, steps, ports), ports);
    return 'answered-again';
  }
  const step: TransactionStep = {
    transactionId,
    step: `${STEP}#${Status.RJCT}`,
    status: Status.RJCT,
    timestamp: ports.now().toISOString(),
    requestId,
    final: true,
    reasonCode: Reason.AB05,
    detail: timeoutDetail(summary),
  };
  const response = await responseTo(step, summary, steps, ports);
  try {
    await ports.log.record(step, { answerPending: true });
  } catch (error) {
    if (errorName(error) === 'StepAlreadyRecordedError' || errorName(error) === 'TransactionFinalError') return 'ended-elsewhere';
    throw error;
  }
  await answer(transactionId, response, ports);
  return 'timed-out';
}

/**
 * One sweep: every open transaction past its deadline, earliest first, up to
 * `limit`, is timed out, and every timeout whose answer a crash held back is
 * answered.
 *
 * @throws whatever infrastructure failure the ports throw; what was done stays done, and the next sweep goes on
 */
export async function sweep(requestId: string, ports: SweepPorts, limit = 200): Promise<SweepReport> {
  const overdue = await ports.log.overdue(ports.now(), limit);
  const timedOut: string[] = [];
  const answeredAgain: string[] = [];
  for (const transactionId of overdue) {
    const done = await timeOut(transactionId, requestId, ports);
    if (done === 'timed-out') timedOut.push(transactionId);
    if (done === 'answered-again') answeredAgain.push(transactionId);
  }
  return { timedOut, answeredAgain, endedElsewhere: overdue.length - timedOut.length - answeredAgain.length };
}
