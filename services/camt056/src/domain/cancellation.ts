/**
 * The camt.056 step: a participant asks to cancel one of its payments. A
 * payment not yet final is cancelled (CANC, nothing posts); a final one is
 * not, and the camt.029 says why.
 */
import {
  CancellationRejection,
  CancellationStatus,
  Reason,
  fitText,
  Status,
  encodeOutgoing,
  responseMsgId,
  type EncodedRecord,
  type IncomingRecordValue,
  type RecordPublisher,
} from '@mxflow/contracts';
import { TransactionStatus, originalReferences, resolutionOfCancellation, statusReportForCreditTransfer, toJson, type OriginalReference } from '@mxflow/iso20022';
import type { Archive, OriginalLookup, TransactionLog, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'camt056';

/** What came of a cancellation request. */
export interface Resolution {
  readonly status: typeof CancellationStatus.CNCL | typeof CancellationStatus.RJCR;
  /** ExternalPaymentCancellationRejection1Code of a refusal. */
  readonly reasonCode?: string;
  readonly detail?: string;
  readonly originalTransactionId?: string;
  /** The original's other party, who may then read the request too. */
  readonly counterparty?: string;
  readonly at: string;
}

/** What the step works with. */
export interface CancellationPorts {
  readonly log: Pick<TransactionLog, 'findByReference' | 'record' | 'recordOnce' | 'summary' | 'history'>;
  /** The archive, for the cancelled payment as it was received. */
  readonly archive: Pick<Archive, 'get'>;
  /** Finds the original as the requester may see it (`originalFor` of the store). */
  readonly originalFor: (lookup: OriginalLookup, requester: string) => Promise<TransactionSummary | undefined>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/**
 * Why a final original cannot be cancelled: a settled payment reached its
 * receiver (PTNA: only a return brings it back), a returned one is ARDT, and
 * an already cancelled or rejected one is explained in words (NARR).
 */
export function refusalFor(original: TransactionSummary): { reasonCode: string; detail: string } {
  switch (original.status) {
    case Status.ACSC:
      return { reasonCode: CancellationRejection.PTNA, detail: 'the payment settled and reached its receiver; ask for a return (pacs.004)' };
    case Status.PART:
    case Status.RTND:
      return { reasonCode: CancellationRejection.ARDT, detail: 'the payment was already returned' };
    case Status.CANC:
      return { reasonCode: CancellationRejection.NARR, detail: 'the payment was already cancelled' };
    case Status.RJCT:
      return { reasonCode: CancellationRejection.NARR, detail: `the payment was rejected (${original.reasonCode ?? 'no reason'}) and never settled` };
    default:
      return { reasonCode: CancellationRejection.NARR, detail: `the payment is ${original.status}` };
  }
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** A request another step ended (a timeout): refused, with the reason that step recorded. */
const ended = (summary: TransactionSummary): Resolution => ({
  status: CancellationStatus.RJCR,
  ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
  at: summary.updatedAt,
});

/** The one original a request names, or the refusal of a request naming none or several. */
function onlyOriginal(document: Record<string, unknown>): OriginalReference | { refusal: string } {
  const { originals } = originalReferences(document);
  if (originals.length !== 1 || !originals[0]) return { refusal: `a cancellation request names exactly one transaction; this one names ${originals.length}` };
  return originals[0];
}

/**
 * Cancels the original unless it is final. The CANC step is recorded on the
 * original under this request's id, conditional on the original not being
 * final, so of a cancellation and a settlement (or two cancellations) racing,
 * exactly one wins and the other sees what it decided.
 */
async function decide(value: IncomingRecordValue, ports: CancellationPorts, at: string): Promise<Resolution> {
  const wanted = onlyOriginal(value.document);
  if ('refusal' in wanted) return { status: CancellationStatus.RJCR, reasonCode: CancellationRejection.NARR, detail: wanted.refusal, at };
  let original: TransactionSummary | undefined;
  try {
    original = await ports.originalFor(wanted, value.senderEntity);
  } catch (error) {
    // The references fit several of the requester's payments: it says so, and cancels none.
    if (errorName(error) !== 'AmbiguousOriginalError') throw error;
    return { status: CancellationStatus.RJCR, reasonCode: CancellationRejection.NARR, detail: (error as Error).message, at };
  }
  // Unknown, or another participant's: the same answer, so that nothing leaks.
  if (!original) return { status: CancellationStatus.RJCR, reasonCode: CancellationRejection.NOOR, detail: 'no such payment of this participant', at };
  const counterparty = original.senderEntity === value.senderEntity ? original.receiverEntity : original.senderEntity;
  const about = { originalTransactionId: original.transactionId, ...(counterparty ? { counterparty } : {}) };
  // This request's own earlier delivery cancelled it (a crash came before its answer): that is its answer.
  const ownStep = `cancel#${value.transactionId}`;
  if (original.final && original.finalStep === ownStep) return { status: CancellationStatus.CNCL, ...about, at };
  if (original.final) return { status: CancellationStatus.RJCR, ...refusalFor(original), ...about, at };
  try {
    await ports.log.record({
      transactionId: original.transactionId,
      step: ownStep,
      status: Status.CANC,
      timestamp: at,
      requestId: value.requestId,
      final: true,
      ...(wanted.reasonCode ? { reasonCode: wanted.reasonCode } : {}),
      originalTransactionId: value.transactionId,
    });
    return { status: CancellationStatus.CNCL, ...about, at };
  } catch (error) {
    // This request's own earlier delivery cancelled it.
    if (errorName(error) === 'StepAlreadyRecordedError') return { status: CancellationStatus.CNCL, ...about, at };
    if (errorName(error) !== 'TransactionFinalError') throw error;
    const now = await ports.log.summary(original.transactionId);
    if (now?.finalStep === ownStep) return { status: CancellationStatus.CNCL, ...about, at };
    return { status: CancellationStatus.RJCR, ...refusalFor(now ?? original), ...about, at };
  }
}

/** The camt.029 to the requester. Built only from the record and the resolution, so a redelivery builds the same one. */
export function answerOf(value: IncomingRecordValue, resolution: Resolution): EncodedRecord {
  const report = resolutionOfCancellation(
    value.document,
    {
      status: resolution.status,
      ...(resolution.reasonCode ? { reason: resolution.reasonCode } : {}),
      ...(resolution.detail ? { additionalInfo: fitText(resolution.detail) } : {}),
    },
    { msgId: responseMsgId(value.transactionId), creationDateTime: resolution.at },
  );
  return encodeOutgoing({
    messageId: report.messageId,
    messageType: 'camt.029',
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: value.senderEntity,
    status: Status.ANSW,
    ...(resolution.reasonCode ? { reasonCode: resolution.reasonCode } : {}),
    document: report.document,
  });
}

/**
 * The pacs.002 CANC that tells the sender of a cancelled payment what became
 * of it (and a pain.001 it came from that its transfer is over). Built from
 * the payment as received and its recorded cancellation, so a redelivery
 * builds the same bytes. `undefined` when the payment is not cancelled or its
 * message is not archived.
 */
export async function cancelledPaymentReport(originalTransactionId: string, ports: Pick<CancellationPorts, 'log' | 'archive'>): Promise<EncodedRecord | undefined> {
  const { summary, steps } = await ports.log.history(originalTransactionId);
  if (summary?.status !== Status.CANC || !summary.senderEntity) return undefined;
  const receipt = steps.find((step) => step.archiveKey && step.messageType === 'pacs.008');
  const bytes = receipt?.archiveKey ? await ports.archive.get(receipt.archiveKey) : undefined;
  if (!bytes) return undefined;
  const message = toJson(bytes);
  const report = statusReportForCreditTransfer(
    message.document,
    { status: TransactionStatus.CANC },
    { msgId: responseMsgId(originalTransactionId), creationDateTime: summary.updatedAt, originalMessageId: message.messageId },
  );
  return encodeOutgoing({
    messageId: report.messageId,
    messageType: 'pacs.002',
    transactionId: originalTransactionId,
    requestId: receipt?.requestId ?? '',
    receiverEntity: summary.senderEntity,
    status: Status.CANC,
    document: report.document,
    ...(summary.parentTransactionId ? { parentTransactionId: summary.parentTransactionId } : {}),
  });
}

/** The camt.029 and, for a cancellation, the cancelled payment's pacs.002 CANC. */
async function answersOf(value: IncomingRecordValue, resolution: Resolution, ports: Pick<CancellationPorts, 'log' | 'archive'>): Promise<EncodedRecord[]> {
  const cancelled = resolution.status === CancellationStatus.CNCL && resolution.originalTransactionId ? await cancelledPaymentReport(resolution.originalTransactionId, ports) : undefined;
  return [answerOf(value, resolution), ...(cancelled ? [cancelled] : [])];
}

/** The resolution recorded by an earlier delivery of the same request. */
function recorded(summary: TransactionSummary | undefined): Resolution | undefined {
  if (!summary?.final || summary.status !== Status.ANSW) return undefined;
  return {
    status: summary.answer === CancellationStatus.CNCL ? CancellationStatus.CNCL : CancellationStatus.RJCR,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.originalTransactionId ? { originalTransactionId: summary.originalTransactionId } : {}),
    at: summary.updatedAt,
  };
}

/**
 * Handles one camt.056: decides (cancel, or refuse with a reason), records
 * the request's own ANSW step (with the reason of a refusal and the original
 * it concerns) and answers with a camt.029. Safe to run again for the same
 * record: what was recorded is answered again.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function handleCancellation(value: IncomingRecordValue, ports: CancellationPorts): Promise<Resolution> {
  const summary = await ports.log.summary(value.transactionId);
  const earlier = recorded(summary);
  if (earlier) {
    await ports.bus.publish(await answersOf(value, earlier, ports));
    return earlier;
  }
  // Ended otherwise (a timeout, which answered it): nothing is done any more.
  if (summary?.final) return ended(summary);
  let resolution = await decide(value, ports, ports.now().toISOString());
  try {
    await ports.log.record({
      transactionId: value.transactionId,
      step: `${STEP}#${Status.ANSW}`,
      status: Status.ANSW,
      timestamp: resolution.at,
      requestId: value.requestId,
      messageType: value.messageType,
      final: true,
      answer: resolution.status,
      ...(resolution.status === CancellationStatus.RJCR && resolution.reasonCode ? { reasonCode: resolution.reasonCode } : {}),
      ...(resolution.detail ? { detail: fitText(resolution.detail) } : {}),
      parties: { senderEntity: value.senderEntity, ...(resolution.counterparty ? { receiverEntity: resolution.counterparty } : {}) },
      ...(resolution.originalTransactionId ? { originalTransactionId: resolution.originalTransactionId } : {}),
    });
  } catch (error) {
    if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
    // Another delivery answered first (or a timeout ended the request): answer as recorded.
    const answered = recorded(await ports.log.summary(value.transactionId));
    if (!answered) return resolution;
    resolution = answered;
  }
  await ports.bus.publish(await answersOf(value, resolution, ports));
  return resolution;
}

/**
 * Gives up on a request whose processing kept failing (a dead letter): the
 * request is rejected with AB04 and answered RJCR, unless an earlier delivery
 * answered it, which is answered again.
 */
export async function refuseAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<CancellationPorts, 'log' | 'archive' | 'bus' | 'now'>): Promise<Resolution> {
  const earlier = recorded(await ports.log.summary(value.transactionId));
  const rejection = { status: Status.RJCT, reasonCode: Reason.AB04, detail: fitText(detail) };
  // Answered from what is recorded, so that a second give-up builds the same camt.029.
  const now = earlier ? undefined : await ports.log.recordOnce({ ...rejection, transactionId: value.transactionId, step: `${STEP}#${Status.RJCT}`, timestamp: ports.now().toISOString(), requestId: value.requestId, final: true, parties: { senderEntity: value.senderEntity } });
  const resolution: Resolution = earlier ??
    recorded(now) ?? { status: CancellationStatus.RJCR, reasonCode: CancellationRejection.NARR, detail: now?.detail ?? detail, at: now?.updatedAt ?? ports.now().toISOString() };
  await ports.bus.publish(await answersOf(value, resolution, ports));
  return resolution;
}
