import type { MiddlewareObj, Request } from '@middy/core';
import { Status, type RecordPublisher } from '@mxflow/contracts';
import type { EngineOptions } from '@mxflow/iso20022';
import { InternalKey, bodyBytes, internalOf } from '@mxflow/middleware';
import { rejectionAnswer } from '@mxflow/runtime';
import type { TransactionLog } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MessageRejectedError } from '../domain/errors';

/** Options of {@link negativeResponse}. */
export interface NegativeResponseOptions {
  readonly bus: RecordPublisher;
  /** Told when the answer is out, so that the sweep leaves the rejection (the snapshot records it as pending its answer). */
  readonly log: Pick<TransactionLog, 'answered'>;
  readonly engine?: EngineOptions;
  /** Where a response that cannot be built or sent is reported; the caller still gets its 4xx. */
  readonly onFailure: (error: unknown) => void;
}

/**
 * After a rejection was recorded, produces the negative response (a pacs.002
 * RJCT with the reason code, or what the message type answers with) to
 * `outgoing.<type>`, addressed to the sender, so that it is archived and
 * notified like any other, and then says the rejection is answered. It is
 * built from the received bytes and the recorded rejection only (its reason,
 * words and timestamp), as the timeout sweep builds it when a crash came in
 * between: either way the same bytes. A message too broken to echo its ids
 * gets none. Use it before `snapshot` (with `answerRejections`): middy runs
 * `onError` in reverse order, so the RJCT step is written first.
 */
export function negativeResponse(options: NegativeResponseOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const onError = async (request: Request<APIGatewayProxyEventV2>): Promise<void> => {
    const error = request.error;
    const ids = internalOf(request)[InternalKey.transaction];
    const caller = internalOf(request)[InternalKey.caller];
    const archived = internalOf(request)[InternalKey.archive];
    const snapshot = internalOf(request)[InternalKey.snapshot];
    if (!(error instanceof MessageRejectedError) || !ids || !caller || !archived) return;
    let answer: ReturnType<typeof rejectionAnswer>;
    try {
      answer = rejectionAnswer(
        // The recorded rejection: the snapshot wrote it last.
        { timestamp: snapshot?.lastTimestamp ?? new Date().toISOString(), requestId: ids.requestId, reasonCode: error.reasonCode, detail: error.detail },
        { transactionId: ids.transactionId, senderEntity: caller.entityId },
        bodyBytes(request.event),
        options.engine,
      );
    } catch (failure) {
      // Too broken to echo its ids: no answer can be built, now or later.
      options.onFailure(failure);
      answer = undefined;
    }
    try {
      if (answer) await options.bus.publish([answer]);
      if (snapshot?.statuses.includes(Status.RJCT)) await options.log.answered(ids.transactionId);
    } catch (failure) {
      // Left pending its answer: the timeout sweep sends it.
      options.onFailure(failure);
    }
  };
  return { onError };
}
