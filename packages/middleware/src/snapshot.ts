import type { MiddlewareObj, Request } from '@middy/core';
import { isFinalStatus } from '@mxflow/contracts';
import type { TransactionLog, TransactionStep } from '@mxflow/store';
import {
  InternalKey,
  internalOf,
  isBusinessRejection,
  type RecordStep,
  type SnapshotState,
  type StepDetails,
  type TransactionIds,
} from './context';
import { MiddlewareOrderError } from './errors';

/** Options of {@link snapshot}. */
export interface SnapshotOptions {
  /** The transaction table. */
  readonly log: TransactionLog;
  /** Name of the workflow step, the first part of each step's sort key (`incoming#RCVD`). */
  readonly service: string;
  /** Status recorded when the request comes in (default `RCVD`). */
  readonly receivedStatus?: string;
  /** Status recorded when the handler throws a business rejection (default `RJCT`). */
  readonly rejectedStatus?: string;
  /** Clock (default `new Date()`). */
  readonly now?: () => Date;
  /**
   * Whether a rejection it records is answered by the chain itself (a
   * middleware that sends the negative response, then calls
   * `TransactionLog.answered`): it is recorded as pending its answer, so that
   * the timeout sweep answers it if the chain never does (a crash).
   */
  readonly answerRejections?: boolean;
}

const defaults = {
  answerRejections: false,
  receivedStatus: 'RCVD',
  rejectedStatus: 'RJCT',
  now: (): Date => new Date(),
};

/** The later of `now` and one millisecond after `previous`, so a transaction's steps keep their order. */
export function nextTimestamp(previous: string | undefined, now: Date): string {
  if (previous === undefined) return now.toISOString();
  const floor = Date.parse(previous) + 1;
  return new Date(Math.max(floor, now.getTime())).toISOString();
}

/**
 * Records the workflow steps of a transaction in the transaction table, one
 * item per step, each written once. It gives the handler
 * `context.recordStep(status, details)`. The received step (timestamped when
 * the request came in, with the archive key and the caller's entity when
 * those middlewares ran first) is written together with the first step the
 * handler records, and with the claims that step makes, in one atomic write:
 * the transaction exists with its decision, or not at all, so a crash or an
 * infrastructure failure before the decision leaves nothing open. When the
 * handler throws a business rejection (an error with a `reasonCode`) and no
 * rejection was recorded, `onError` records it with its reason code (and the
 * received step, if not written yet).
 */
export function snapshot(options: SnapshotOptions): MiddlewareObj {
  const { log, service, receivedStatus, rejectedStatus, now, answerRejections } = { ...defaults, ...options };

  const recorder = (request: Request, ids: TransactionIds, state: SnapshotState): RecordStep => {
    const archived = internalOf(request)[InternalKey.archive];
    const caller = internalOf(request)[InternalKey.caller];
    const stepOf = (status: string, timestamp: string, details: StepDetails): TransactionStep => ({
      transactionId: ids.transactionId,
      step: `${service}#${status}`,
      status,
      timestamp,
      requestId: ids.requestId,
      ...(archived ? { messageType: archived.messageType, archiveKey: archived.key, archiveSha256: archived.sha256 } : {}),
      // The caller sends the message: the Status API shows the transaction to it.
      ...(caller ? { entityId: caller.entityId, parties: { senderEntity: caller.entityId } } : {}),
      ...(isFinalStatus(status) ? { final: true } : {}),
      ...(details.messageIds ? { messageIds: details.messageIds } : {}),
      ...(details.reasonCode ? { reasonCode: details.reasonCode } : {}),
      ...(details.duplicateKey ? { duplicateKey: details.duplicateKey } : {}),
      ...(details.deadline ? { deadline: details.deadline } : {}),
      ...(details.detail ? { detail: details.detail } : {}),
    });
    return async (status, details = {}) => {
      const timestamp = nextTimestamp(state.lastTimestamp || undefined, now());
      const step = stepOf(status, timestamp, details);
      if (state.statuses.length === 0) {
        await log.recordFirstSteps([stepOf(receivedStatus, state.receivedAt, {}), step], details.claims ?? [], details.reads ?? [], details.answerPending ? { answerPending: true } : {});
        state.statuses.push(receivedStatus);
      } else {
        if (details.claims?.length || details.reads?.length) throw new MiddlewareOrderError('claims and reads go with the first step a handler records');
        await log.record(step, details.answerPending ? { answerPending: true } : {});
      }
      state.lastTimestamp = timestamp;
      state.statuses.push(status);
      return timestamp;
    };
  };

  const before = (request: Request): void => {
    const ids = internalOf(request)[InternalKey.transaction];
    if (!ids) throw new MiddlewareOrderError('snapshot needs the transaction middleware before it');
    const receivedAt = now().toISOString();
    const state: SnapshotState = { statuses: [], lastTimestamp: receivedAt, receivedAt };
    internalOf(request)[InternalKey.snapshot] = state;
    Object.assign(request.context, { recordStep: recorder(request, ids, state) });
  };

  const onError = async (request: Request): Promise<void> => {
    const state = internalOf(request)[InternalKey.snapshot];
    const ids = internalOf(request)[InternalKey.transaction];
    const error = request.error;
    if (!state || !ids || !isBusinessRejection(error) || state.statuses.includes(rejectedStatus)) return;
    try {
      await recorder(request, ids, state)(rejectedStatus, {
        reasonCode: error.reasonCode,
        ...(error.messageIds ? { messageIds: error.messageIds } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
        ...(answerRejections ? { answerPending: true } : {}),
      });
    } catch (cause) {
      // The rejection still has to reach the caller; losing the step is the lesser harm, and it is logged.
      (error as { snapshotFailure?: unknown }).snapshotFailure = cause;
    }
  };

  return { before, onError };
}
