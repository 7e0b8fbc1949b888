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
  /** Part of the settled amount was returned. */
  PART: 'PART',
} as const;
/** One of {@link Status}. */
export type Status = (typeof Status)[keyof typeof Status];

const FINAL: ReadonlySet<string> = new Set([Status.ACSC, Status.RJCT, Status.CANC, Status.RTND]);

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
} as const;
