/**
 * The ISO 20022 external status reason codes (ExternalStatusReason1Code) that
 * the business rules give, each with its ISO name. README.md maps every rule
 * to its code.
 */
export const RuleReasonCode = {
  /** ZeroAmount: the amount is zero. */
  AM01: 'AM01',
  /** NotAllowedCurrency: the currency is not one payments can be made in. */
  AM03: 'AM03',
  /** InvalidControlSum: the total settlement amount is not the sum of the transactions' amounts. */
  AM10: 'AM10',
  /** InvalidTransactionCurrency: a transaction's currency differs from the total's. */
  AM11: 'AM11',
  /** InvalidAmount: the amount has a sign, is no decimal, or has more decimals than its currency. */
  AM12: 'AM12',
  /** InvalidGroupControlSum: the group header's CtrlSum is not the sum of the amounts. */
  AM16: 'AM16',
  /** InvalidGroupNumberOfTransactions: NbOfTxs is not the number of transactions. */
  AM19: 'AM19',
  /** IncorrectAccountNumber: the IBAN's format, length or check digits are wrong. */
  AC01: 'AC01',
  /** InvalidDate: a date that does not exist in the calendar. */
  DT01: 'DT01',
  /** InvalidCreationDate: the message's creation date-time does not exist in the calendar. */
  DT02: 'DT02',
  /** SyntaxError: an identifier (the UETR) is not in its required form. */
  FF02: 'FF02',
  /** BankIdentifierIncorrect: the BIC is not in ISO 9362 format. */
  RC01: 'RC01',
} as const;

/** A reason code given by a business rule. */
export type RuleReasonCode = (typeof RuleReasonCode)[keyof typeof RuleReasonCode];

/** The business rules, by name. */
export const BusinessRule = {
  bic: 'bic',
  iban: 'iban',
  currency: 'currency',
  amountFormat: 'amount-format',
  amountDecimals: 'amount-decimals',
  amountPositive: 'amount-positive',
  transactionCount: 'transaction-count',
  controlSum: 'control-sum',
  totalAmount: 'total-amount',
  totalCurrency: 'total-currency',
  uetr: 'uetr',
  date: 'date',
} as const;

/** The name of a business rule. */
export type BusinessRule = (typeof BusinessRule)[keyof typeof BusinessRule];

/** One broken business rule: what broke, where in the JSON form, and the ISO reason code to reject with. */
export interface RuleViolation {
  readonly rule: BusinessRule;
  readonly code: RuleReasonCode;
  /** JSON path into the message document, e.g. `$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt`. */
  readonly path: string;
  readonly message: string;
}
