import type { MiddlewareObj, Request } from '@middy/core';
import { InternalKey, MiddlewareOrderError, bodyBytes, internalOf } from '@mxflow/middleware';
import type { UsageMeter } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ArchiveQuotaExceededError } from '../domain/errors';
import { quotaWindow } from '../domain/submission';

/** Options of {@link archiveQuota}. */
export interface ArchiveQuotaOptions {
  readonly meter: UsageMeter;
  /** What one participant may archive per hour, in bytes. */
  readonly limitBytes: number;
  readonly now?: () => Date;
}

/**
 * Counts the body against the caller's archive quota before it is archived:
 * the archive keeps every body for years under a COMPLIANCE lock, rejected
 * ones too, so a participant may not write without bound. Over the quota the
 * request is refused (429) and nothing is archived. Runs after `auth`, and
 * after idempotency, so that a replayed answer costs nothing.
 *
 * @throws ArchiveQuotaExceededError
 */
export function archiveQuota(options: ArchiveQuotaOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const now = options.now ?? (() => new Date());
  const before = async (request: Request<APIGatewayProxyEventV2>): Promise<void> => {
    const caller = internalOf(request)[InternalKey.caller];
    if (!caller) throw new MiddlewareOrderError('archiveQuota needs the auth middleware before it');
    const { window, expiresAt, retryAfterSeconds } = quotaWindow(now());
    const counted = await options.meter.consume(`archive#${caller.entityId}`, window, bodyBytes(request.event).byteLength, options.limitBytes, expiresAt);
    if (!counted) throw new ArchiveQuotaExceededError(options.limitBytes, retryAfterSeconds);
  };
  return { before };
}
