import { createHash } from 'node:crypto';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { toJson, type EngineOptions } from '@mxflow/iso20022';
import { InternalKey, MiddlewareOrderError, bodyBytes, headerOf, internalOf } from '@mxflow/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { idempotencyKeyOf, instructingAgentOf, messageIdsOf } from '../domain/submission';

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
 * Powertools' `makeHandlerIdempotent` after it. Runs after `auth` (the key is
 * the caller's). Without an `Idempotency-Key` header the key is the message's
 * MsgId and instructing agent, read without validation; input that cannot be
 * read gets no key and is refused further on.
 */
export function idempotencyInput(engine?: EngineOptions): MiddlewareObj<KeyedEvent> {
  const before = (request: Request<KeyedEvent>): void => {
    const caller = internalOf(request)[InternalKey.caller];
    if (!caller) throw new MiddlewareOrderError('idempotencyInput needs the auth middleware before it');
    const { event } = request;
    const header = headerOf(event, 'idempotency-key');
    const body = bodyBytes(event);
    let message: { msgId?: string; agentBic?: string } | undefined;
    if (header === undefined) {
      try {
        const { document } = toJson(body, engine);
        message = { msgId: messageIdsOf(document).msgId, agentBic: instructingAgentOf(document)?.bic };
      } catch {
        message = undefined;
      }
    }
    const key = idempotencyKeyOf(caller.entityId, header, message);
    event.idempotency = key ? { key, hash: createHash('sha256').update(body).digest('base64') } : undefined;
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
    const stored = await inner.before?.(request as Request);
    // No stored answer to replay and no refusal: this request holds the in-progress record.
    if (stored === undefined) internal(request)[OWNS_RECORD] = true;
    return stored;
  };
  const onError = async (request: Request<KeyedEvent>): Promise<void> => {
    if (internal(request)[OWNS_RECORD] === true) await inner.onError?.(request as Request);
  };
  return { before, after: inner.after as MiddlewareObj<KeyedEvent>['after'], onError };
}
