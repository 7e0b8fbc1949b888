export {
  creditTransferFromInitiation,
  type BuiltCreditTransfer,
  type InterbankEnvelope,
  type TransferPosition,
} from './credit-transfer-from-initiation';
export {
  accountReport,
  type AccountReportInput,
  type AccountReportMessageId,
  type BankTransactionCode,
  type BuiltAccountReport,
  type EntryReferences,
  type ReportAccount,
  type ReportEntry,
  type ReportQuery,
} from './account-report';
export {
  paymentRequestRefusal,
  paymentRequestStatusReport,
  PaymentRequestStatus,
  type BuiltPaymentRequestStatusReport,
  type PaymentRequestDecision,
  type PaymentRequestReportEnvelope,
} from './request-to-pay';
