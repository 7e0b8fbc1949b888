/**
 * The statuses a transaction goes through, one definition for every service
 * (ISO 20022 ExternalPaymentTransactionStatus1Code, plus the outcomes of
 * cancellations and returns).
 */
export const Status = {
  /** Received: archived, not yet checked. */
  RCVD: 'RCVD',
  /** Accepted technical validation: schema and business rules pass. */
  ACTC: 'ACTC',
  /** Accepted, settlement in process. */
  ACSP: 'ACSP',
  /** Accepted, settlement completed: liquidity moved. */
  ACSC: 'ACSC',
  /** Rejected, with a reason code. */
  RJCT: 'RJCT',
  /** Cancelled before settlement (camt.056 answered CNCL). */
  CANC: 'CANC',
  /** Returned in full after settlement (pacs.004). */
  RTND: 'RTND',
  /** Part of the settled amount was returned (pacs.004); further returns may follow. */
  PART: 'PART',
  /** A request (camt.056, pacs.028) that was answered: the answer says what came of it. */
  ANSW: 'ANSW',
} as const;
/** One of {@link Status}. */
export type Status = (typeof Status)[keyof typeof Status];

// PART is final: nothing settles or rejects a partly returned payment any more; only returns follow.
const FINAL: ReadonlySet<string> = new Set([Status.ACSC, Status.RJCT, Status.CANC, Status.RTND, Status.PART, Status.ANSW]);

/** Whether a status ends the processing of a transaction (nothing settles or rejects it afterwards). */
export function isFinalStatus(status: string): boolean {
  return FINAL.has(status);
}

/** Reason codes the platform gives itself (ExternalStatusReason1Code). */
export const Reason = {
  /** Invalid file format: not well-formed or not schema-valid. */
  FF01: 'FF01',
  /** Insufficient funds. */
  AM04: 'AM04',
  /** Duplication. */
  AM05: 'AM05',
  /** Invalid BIC: the BIC is not that of a participant. */
  RC01: 'RC01',
  /** Transaction forbidden on this type of account / party not allowed to send it. */
  AG01: 'AG01',
  /** Unrecognised or blocked party (suspended participant). */
  RR04: 'RR04',
  /** Timeout at the clearing system. */
  AB05: 'AB05',
  /** Technical problem at the clearing system. */
  AB03: 'AB03',
  /** Wrong currency. */
  AM03: 'AM03',
  /** Not allowed amount: a return larger than what is left of its original. */
  AM02: 'AM02',
  /** Invalid control sum. */
  AM10: 'AM10',
  /** Narrative: the reason is in the additional information (references that fit several transactions). */
  NARR: 'NARR',
  /** Invalid number of transactions. */
  AM18: 'AM18',
  /** Settlement process aborted due to a fatal error: a message its processor gave up on (dead letter). */
  AB04: 'AB04',
  /** Payment not received: the referenced transaction is unknown, or not the caller's to ask about. */
  AG09: 'AG09',
  /** Agent suspended: the sending participant is suspended. */
  AG10: 'AG10',
  /** Creditor agent suspended: the receiving participant is suspended. */
  AG11: 'AG11',
} as const;

/** Reasons for refusing a cancellation in a camt.029 (ExternalPaymentCancellationRejection1Code). */
export const CancellationRejection = {
  /** Passed to the next agent: the payment settled and reached its receiver; only a return brings it back. */
  PTNA: 'PTNA',
  /** Already returned. */
  ARDT: 'ARDT',
  /** Original transaction never received: unknown, or not the caller's. */
  NOOR: 'NOOR',
  /** See the additional information (already cancelled, or rejected before settlement). */
  NARR: 'NARR',
} as const;

/** Status of a cancellation in a camt.029. */
export const CancellationStatus = {
  /** Cancelled as requested. */
  CNCL: 'CNCL',
  /** Cancellation rejected. */
  RJCR: 'RJCR',
} as const;
