import { randomUUID } from 'node:crypto';
import type { MiddlewareObj, Request } from '@middy/core';
import { InternalKey, internalOf, type TransactionIds } from './context';

/** Options of {@link transaction}. */
export interface TransactionOptions {
  /** Source of UUIDs (default `crypto.randomUUID`). */
  readonly newId?: () => string;
  /** Clock (default `new Date()`). */
  readonly now?: () => Date;
}

const defaults = {
  newId: (): string => randomUUID(),
  now: (): Date => new Date(),
};

/**
 * Gives the request a new transaction id and request id (UUIDs) and its
 * arrival time. Sets `context.transaction` and `request.internal['middleware.transaction']`.
 */
export function transaction(options: TransactionOptions = {}): MiddlewareObj {
  const { newId, now } = { ...defaults, ...options };

  const before = (request: Request): void => {
    const ids: TransactionIds = { transactionId: newId(), requestId: newId(), receivedAt: now().toISOString() };
    internalOf(request)[InternalKey.transaction] = ids;
    Object.assign(request.context, { transaction: ids });
  };

  return { before };
}
