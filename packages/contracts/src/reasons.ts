/**
 * What the reason codes the platform gives and meets mean: the names and
 * definitions of ISO 20022's external code sets (ExternalStatusReason1Code,
 * ExternalPaymentCancellationRejection1Code). Pure data, for people: the
 * console shows a reason beside its code.
 */

/** An ISO reason code's name and what it means. */
export interface ReasonMeaning {
  readonly name: string;
  readonly definition: string;
}

const MEANINGS: Readonly<Record<string, ReasonMeaning>> = {
  AB03: { name: 'AbortedSettlementTimeout', definition: 'Settlement aborted due to timeout.' },
  AB04: { name: 'AbortedSettlementFatalError', definition: 'Settlement process has been aborted due to a fatal error.' },
  AB05: { name: 'TimeoutCreditorAgent', definition: 'Transaction stopped due to timeout at the creditor agent.' },
  AB06: { name: 'TimeoutInstructedAgent', definition: 'Transaction stopped due to timeout at the instructed agent.' },
  AC01: { name: 'IncorrectAccountNumber', definition: 'Account number is invalid or missing.' },
  AC04: { name: 'ClosedAccountNumber', definition: 'Account number specified has been closed on the bank of account’s books.' },
  AC06: { name: 'BlockedAccount', definition: 'Account specified is blocked, prohibiting posting of transactions against it.' },
  AG01: { name: 'TransactionForbidden', definition: 'Transaction forbidden on this type of account.' },
  AG09: { name: 'PaymentNotReceived', definition: 'Original payment never received.' },
  AG10: { name: 'AgentSuspended', definition: 'Agent of the message is suspended from the payment system.' },
  AG11: { name: 'CreditorAgentSuspended', definition: 'Creditor agent of the message is suspended from the payment system.' },
  AM02: { name: 'NotAllowedAmount', definition: 'Specific transaction or message amount is greater than allowed.' },
  AM03: { name: 'NotAllowedCurrency', definition: 'Specified message amount is in a non-processable currency outside of the existing agreement.' },
  AM04: { name: 'InsufficientFunds', definition: 'Amount of funds available to cover the specified message amount is insufficient.' },
  AM05: { name: 'Duplication', definition: 'Duplication.' },
  AM10: { name: 'InvalidControlSum', definition: 'Sum of instructed amounts does not equal the control sum.' },
  AM18: { name: 'InvalidNumberOfTransactions', definition: 'Number of transactions at the group level does not match the actual number of transactions.' },
  DS02: { name: 'OrderCancelled', definition: 'An authorised user has cancelled the order.' },
  FF01: { name: 'InvalidFileFormat', definition: 'File format incomplete or invalid.' },
  NARR: { name: 'Narrative', definition: 'Reason is provided as narrative information in the additional reason information.' },
  RC01: { name: 'BankIdentifierIncorrect', definition: 'Bank identifier code specified in the message has an incorrect format.' },
  RR04: { name: 'RegulatoryReason', definition: 'Regulatory reason.' },
  // Cancellation rejections (camt.029).
  ARDT: { name: 'AlreadyReturned', definition: 'Cancellation not accepted as the transaction has already been returned.' },
  NOOR: { name: 'NoOriginalTransactionReceived', definition: 'Original transaction (subject to cancellation) never received.' },
  PTNA: { name: 'PassedToTheNextAgent', definition: 'Reported when the cancellation cannot be accepted because the payment has been passed to the next agent.' },
};

/** The ISO name and definition of a reason code, or `undefined` for a code this table does not know. */
export function reasonMeaning(code: string): ReasonMeaning | undefined {
  return Object.hasOwn(MEANINGS, code) ? MEANINGS[code] : undefined;
}

/** A name or definition as plain words: `InsufficientFunds` and `Insufficient funds.` both read `insufficient funds`. */
const plainWords = (text: string): string =>
  text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * A reason code's name, and its definition when that says more than the name
 * (ISO defines AM05 Duplication as `Duplication.`: shown once, not twice).
 * `undefined` for a code this table does not know.
 */
export function reasonWords(code: string): { readonly name: string; readonly definition?: string } | undefined {
  const meaning = reasonMeaning(code);
  if (!meaning) return undefined;
  return plainWords(meaning.name) === plainWords(meaning.definition) ? { name: meaning.name } : meaning;
}
