/** Statuses a pacs.002 gives a transaction (ExternalPaymentTransactionStatus1Code). */
export const TransactionStatus = {
  /** AcceptedSettlementCompleted: the debtor's account is debited. */
  ACSC: 'ACSC',
  /** AcceptedSettlementInProcess: checks passed, settlement under way. */
  ACSP: 'ACSP',
  /** Rejected: a reason code says why. */
  RJCT: 'RJCT',
} as const;
export type TransactionStatus = (typeof TransactionStatus)[keyof typeof TransactionStatus];

/** Outcomes a camt.029 gives a cancellation request (ExternalInvestigationExecutionConfirmation1Code). */
export const CancellationStatus = {
  /** Cancelled as requested. */
  CNCL: 'CNCL',
  /** Rejected cancellation request: a reason code says why. */
  RJCR: 'RJCR',
  /** Pending cancellation request: the outcome is not known yet. */
  PDCR: 'PDCR',
} as const;
export type CancellationStatus = (typeof CancellationStatus)[keyof typeof CancellationStatus];

/** Any status a response can carry. */
export type ResponseStatus = TransactionStatus | CancellationStatus;

/**
 * What the caller decides about the new message. Ids and clock are inputs so
 * that building a response is a pure function.
 */
export interface ResponseEnvelope {
  /** MsgId (pacs.002) or Assgnmt/Id (camt.029) of the response, at most 35 characters. */
  readonly msgId: string;
  /** Creation date-time of the response, ISO 8601 UTC with milliseconds (`2026-11-27T10:15:30.123Z`). */
  readonly creationDateTime: string;
}

/** A status with its reason. */
export interface StatusDecision<S extends ResponseStatus> {
  readonly status: S;
  /** ISO 20022 reason code (`AM04`, `AC04`, `LEGL`…); required for RJCT and RJCR. */
  readonly reason?: string;
  /** Free text explaining the status, at most 105 characters (AddtlInf). */
  readonly additionalInfo?: string;
}

/** A message in the JSON form, with the identifier of its type. */
export interface BuiltMessage {
  readonly messageId: 'pacs.002.001.10' | 'camt.029.001.09';
  readonly document: Record<string, unknown>;
}
