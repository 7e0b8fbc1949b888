/** Transaction statuses (ISO 20022 ExternalPaymentTransactionStatus1Code and the outcomes of cancellations and returns) and the message types a filter offers. */

/** Every status a transaction may have, in the order they come. */
export const STATUSES = ['RCVD', 'ACTC', 'PDNG', 'ACSP', 'ACSC', 'RJCT', 'CANC', 'RTND', 'PART', 'ANSW'] as const;

/** What each status means, for people. */
export const STATUS_MEANING: Readonly<Record<string, string>> = {
  RCVD: 'Received',
  ACTC: 'Accepted technical validation',
  PDNG: 'Pending: a request to pay waits for the debtor’s participant’s answer',
  ACSP: 'Accepted, settlement in process',
  ACSC: 'Accepted, settlement completed',
  RJCT: 'Rejected',
  CANC: 'Cancelled',
  RTND: 'Returned',
  PART: 'Partly returned',
  ANSW: 'Answered',
};

/** The message types a transaction may start with. */
export const MESSAGE_TYPES = ['pacs.008', 'pacs.004', 'pacs.028', 'camt.056', 'pain.001', 'camt.060', 'pain.013', 'pain.014'] as const;

/** The status a transaction ends with once it is answered: ANSW stands for the code of the answer. */
export const ANSWERED = 'ANSW';

/**
 * What each answer means, by the type of the message answered: the status a
 * pacs.028 was told of its original (pacs.002), the outcome of a camt.056
 * (camt.029), the group status of a pain.001's final report (pain.002).
 */
const ANSWER_MEANING: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'pacs.028': {
    ACSC: 'the payment asked about settled',
    RJCT: 'the payment asked about was rejected, or is not one of the asker’s',
    CANC: 'the payment asked about was cancelled',
    ACSP: 'the payment asked about is being settled',
    ACTC: 'the payment asked about is accepted, not settled yet',
    RCVD: 'the payment asked about is received, not checked yet',
    PDNG: 'the payment asked about is pending',
  },
  'camt.056': {
    CNCL: 'the payment was cancelled as requested',
    RJCR: 'the cancellation was refused',
    PDCR: 'the cancellation is pending',
  },
  'pain.001': {
    ACSC: 'every transfer settled',
    PART: 'some transfers settled, the others were rejected',
    RJCT: 'no transfer settled',
    ACCP: 'accepted after the customer profile checks',
    ACSP: 'the transfers are being settled',
    ACTC: 'accepted after technical validation',
  },
  'pain.013': {
    ACCP: 'the debtor’s participant accepted the request to pay',
    RJCT: 'the debtor’s participant refused the request to pay',
  },
  'pain.014': {
    ACCP: 'the request to pay was accepted, and its creditor told',
    RJCT: 'the request to pay was refused, and its creditor told',
  },
  'camt.060': {
    'camt.052': 'the account reports asked for were sent',
    'camt.053': 'the statements asked for were sent',
  },
};

/** The answered message of each type: what the answer came in. */
const ANSWERED_WITH: Readonly<Record<string, string>> = { 'pacs.028': 'pacs.002', 'camt.056': 'camt.029', 'pain.001': 'pain.002', 'pain.013': 'pain.014' };

/** The code a status shows: `ANSW · RJCR` for an answered request with its answer, else the status alone. */
export function statusLabel(status: string, answer?: string): string {
  return status === ANSWERED && answer ? `${status} · ${answer}` : status;
}

/**
 * What a status means, for people; for ANSW with its answer, what the answer
 * says of the request of `messageType` (e.g. "Answered RJCR (camt.029): the
 * cancellation was refused").
 */
export function statusMeaning(status: string, answer?: string, messageType?: string): string {
  const meaning = STATUS_MEANING[status] ?? status;
  if (status !== ANSWERED || !answer) return meaning;
  const said = messageType ? ANSWER_MEANING[messageType]?.[answer] : undefined;
  const message = messageType ? ANSWERED_WITH[messageType] : undefined;
  return `${meaning} ${answer}${message ? ` (${message})` : ''}${said ? `: ${said}` : ''}`;
}
