import type { MiddlewareObj, Request } from '@middy/core';
import type { Archive } from '@mxflow/store';
import { archiveKey } from '@mxflow/contracts';
import { ArchiveDirection, InternalKey, internalOf, type ArchivedMessage } from './context';
import { MiddlewareOrderError } from './errors';

/** The message a request carries, as the archive middleware needs it. */
export interface MessageToArchive {
  readonly body: Uint8Array;
  /** `pacs.008` */
  readonly messageType: string;
}

/** Options of {@link archive}. */
export interface ArchiveOptions {
  /** The write-once archive. */
  readonly store: Archive;
  /** Top-level prefix (default `incoming`). */
  readonly direction?: ArchiveDirection;
  /**
   * Extracts the raw message and its type from the request. It may throw to
   * refuse input that is not a message; nothing is archived then.
   */
  readonly message: (request: Request) => MessageToArchive;
}

const defaults = {
  direction: ArchiveDirection.incoming as ArchiveDirection,
};

/**
 * Archives the raw message once (WORM) before anything else reads it. Runs
 * after {@link transaction}. A retry of the same transaction with the same
 * bytes counts as archived; different bytes fail with ArchiveConflictError.
 * Sets `context.archived` and `request.internal['middleware.archive']`.
 */
export function archive(options: ArchiveOptions): MiddlewareObj {
  const { store, direction, message } = { ...defaults, ...options };

  const before = async (request: Request): Promise<void> => {
    const ids = internalOf(request)[InternalKey.transaction];
    if (!ids) throw new MiddlewareOrderError('archive needs the transaction middleware before it');
    const { body, messageType } = message(request);
    const receipt = await store.put({
      key: archiveKey(direction, ids.receivedAt, ids.transactionId, messageType),
      body,
      contentType: 'application/xml',
      metadata: { 'transaction-id': ids.transactionId, 'request-id': ids.requestId, 'message-type': messageType },
    });
    const archived: ArchivedMessage = { ...receipt, direction, messageType };
    internalOf(request)[InternalKey.archive] = archived;
    Object.assign(request.context, { archived });
  };

  return { before };
}
