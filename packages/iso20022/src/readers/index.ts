export { creditTransfers, type CreditTransfer, type CreditTransferGroupHeader, type CreditTransferMessage } from './credit-transfers';
export {
  paymentInitiations,
  type InitiatedTransfer,
  type PaymentInformation,
  type PaymentInitiation,
  type PaymentInitiationGroupHeader,
} from './payment-initiations';
export { originalReferences, type OriginalReference, type OriginalReferences } from './original-references';
export { accountReportRequests, type AccountReportRequest, type AccountReportRequests } from './account-report-request';
export {
  paymentRequestAnswers,
  paymentRequests,
  type PaymentRequest,
  type PaymentRequestAnswer,
  type PaymentRequests,
  type PaymentRequestTransferAnswer,
} from './request-to-pay';
