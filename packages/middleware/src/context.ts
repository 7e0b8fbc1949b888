import { ArchiveDirection } from '@mxflow/contracts';
import type { Context } from 'aws-lambda';
import type { ArchiveReceipt, KeyClaim, MessageIds, RecordRead } from '@mxflow/store';
import type { AccessTokenClaims } from './auth/verify';

/** Keys under which the middlewares keep their state in `request.internal`. */
export const InternalKey = {
  caller: 'middleware.caller',
  transaction: 'middleware.transaction',
  archive: 'middleware.archive',
  snapshot: 'middleware.snapshot',
} as const;

/** The authenticated caller, resolved to the participant entity it acts for. */
export interface Caller {
  readonly clientId: string;
  readonly entityId: string;
  /** Scopes the token carries that the client's mapping allows too: the mapping decides, the token only narrows. */
  readonly scopes: readonly string[];
  /** The version of the mapping this was resolved from (0 for one without a version). */
  readonly mappingVersion?: number;
}

/** The identifiers of one request's transaction. */
export interface TransactionIds {
  /** UUID of the transaction this request starts. */
  readonly transactionId: string;
  /** UUID of this request. */
  readonly requestId: string;
  /** When the request came in: ISO 8601 UTC with milliseconds. */
  readonly receivedAt: string;
}

/** What the archive middleware wrote. */
export interface ArchivedMessage extends ArchiveReceipt {
  readonly direction: ArchiveDirection;
  readonly messageType: string;
}

export { ArchiveDirection };

/** Details of a step beyond its status. */
export interface StepDetails {
  readonly messageIds?: MessageIds;
  readonly reasonCode?: string;
  /** Written on the step that accepts a message, for duplicate checks. */
  readonly duplicateKey?: string;
  /** When the transaction times out unless final (CreDtTm plus its SLA). */
  readonly deadline?: string;
  /** Unique keys the transaction claims with its first recorded step, in the same write (a MsgId). */
  readonly claims?: readonly KeyClaim[];
  /** Directory records the first step's decision relied on, checked at their versions in the same write. */
  readonly reads?: readonly RecordRead[];
  /** Words on the step (a rejection's, which its answer carries). */
  readonly detail?: string;
  /** A final step whose answer the handler's chain sends itself: the sweep answers it if that never happens (`TransactionLog.answered`). */
  readonly answerPending?: boolean;
}

/** Records a further step of the current transaction; resolves to the step's timestamp. */
export type RecordStep = (status: string, details?: StepDetails) => Promise<string>;

/** The Lambda context once the middlewares of a submit chain have run. */
export interface SubmitContext extends Context {
  caller: Caller;
  /** The verified token's claims. */
  claims: AccessTokenClaims;
  transaction: TransactionIds;
  archived: ArchivedMessage;
  recordStep: RecordStep;
}

/** The internal state the middlewares share. */
export interface MiddlewareInternal extends Record<string, unknown> {
  [InternalKey.caller]?: Caller;
  [InternalKey.transaction]?: TransactionIds;
  [InternalKey.archive]?: ArchivedMessage;
  [InternalKey.snapshot]?: SnapshotState;
}

/** What the snapshot middleware remembers about the transaction. */
export interface SnapshotState {
  /** The statuses written so far, the received one first; empty until the handler records its first step. */
  readonly statuses: string[];
  lastTimestamp: string;
  /** When the request came in: the received step's timestamp. */
  readonly receivedAt: string;
}

/**
 * A business rejection: the message is refused for a reason an ISO 20022
 * reason code names. It is final (retrying the same message fails the same
 * way), unlike an infrastructure failure.
 */
export interface BusinessRejection {
  readonly reasonCode: string;
  readonly messageIds?: MessageIds;
  /** Words for the rejection's answer (its AddtlInf), at most 105 characters. */
  readonly detail?: string;
}

/** Whether `error` is a {@link BusinessRejection}. */
export function isBusinessRejection(error: unknown): error is BusinessRejection {
  return typeof error === 'object' && error !== null && typeof (error as Partial<BusinessRejection>).reasonCode === 'string';
}

/** The request's internal state, typed. */
export function internalOf(request: { internal: object }): MiddlewareInternal {
  return request.internal as MiddlewareInternal;
}
