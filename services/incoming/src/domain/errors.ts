import { BusinessRejectionError, fitText } from '@mxflow/contracts';
import type { JsonObject } from '@mxflow/iso20022';
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
  /** Valid, but the caller may not send it (another bank's instructing agent): answer 403. */
  forbidden: 'forbidden',
  /** Valid, but its deadline (CreDtTm plus its SLA) passed before it arrived: answer 422, AB05. */
  late: 'late',
} as const;
/** One of {@link RejectionKind}. */
export type RejectionKind = (typeof RejectionKind)[keyof typeof RejectionKind];

/**
 * A business rejection of a submitted message. It carries the ISO 20022
 * reason code recorded with the RJCT step and every issue found; sending the
 * same message again is refused the same way, unlike an infrastructure failure.
 */
export class MessageRejectedError extends BusinessRejectionError {
  readonly kind: RejectionKind;
  readonly issues: readonly RejectionIssue[];
  readonly messageType?: string;
  readonly messageIds?: { readonly msgId?: string; readonly endToEndIds?: readonly string[]; readonly uetrs?: readonly string[]; readonly txIds?: readonly string[]; readonly instructionIds?: readonly string[] };
  /** The message's JSON form, when it could be read: the negative response echoes its ids. */
  readonly document?: JsonObject;
  /** The words of the negative response (its AddtlInf): the first issue's, cut between words to fit. */
  readonly detail: string;

  constructor(
    kind: RejectionKind,
    issues: readonly RejectionIssue[],
    details: Pick<MessageRejectedError, 'messageType' | 'messageIds' | 'document'> = {},
    options?: { cause?: unknown },
  ) {
    const [first] = issues;
    // The RJCT step's reason code is that of the first issue.
    super(first?.reasonCode ?? 'FF01', `message rejected (${kind}): ${first ? `${first.path}: ${first.message}` : 'no details'}`, {
      ...options,
      ...(first ? { path: first.path } : {}),
    });
    this.name = 'MessageRejectedError';
    this.kind = kind;
    this.issues = issues;
    this.detail = fitText(first?.message ?? this.message);
    if (details.messageType) this.messageType = details.messageType;
    if (details.messageIds) this.messageIds = details.messageIds;
    if (details.document) this.document = details.document;
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

/** A valid ISO 20022 message of a type no service of the platform handles (a camt.053, a pacs.002). */
export class UnhandledMessageTypeError extends IncomingError {
  readonly messageType: string;
  constructor(messageType: string, options?: { cause?: unknown }) {
    super(`no service handles ${messageType} messages`, options);
    this.name = 'UnhandledMessageTypeError';
    this.messageType = messageType;
  }
}

/** The Idempotency-Key header is unusable. */
export class InvalidIdempotencyKeyError extends IncomingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidIdempotencyKeyError';
  }
}

/** The caller archived as much as it may this hour; every archived body counts, rejected ones too. */
export class ArchiveQuotaExceededError extends IncomingError {
  readonly limitBytes: number;
  readonly retryAfterSeconds: number;
  constructor(limitBytes: number, retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(`the archive quota of ${limitBytes} bytes per hour is used up`, options);
    this.name = 'ArchiveQuotaExceededError';
    this.limitBytes = limitBytes;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
