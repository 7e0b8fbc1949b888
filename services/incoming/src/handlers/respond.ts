import type { MiddlewareObj, Request } from '@middy/core';
import { Status, fitText, encodeOutgoing, responseMsgId, type RecordPublisher } from '@mxflow/contracts';
import { buildResponse, toJson, type EngineOptions } from '@mxflow/iso20022';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InternalKey, bodyBytes, internalOf } from '@mxflow/middleware';
import { MessageRejectedError } from '../domain/errors';

/** Options of {@link negativeResponse}. */
export interface NegativeResponseOptions {
  readonly bus: RecordPublisher;
  readonly engine?: EngineOptions;
  /** Where a response that cannot be built or sent is reported; the caller still gets its 4xx. */
  readonly onFailure: (error: unknown) => void;
}

/**
 * After a rejection was recorded, produces the negative response (a pacs.002
 * RJCT with the reason code, or what the message type answers with) to
 * `outgoing.<type>`, addressed to the sender, so that it is archived and
 * notified like any other. A message too broken to echo its ids gets none.
 * Use it before `snapshot`: middy runs `onError` in reverse order, so the
 * RJCT step is written first.
 */
export function negativeResponse(options: NegativeResponseOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const onError = async (request: Request<APIGatewayProxyEventV2>): Promise<void> => {
    const error = request.error;
    const ids = internalOf(request)[InternalKey.transaction];
    const caller = internalOf(request)[InternalKey.caller];
    const archived = internalOf(request)[InternalKey.archive];
    if (!(error instanceof MessageRejectedError) || !ids || !caller || !archived) return;
    try {
      // A schema-invalid message has no checked JSON form; its ids are read without validation.
      const document = error.document ?? toJson(bodyBytes(request.event), options.engine).document;
      const cancellation = archived.messageType === 'camt.056';
      const built = buildResponse(
        archived.messageType,
        document,
        { status: cancellation ? 'RJCR' : Status.RJCT, reason: error.reasonCode, additionalInfo: fitText(error.issues[0]?.message ?? error.message) },
        { msgId: responseMsgId(ids.transactionId), creationDateTime: new Date().toISOString() },
      );
      const messageType = built.messageId.split('.').slice(0, 2).join('.');
      await options.bus.publish([
        encodeOutgoing({
          messageId: built.messageId,
          messageType,
          transactionId: ids.transactionId,
          requestId: ids.requestId,
          receiverEntity: caller.entityId,
          status: Status.RJCT,
          reasonCode: error.reasonCode,
          document: built.document,
        }),
      ]);
    } catch (failure) {
      options.onFailure(failure);
    }
  };
  return { onError };
}
