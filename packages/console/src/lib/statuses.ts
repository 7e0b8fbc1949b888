/** Transaction statuses (ISO 20022 ExternalPaymentTransactionStatus1Code and the outcomes of cancellations and returns) and the message types a filter offers. */

/** Every status a transaction may have, in the order they come. */
export const STATUSES = ['RCVD', 'ACTC', 'ACSP', 'ACSC', 'RJCT', 'CANC', 'RTND', 'PART', 'ANSW'] as const;

/** What each status means, for people. */
export const STATUS_MEANING: Readonly<Record<string, string>> = {
  RCVD: 'Received',
  ACTC: 'Accepted technical validation',
  ACSP: 'Accepted, settlement in process',
  ACSC: 'Accepted, settlement completed',
  RJCT: 'Rejected',
  CANC: 'Cancelled',
  RTND: 'Returned',
  PART: 'Partly returned',
  ANSW: 'Answered',
};

/** The message types a transaction may start with. */
export const MESSAGE_TYPES = ['pacs.008', 'pacs.004', 'pacs.028', 'camt.056', 'pain.001'] as const;
