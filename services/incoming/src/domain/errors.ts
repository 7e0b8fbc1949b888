import type { RejectionIssue } from './submission';

/** Base class for every error raised by the incoming service. */
export class IncomingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IncomingError';
  }
}

/** What made a message unacceptable. */
export const RejectionKind = {
  /** Not well-formed, not UTF-8, or no ISO 20022 Document: answer 400. */
  malformed: 'malformed',
  /** Not valid against its schema: answer 422. */
  schema: 'schema',
  /** Schema-valid, but a business rule fails: answer 422. */
  rules: 'rules',
} as const;
/** One of {@link RejectionKind}. */
export type RejectionKind = (typeof RejectionKind)[keyof typeof RejectionKind];

/**
 * A business rejection of a submitted message. It carries the ISO 20022
 * reason code recorded with the RJCT step and every issue found; sending the
 * same message again is refused the same way, unlike an infrastructure failure.
 */
export class MessageRejectedError extends IncomingError {
  readonly kind: RejectionKind;
  /** Reason code of the RJCT step: that of the first issue. */
  readonly reasonCode: string;
  readonly issues: readonly RejectionIssue[];
  readonly messageType?: string;
  readonly messageIds?: { readonly msgId?: string; readonly endToEndIds?: readonly string[]; readonly uetrs?: readonly string[] };

  constructor(
    kind: RejectionKind,
    issues: readonly RejectionIssue[],
    details: Pick<MessageRejectedError, 'messageType' | 'messageIds'> = {},
    options?: { cause?: unknown },
  ) {
    const [first] = issues;
    super(`message rejected (${kind}): ${first ? `${first.path}: ${first.message}` : 'no details'}`, options);
    this.name = 'MessageRejectedError';
    this.kind = kind;
    this.reasonCode = first?.reasonCode ?? 'FF01';
    this.issues = issues;
    if (details.messageType) this.messageType = details.messageType;
    if (details.messageIds) this.messageIds = details.messageIds;
  }
}

/** The request's Content-Type is not XML. */
export class UnsupportedContentTypeError extends IncomingError {
  readonly contentType: string;
  constructor(contentType: string, options?: { cause?: unknown }) {
    super(`content type ${contentType} is not XML`, options);
    this.name = 'UnsupportedContentTypeError';
    this.contentType = contentType;
  }
}

/** A required environment variable is not set. */
export class ConfigurationError extends IncomingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}
