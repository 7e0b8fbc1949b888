import { CancellationStatus, Reason, Status, encodeOutgoing, responseMsgId, type EncodedRecord } from '@mxflow/contracts';
import { PaymentGroupStatus, TransactionStatus, buildResponse, paymentRequestRefusal, responseTypes, statusReportForPaymentInitiation, toJson, type EngineOptions } from '@mxflow/iso20022';
import type { TransactionStep, TransactionSummary } from '@mxflow/store';

/**
 * The negative response to a rejected message (a pacs.002 RJCT, a camt.029
 * RJCR, a pain.002 for a whole pain.001, a pain.014 for a pain.013), addressed to its sender. It is
 * built from the message as archived on receipt and the recorded rejection
 * only (its reason code, its words, its timestamp as the response's CreDtTm,
 * a MsgId made from the transaction id), so that every step that answers the
 * same rejection builds the same bytes: the step that rejected it, or the
 * sweep that answers it after a crash. `undefined` for a message that gets
 * no response, or when its sender is not known.
 */
export function rejectionAnswer(
  step: Pick<TransactionStep, 'timestamp' | 'requestId' | 'reasonCode' | 'detail'>,
  summary: Pick<TransactionSummary, 'transactionId' | 'senderEntity' | 'parentTransactionId'>,
  received: Uint8Array,
  engine?: EngineOptions,
): EncodedRecord | undefined {
  if (!summary.senderEntity) return undefined;
  const message = toJson(received, engine);
  const reason = step.reasonCode ?? Reason.AB05;
  const answered = { transactionId: summary.transactionId, requestId: step.requestId, receiverEntity: summary.senderEntity, status: Status.RJCT, reasonCode: reason };
  if (message.messageType === 'pain.001') {
    // A payment initiation is answered with a pain.002 for the whole of it.
    const report = statusReportForPaymentInitiation(
      message.document,
      { groupStatus: PaymentGroupStatus.RJCT, reason, ...(step.detail ? { additionalInfo: step.detail } : {}) },
      { msgId: responseMsgId(summary.transactionId), creationDateTime: step.timestamp },
    );
    return encodeOutgoing({ messageId: report.messageId, messageType: 'pain.002', document: report.document, ...answered });
  }
  if (message.messageType === 'pain.013') {
    // A request to pay is refused (or expires) with a pain.014 RJCT to the creditor's participant; one too broken to echo gets none.
    const report = paymentRequestRefusal(message.document, { reason, ...(step.detail ? { additionalInfo: step.detail } : {}) }, { msgId: responseMsgId(summary.transactionId), creationDateTime: step.timestamp });
    if (!report) return undefined;
    return encodeOutgoing({ messageId: report.messageId, messageType: 'pain.014', document: report.document, ...answered });
  }
  if (!responseTypes[message.messageType as keyof typeof responseTypes]) return undefined;
  const built = buildResponse(
    message.messageId,
    message.document,
    { status: message.messageType === 'camt.056' ? CancellationStatus.RJCR : TransactionStatus.RJCT, reason, ...(step.detail ? { additionalInfo: step.detail } : {}) },
    { msgId: responseMsgId(summary.transactionId), creationDateTime: step.timestamp, originalMessageId: message.messageId },
  );
  return encodeOutgoing({
    messageId: built.messageId,
    messageType: built.messageId.split('.').slice(0, 2).join('.'),
    document: built.document,
    ...answered,
    ...(summary.parentTransactionId ? { parentTransactionId: summary.parentTransactionId } : {}),
  });
}
