/** Base class for every error raised by `@mxflow/contracts`. */
export class ContractError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ContractError';
  }
}

/** A record on a topic does not have the shape its topic promises. Redelivering it cannot help. */
export class RecordShapeError extends ContractError {
  readonly topic: string;
  readonly path: string;
  constructor(topic: string, path: string, message: string, options?: { cause?: unknown }) {
    super(`${topic}: ${path}: ${message}`, options);
    this.name = 'RecordShapeError';
    this.topic = topic;
    this.path = path;
  }
}

/**
 * A business rejection: the platform refuses a message for a reason an ISO
 * 20022 reason code names (AM04 insufficient funds, RC01 bad BIC …). It is
 * final: processing the same message again refuses it the same way. Every
 * service's own rejections extend it; anything else that is thrown is an
 * infrastructure failure and is retried.
 */
export class BusinessRejectionError extends ContractError {
  /** ExternalStatusReason1Code, e.g. `AM04`. */
  readonly reasonCode: string;
  /** Where in the message the problem is (`$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].InstdAgt`), when it is in one place. */
  readonly path?: string;
  constructor(reasonCode: string, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options);
    this.name = 'BusinessRejectionError';
    this.reasonCode = reasonCode;
    if (options?.path) this.path = options.path;
  }
}
