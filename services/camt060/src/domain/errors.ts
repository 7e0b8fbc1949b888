/** Base class for every error raised by the account report step. */
export class ReportServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportServiceError';
  }
}

/**
 * A balance and its postings did not agree when read, several times over: no
 * report is released. It is retried, then dead-lettered, like any failure of
 * the infrastructure.
 */
export class LedgerReadError extends ReportServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerReadError';
  }
}

/** A report the platform built does not validate against its schema: a defect, so it is not released. */
export class InvalidReportError extends ReportServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidReportError';
  }
}
