/** Statuses a pacs.002 gives a transaction (ExternalPaymentTransactionStatus1Code). */
export const TransactionStatus = {
  /** AcceptedSettlementCompleted: the debtor's account is debited. */
  ACSC: 'ACSC',
  /** AcceptedSettlementInProcess: checks passed, settlement under way. */
  ACSP: 'ACSP',
  /** Rejected: a reason code says why. */
  RJCT: 'RJCT',
  /** Received: not yet checked (the answer to a status request about a transaction in flight). */
  RCVD: 'RCVD',
  /** AcceptedTechnicalValidation: checks passed, not yet settled. */
  ACTC: 'ACTC',
  /** Cancelled before settlement (camt.056). */
  CANC: 'CANC',
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

/** Statuses a pain.002 gives an initiation as a whole (ExternalPaymentGroupStatus1Code). */
export const PaymentGroupStatus = {
  /** Received: the message arrived, nothing is checked yet. */
  RCVD: 'RCVD',
  /** AcceptedTechnicalValidation: syntax and schema checks passed. */
  ACTC: 'ACTC',
  /** AcceptedCustomerProfile: the customer profile checks passed too. */
  ACCP: 'ACCP',
  /** AcceptedSettlementInProcess: the transfers are being executed. */
  ACSP: 'ACSP',
  /** AcceptedSettlementCompleted: the debtor's account is debited. */
  ACSC: 'ACSC',
  /** AcceptedWithChange: accepted, with a change (a date, an amount) the report explains. */
  ACWC: 'ACWC',
  /** Pending: further checks are needed. */
  PDNG: 'PDNG',
  /** PartiallyAccepted: some transfers accepted, some rejected; the transaction statuses say which. */
  PART: 'PART',
  /** Rejected: a reason code says why. */
  RJCT: 'RJCT',
} as const;
export type PaymentGroupStatus = (typeof PaymentGroupStatus)[keyof typeof PaymentGroupStatus];

/** Statuses a pain.002 gives one transfer (ExternalPaymentTransactionStatus1Code): those of a group but PART. */
export const PaymentTransferStatus = {
  RCVD: 'RCVD',
  ACTC: 'ACTC',
  ACCP: 'ACCP',
  ACSP: 'ACSP',
  ACSC: 'ACSC',
  ACWC: 'ACWC',
  PDNG: 'PDNG',
  RJCT: 'RJCT',
} as const;
export type PaymentTransferStatus = (typeof PaymentTransferStatus)[keyof typeof PaymentTransferStatus];

/** The status of one transfer of a pain.001, found by its block and its EndToEndId. */
export interface TransferStatusDecision {
  /** `PmtInfId` of the block holding the transfer. */
  readonly paymentInformationId: string;
  /** `EndToEndId` of the transfer in that block. */
  readonly endToEndId: string;
  readonly status: PaymentTransferStatus;
  /** ISO 20022 reason code; required for RJCT. */
  readonly reason?: string;
  /** Free text explaining the status, at most 105 characters. */
  readonly additionalInfo?: string;
}

/** What the debtor agent decides about a pain.001. */
export interface PaymentInitiationDecision {
  readonly groupStatus: PaymentGroupStatus;
  /** ISO 20022 reason code of the group status; required for RJCT. */
  readonly reason?: string;
  /** Free text explaining the group status, at most 105 characters. */
  readonly additionalInfo?: string;
  /** Transfers reported one by one, grouped in the report by their block, in the order of the pain.001. */
  readonly transactions?: readonly TransferStatusDecision[];
}

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
  /**
   * Identifier of the original's version (OrgnlMsgNmId), when it is not the
   * one the project ships (a version an operator dropped in: `pacs.008.001.09`).
   */
  readonly originalMessageId?: string;
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
  readonly messageId: 'pacs.002.001.10' | 'camt.029.001.09' | 'pain.002.001.10';
  readonly document: Record<string, unknown>;
}
