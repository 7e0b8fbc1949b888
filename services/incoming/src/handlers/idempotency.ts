import { createHash } from 'node:crypto';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { InternalKey, MiddlewareOrderError, bodyBytes, headerOf, internalOf } from '@mxflow/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { idempotencyKeyOf } from '../domain/submission';

/** What the idempotency middleware of Powertools reads from the event. */
export interface IdempotencyInput {
  /** See {@link idempotencyKeyOf}. */
  readonly key: string;
  /** SHA-256 of the body: the same key with another body is refused. */
  readonly hash: string;
}

/** The event once {@link idempotencyInput} has run. */
export type KeyedEvent = APIGatewayProxyEventV2 & { idempotency?: IdempotencyInput };

/** JMESPath expressions for Powertools' IdempotencyConfig. */
export const IDEMPOTENCY_PATHS = { eventKeyJmesPath: 'idempotency.key', payloadValidationJmesPath: 'idempotency.hash' } as const;

/**
 * Puts the request's idempotency key and body hash on the event, for
 * Powertools' `makeHandlerIdempotent` after it, when the request has an
 * `Idempotency-Key` header. Runs after `auth` (the key is the caller's).
 * Without the header nothing is put there, and Powertools is skipped: the
 * MsgId claim, written with the transaction's first steps, decides a repeat
 * (the same bytes get their transaction's 202, other bytes AM05), and two
 * more writes per message would decide nothing.
 */
export function idempotencyInput(): MiddlewareObj<KeyedEvent> {
  const before = (request: Request<KeyedEvent>): void => {
    const caller = internalOf(request)[InternalKey.caller];
    if (!caller) throw new MiddlewareOrderError('idempotencyInput needs the auth middleware before it');
    const { event } = request;
    const header = headerOf(event, 'idempotency-key');
    const key = header === undefined ? undefined : idempotencyKeyOf(caller.entityId, header);
    event.idempotency = key ? { key, hash: createHash('sha256').update(bodyBytes(event)).digest('base64') } : undefined;
  };
  return { before };
}

const OWNS_RECORD = 'incoming.idempotency.ownsRecord';
const internal = (request: Request<KeyedEvent>): Record<string, unknown> => request.internal as Record<string, unknown>;

/**
 * Powertools' `makeHandlerIdempotent`, deleting the idempotency record on
 * error only when this request acquired it. In 2.35.0 its `onError` deletes
 * the record whenever anything failed, its own `before` included: a duplicate
 * refused as in progress, or a body refused as different, would delete the
 * original request's record and let the next copy run again (Powertools
 * issue 5675, fixed after 2.35.0). Drop this wrapper once that release is in.
 */
export function idempotent(options: Parameters<typeof makeHandlerIdempotent>[0]): MiddlewareObj<KeyedEvent> {
  const inner = makeHandlerIdempotent(options);
  const before = async (request: Request<KeyedEvent>): Promise<unknown> => {
    internal(request)[OWNS_RECORD] = false;
    // No Idempotency-Key: nothing to store or look up.
    if (request.event.idempotency === undefined) return undefined;
    const stored = await inner.before?.(request as Request);
    // No stored answer to replay and no refusal: this request holds the in-progress record.
    if (stored === undefined) internal(request)[OWNS_RECORD] = true;
    return stored;
  };
  const after = async (request: Request<KeyedEvent>): Promise<void> => {
    if (internal(request)[OWNS_RECORD] === true) await inner.after?.(request as Request);
  };
  const onError = async (request: Request<KeyedEvent>): Promise<void> => {
    if (internal(request)[OWNS_RECORD] === true) await inner.onError?.(request as Request);
  };
  return { before, after, onError };
}
