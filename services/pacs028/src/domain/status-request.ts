/**
 * The pacs.028 step: a participant asks where one of its payments is, and
 * gets a pacs.002 with the payment's current status. A payment that is not
 * the asker's gets the same answer as one that does not exist.
 */
import { Reason, Status, fitText, encodeOutgoing, responseMsgId, type EncodedRecord, type IncomingRecordValue, type RecordPublisher } from '@mxflow/contracts';
import { TransactionStatus, originalReferences, statusReportForStatusRequest } from '@mxflow/iso20022';
import type { OriginalLookup, TransactionLog, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'pacs028';

/** The status a pacs.002 reports, with its reason. */
export interface Report {
  readonly status: TransactionStatus;
  readonly reasonCode?: string;
  readonly detail?: string;
  readonly originalTransactionId?: string;
  readonly counterparty?: string;
  readonly at: string;
}

/** What the step works with. */
export interface StatusRequestPorts {
  readonly log: Pick<TransactionLog, 'record' | 'recordOnce' | 'summary'>;
  /** Finds the original as the requester may see it (`originalFor` of the store). */
  readonly originalFor: (lookup: OriginalLookup, requester: string) => Promise<TransactionSummary | undefined>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

const UNKNOWN = { status: TransactionStatus.RJCT, reasonCode: Reason.AG09, detail: 'no such payment of this participant' } as const;

/**
 * The pacs.002 status of a transaction's state: settled ones (also when
 * returned since, which the text says) are ACSC; cancelled CANC; rejected
 * RJCT with their reason; those in flight RCVD or ACTC.
 */
export function reportedStatus(original: TransactionSummary | undefined): Omit<Report, 'at'> {
  if (!original) return UNKNOWN;
  switch (original.status) {
    case Status.ACSC:
      return { status: TransactionStatus.ACSC };
    case Status.PART:
      return { status: TransactionStatus.ACSC, detail: 'settled; part of it was returned since' };
    case Status.RTND:
      return { status: TransactionStatus.ACSC, detail: 'settled; returned in full since' };
    case Status.CANC:
      return { status: TransactionStatus.CANC };
    case Status.RJCT:
      return { status: TransactionStatus.RJCT, reasonCode: original.reasonCode ?? Reason.AB04 };
    case Status.RCVD:
      return { status: TransactionStatus.RCVD };
    default:
      return { status: TransactionStatus.ACTC };
  }
}

/** The pacs.002 to the asker. Built only from the record and the report, so a redelivery builds the same one. */
export function answerOf(value: IncomingRecordValue, report: Report): EncodedRecord {
  const built = statusReportForStatusRequest(
    value.document,
    {
      status: report.status,
      ...(report.reasonCode ? { reason: report.reasonCode } : {}),
      ...(report.detail ? { additionalInfo: fitText(report.detail) } : {}),
    },
    { msgId: responseMsgId(value.transactionId), creationDateTime: report.at },
  );
  return encodeOutgoing({
    messageId: built.messageId,
    messageType: 'pacs.002',
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: value.senderEntity,
    status: Status.ANSW,
    ...(report.reasonCode ? { reasonCode: report.reasonCode } : {}),
    document: built.document,
  });
}

/** The report recorded by an earlier delivery of the same request. */
function recorded(summary: TransactionSummary | undefined): Report | undefined {
  if (!summary?.final || summary.status !== Status.ANSW || !summary.answer) return undefined;
  return {
    status: summary.answer as TransactionStatus,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.originalTransactionId ? { originalTransactionId: summary.originalTransactionId } : {}),
    at: summary.updatedAt,
  };
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** A request another step ended (a timeout): rejected, with the reason that step recorded. */
const ended = (summary: TransactionSummary): Report => ({
  status: TransactionStatus.RJCT,
  ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
  at: summary.updatedAt,
});

/**
 * Answers one pacs.028: finds the payment it names among the asker's own,
 * records the request's ANSW step with the reported status, and publishes the
 * pacs.002. Safe to run again for the same record: the recorded report is
 * answered again, byte for byte.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function answerStatusRequest(value: IncomingRecordValue, ports: StatusRequestPorts): Promise<Report> {
  const summary = await ports.log.summary(value.transactionId);
  const earlier = recorded(summary);
  if (earlier) {
    await ports.bus.publish([answerOf(value, earlier)]);
    return earlier;
  }
  // Ended otherwise (a timeout, which answered it): nothing is done any more.
  if (summary?.final) return ended(summary);
  const at = ports.now().toISOString();
  const { originals } = originalReferences(value.document);
  let report: Report;
  if (originals.length !== 1 || !originals[0]) {
    report = { status: TransactionStatus.RJCT, reasonCode: Reason.AG09, detail: `a status request names exactly one transaction; this one names ${originals.length}`, at };
  } else {
    let original: TransactionSummary | undefined;
    let ambiguity: string | undefined;
    try {
      original = await ports.originalFor(originals[0], value.senderEntity);
    } catch (error) {
      // The references fit several of the asker's payments: the answer says so instead of guessing one.
      if (errorName(error) !== 'AmbiguousOriginalError') throw error;
      ambiguity = (error as Error).message;
    }
    const counterparty = original && (original.senderEntity === value.senderEntity ? original.receiverEntity : original.senderEntity);
    report = ambiguity
      ? { status: TransactionStatus.RJCT, reasonCode: Reason.NARR, detail: ambiguity, at }
      : {
          ...reportedStatus(original),
          ...(original ? { originalTransactionId: original.transactionId } : {}),
          ...(counterparty ? { counterparty } : {}),
          at,
        };
  }
  try {
    await ports.log.record({
      transactionId: value.transactionId,
      step: `${STEP}#${Status.ANSW}`,
      status: Status.ANSW,
      timestamp: at,
      requestId: value.requestId,
      messageType: value.messageType,
      final: true,
      answer: report.status,
      ...(report.reasonCode ? { reasonCode: report.reasonCode } : {}),
      ...(report.detail ? { detail: fitText(report.detail) } : {}),
      parties: { senderEntity: value.senderEntity },
      ...(report.originalTransactionId ? { originalTransactionId: report.originalTransactionId } : {}),
    });
  } catch (error) {
    if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
    const answered = recorded(await ports.log.summary(value.transactionId));
    if (!answered) return report;
    report = answered;
  }
  await ports.bus.publish([answerOf(value, report)]);
  return report;
}

/**
 * Gives up on a request whose processing kept failing (a dead letter): the
 * request is rejected with AB04 and answered so, unless an earlier delivery
 * answered it, which is answered again.
 */
export async function refuseAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<StatusRequestPorts, 'log' | 'bus' | 'now'>): Promise<Report> {
  const earlier = recorded(await ports.log.summary(value.transactionId));
  const rejection = { status: Status.RJCT, reasonCode: Reason.AB04, detail: fitText(detail) };
  // Answered from what is recorded, so that a second give-up builds the same pacs.002.
  const now = earlier ? undefined : await ports.log.recordOnce({ ...rejection, transactionId: value.transactionId, step: `${STEP}#${Status.RJCT}`, timestamp: ports.now().toISOString(), requestId: value.requestId, final: true, parties: { senderEntity: value.senderEntity } });
  const report: Report = earlier ??
    recorded(now) ?? { status: TransactionStatus.RJCT, reasonCode: now?.reasonCode ?? Reason.AB04, detail: now?.detail ?? detail, at: now?.updatedAt ?? ports.now().toISOString() };
  await ports.bus.publish([answerOf(value, report)]);
  return report;
}
