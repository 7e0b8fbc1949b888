/**
 * RFC 9457 problem details, as every mxflow API answers an error.
 */

/** One field-level issue of a problem. */
export interface ProblemField {
  /** Where: an element path (`/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId`), a JSON path or a header name. */
  readonly path: string;
  readonly message: string;
  /** ISO 20022 reason code (ExternalStatusReason1Code) when the issue rejects a message. */
  readonly reasonCode?: string;
  /** 1-based line and column in the submitted document, when known. */
  readonly line?: number;
  readonly column?: number;
}

/** An error answer before serialisation. */
export interface Problem {
  /** A slug (`invalid-token`) that the errors middleware prefixes with its `typeBase`, or an absolute URI. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly ProblemField[];
  /** Extra response headers, such as `WWW-Authenticate`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Extension members written into the body (for example `transactionId`). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** An error that knows its own problem answer. */
export interface ProblemSource {
  toProblem(): Problem;
}

/** Whether `error` can describe itself as a {@link Problem}. */
export function isProblemSource(error: unknown): error is ProblemSource {
  return typeof error === 'object' && error !== null && typeof (error as Partial<ProblemSource>).toProblem === 'function';
}

/** Media type of problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
