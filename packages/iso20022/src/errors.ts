/**
 * Errors of the ISO 20022 package. Every error carries a stable `code` so that
 * callers (the HTTP layer, the CLI) can map it without matching on messages.
 */

/** Stable error codes, one per way an input or a schema can be refused. */
export const ErrorCode = {
  EMPTY_INPUT: 'EMPTY_INPUT',
  INPUT_TOO_LARGE: 'INPUT_TOO_LARGE',
  INVALID_UTF8: 'INVALID_UTF8',
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
  DTD_FORBIDDEN: 'DTD_FORBIDDEN',
  XINCLUDE_FORBIDDEN: 'XINCLUDE_FORBIDDEN',
  TOO_DEEP: 'TOO_DEEP',
  MALFORMED_XML: 'MALFORMED_XML',
  MULTIPLE_ROOTS: 'MULTIPLE_ROOTS',
  NO_DOCUMENT: 'NO_DOCUMENT',
  UNSUPPORTED_MESSAGE: 'UNSUPPORTED_MESSAGE',
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  JSON_SHAPE: 'JSON_SHAPE',
  MODEL_INCOMPLETE: 'MODEL_INCOMPLETE',
  XSD_UNSUPPORTED: 'XSD_UNSUPPORTED',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  REPORT_INPUT: 'REPORT_INPUT',
  REPORT_IMBALANCE: 'REPORT_IMBALANCE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error thrown by this package. */
export class Iso20022Error extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Iso20022Error';
    this.code = code;
  }
}

/** The input tries something a payment message never needs: a DTD, an entity, XInclude, deep nesting. */
export class HostileInputError extends Iso20022Error {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'HostileInputError';
  }
}

/** The input is larger than the configured limit. */
export class InputTooLargeError extends Iso20022Error {
  readonly limit: number;
  constructor(message: string, limit: number, options?: { cause?: unknown }) {
    super(ErrorCode.INPUT_TOO_LARGE, message, options);
    this.name = 'InputTooLargeError';
    this.limit = limit;
  }
}

/** The input is not well-formed XML (or not UTF-8, or empty), or has no ISO 20022 `Document` where one is expected. */
export class MalformedXmlError extends Iso20022Error {
  readonly line?: number;
  readonly column?: number;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; line?: number; column?: number }) {
    super(code, message, options);
    this.name = 'MalformedXmlError';
    this.line = options?.line;
    this.column = options?.column;
  }
}

/** The message's namespace (or message identifier) is not in the catalogue. */
export class UnsupportedMessageError extends Iso20022Error {
  readonly namespace: string;
  constructor(namespace: string, message?: string, options?: { cause?: unknown }) {
    super(ErrorCode.UNSUPPORTED_MESSAGE, message ?? `unsupported message namespace '${namespace}'`, options);
    this.name = 'UnsupportedMessageError';
    this.namespace = namespace;
  }
}

/** One schema violation, located in the input. */
export interface ValidationIssue {
  /** 1-based line of the element's start tag (0 when libxml2 gives no location). */
  readonly line: number;
  /** 1-based column of the element's start tag (0 when unknown). */
  readonly column: number;
  /** Element path such as `/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/IntrBkSttlmAmt`. */
  readonly path: string;
  readonly message: string;
}

/** The message is well-formed but does not conform to its schema; `issues` lists every violation. */
export class SchemaValidationError extends Iso20022Error {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], options?: { cause?: unknown; messageId?: string }) {
    const first = issues[0];
    const summary = first ? `${first.path || '(document)'}: ${first.message}` : 'no details';
    const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
    super(ErrorCode.SCHEMA_INVALID, `${options?.messageId ?? 'message'} is not schema-valid (${count}; first: ${summary})`, options);
    this.name = 'SchemaValidationError';
    this.issues = issues;
  }
}

/** A JSON document cannot be written as XML: an unknown key, or a value of the wrong shape. */
export class JsonShapeError extends Iso20022Error {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.JSON_SHAPE, `${path}: ${message}`, options);
    this.name = 'JsonShapeError';
    this.path = path;
  }
}

/** A message in the JSON form is not one: not JSON, not `{ messageId, document }`, or not valid against its JSON Schema. */
export class JsonFormError extends Iso20022Error {
  /** Every problem: a JSON Pointer (`/document/FIToFICstmrCdtTrf/GrpHdr/MsgId`) and what is wrong there. */
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(issues: readonly { readonly path: string; readonly message: string }[], options?: { cause?: unknown }) {
    const [first] = issues;
    super(ErrorCode.JSON_SHAPE, `not a message in the JSON form: ${first ? `${first.path}: ${first.message}` : 'no details'}`, options);
    this.name = 'JsonFormError';
    this.issues = issues;
  }
}

/** The message model refers to component types that are not defined (yet). */
export class ModelIncompleteError extends Iso20022Error {
  readonly missingTypes: readonly string[];
  constructor(messageId: string, missingTypes: readonly string[], options?: { cause?: unknown }) {
    super(
      ErrorCode.MODEL_INCOMPLETE,
      `${messageId}: the model lacks ${missingTypes.length} type(s): ${missingTypes.slice(0, 20).join(', ')}${missingTypes.length > 20 ? ', …' : ''}`,
      options,
    );
    this.name = 'ModelIncompleteError';
    this.missingTypes = missingTypes;
  }
}

/** An operator's XSD uses a construct the engine cannot represent faithfully. */
export class XsdUnsupportedError extends Iso20022Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.XSD_UNSUPPORTED, message, options);
    this.name = 'XsdUnsupportedError';
  }
}

/**
 * A value cannot be a {@link Money}: text that is not an unsigned decimal, a
 * currency that is not an active ISO 4217 one, more decimals than the
 * currency has, or an amount the JSON form cannot hold (a negative one).
 */
export class InvalidAmountError extends Iso20022Error {
  /** Where the value is: a JSON path into a message (`$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt`), or the name of the argument. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.INVALID_AMOUNT, `${path}: ${message}`, options);
    this.name = 'InvalidAmountError';
    this.path = path;
  }
}

/** Arithmetic or a comparison on two amounts in different currencies (or with different exponents). */
export class CurrencyMismatchError extends Iso20022Error {
  /** Currency of the first operand. */
  readonly expected: string;
  /** Currency of the operand that differs. */
  readonly actual: string;
  constructor(expected: string, actual: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.CURRENCY_MISMATCH, message, options);
    this.name = 'CurrencyMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A reader was given a document it cannot read: not the message it reads, or
 * a required element missing or of the wrong shape. Read a message that
 * passed `parseMessage` (or `validateJson`) to avoid it.
 */
export class ReaderInputError extends Iso20022Error {
  /** JSON path of the problem, such as `$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].PmtId.EndToEndId`. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.JSON_SHAPE, `${path}: ${message}`, options);
    this.name = 'ReaderInputError';
    this.path = path;
  }
}

/**
 * The document given to the request-to-pay reader is not a pain.013 (creditor
 * payment activation request): it has no `CdtrPmtActvtnReq`, or that is not an
 * object. `path` is where the root was expected.
 */
export class NotAPaymentRequestError extends ReaderInputError {
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(path, message, options);
    this.name = 'NotAPaymentRequestError';
  }
}

/**
 * The document given to the request-to-pay answer reader is not a pain.014
 * (creditor payment activation request status report): it has no
 * `CdtrPmtActvtnReqStsRpt`, or that is not an object.
 */
export class NotAPaymentRequestAnswerError extends ReaderInputError {
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(path, message, options);
    this.name = 'NotAPaymentRequestAnswerError';
  }
}

/**
 * A message cannot be built from what it was given: the source message lacks
 * an element the new message requires, an index points at nothing, or an
 * option is not a valid value for its element. A caller's mistake, not a
 * business rejection.
 */
export class BuildInputError extends Iso20022Error {
  /** Where the problem is: a JSON path into the source message, or the name of the option. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.JSON_SHAPE, `${path}: ${message}`, options);
    this.name = 'BuildInputError';
    this.path = path;
  }
}

/**
 * An account report (camt.052) or statement (camt.053) cannot be built from
 * what it was given: a value that is not valid for its element (a date that is
 * not ISO 8601 UTC, a BIC, an entry amount that is not positive, an entry
 * booked outside the period). A caller's mistake: nothing is built.
 */
export class ReportInputError extends Iso20022Error {
  /** The input field, such as `entries[2].valueDate` or `account.ownerBic`. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.REPORT_INPUT, `${path}: ${message}`, options);
    this.name = 'ReportInputError';
    this.path = path;
  }
}

/** A text of an account report input is empty or longer than its element allows (an id over 35 characters). */
export class ReportValueLengthError extends ReportInputError {
  readonly maxLength: number;
  readonly length: number;
  constructor(path: string, length: number, maxLength: number, options?: { cause?: unknown; hint?: string }) {
    super(path, `must have 1 to ${maxLength} characters, has ${length}${options?.hint ? ` (${options.hint})` : ''}`, options);
    this.name = 'ReportValueLengthError';
    this.maxLength = maxLength;
    this.length = length;
  }
}

/** An amount of an account report is not in the account's currency (or not with its ISO 4217 exponent). */
export class ReportCurrencyMismatchError extends CurrencyMismatchError {
  /** The input field of the amount, such as `opening` or `entries[0].amount`. */
  readonly path: string;
  constructor(path: string, expected: string, actual: string, message: string, options?: { cause?: unknown }) {
    super(expected, actual, `${path}: ${message}`, options);
    this.name = 'ReportCurrencyMismatchError';
    this.path = path;
  }
}

/** The closing balance given for an account report is not the opening balance plus the credits minus the debits. */
export class ReportImbalanceError extends Iso20022Error {
  /** The closing balance the caller gave, as a signed decimal (`-5.00`). */
  readonly given: string;
  /** Opening + credits − debits, as a signed decimal. */
  readonly computed: string;
  readonly currency: string;
  constructor(given: string, computed: string, currency: string, options?: { cause?: unknown }) {
    super(ErrorCode.REPORT_IMBALANCE, `closing: ${given} ${currency} is not opening + credits - debits = ${computed} ${currency}`, options);
    this.name = 'ReportImbalanceError';
    this.given = given;
    this.computed = computed;
    this.currency = currency;
  }
}
