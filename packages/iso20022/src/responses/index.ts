import { resolutionOfCancellation, statusReportForCreditTransfer, statusReportForReturn, statusReportForStatusRequest } from './build';
import { ResponseInputError } from './errors';
import { CancellationStatus, TransactionStatus, type BuiltMessage, type ResponseEnvelope, type ResponseStatus, type StatusDecision } from './types';

export {
  resolutionOfCancellation,
  statusReportForCreditTransfer,
  statusReportForPaymentInitiation,
  statusReportForReturn,
  statusReportForStatusRequest,
} from './build';
export { ResponseInputError } from './errors';
export {
  CancellationStatus,
  PaymentGroupStatus,
  PaymentTransferStatus,
  TransactionStatus,
  type BuiltMessage,
  type PaymentInitiationDecision,
  type TransferStatusDecision,
  type ResponseEnvelope,
  type ResponseStatus,
  type StatusDecision,
} from './types';

/** The response message type for each message type that gets one. */
export const responseTypes = {
  'pacs.008': 'pacs.002.001.10',
  'pacs.004': 'pacs.002.001.10',
  'pacs.028': 'pacs.002.001.10',
  'camt.056': 'camt.029.001.09',
} as const;

const isTransactionStatus = (status: string): status is TransactionStatus => Object.hasOwn(TransactionStatus, status);
const isCancellationStatus = (status: string): status is CancellationStatus => Object.hasOwn(CancellationStatus, status);

/**
 * Builds the response to a message from its identifier: pacs.002 for a
 * pacs.008, pacs.004 or pacs.028, camt.029 for a camt.056.
 *
 * @param messageId identifier of the original (`pacs.008.001.08`)
 * @param original the original document in the JSON form
 * @throws ResponseInputError when the message type gets no response, or the status does not fit it
 */
export function buildResponse(messageId: string, original: unknown, decision: StatusDecision<ResponseStatus>, envelope: ResponseEnvelope): BuiltMessage {
  const type = messageId.slice(0, 8);
  const { status } = decision;
  if (type === 'camt.056') {
    if (!isCancellationStatus(status)) throw new ResponseInputError('status', `a camt.056 is answered with CNCL, RJCR or PDCR, not ${status}`);
    return resolutionOfCancellation(original, { ...decision, status }, envelope);
  }
  const forType = { 'pacs.008': statusReportForCreditTransfer, 'pacs.004': statusReportForReturn, 'pacs.028': statusReportForStatusRequest }[type];
  if (!forType) throw new ResponseInputError('messageId', `${messageId} gets no response; responses exist for ${Object.keys(responseTypes).join(', ')}`);
  if (!isTransactionStatus(status)) throw new ResponseInputError('status', `a ${type} is answered with ACSC, ACSP or RJCT, not ${status}`);
  return forType(original, { ...decision, status }, envelope);
}
