import { documentMessage, headerMessage, type MessageDef } from '../dsl';

/** The messages the project supports, by identifier. */
export const messages = {
  'pacs.008.001.08': documentMessage('pacs.008.001.08', 'FIToFICstmrCdtTrf', 'FIToFICustomerCreditTransferV08'),
  'pacs.002.001.10': documentMessage('pacs.002.001.10', 'FIToFIPmtStsRpt', 'FIToFIPaymentStatusReportV10'),
  'pacs.004.001.09': documentMessage('pacs.004.001.09', 'PmtRtr', 'PaymentReturnV09'),
  'pacs.028.001.03': documentMessage('pacs.028.001.03', 'FIToFIPmtStsReq', 'FIToFIPaymentStatusRequestV03'),
  'camt.056.001.08': documentMessage('camt.056.001.08', 'FIToFIPmtCxlReq', 'FIToFIPaymentCancellationRequestV08'),
  'camt.029.001.09': documentMessage('camt.029.001.09', 'RsltnOfInvstgtn', 'ResolutionOfInvestigationV09'),
  'pain.001.001.09': documentMessage('pain.001.001.09', 'CstmrCdtTrfInitn', 'CustomerCreditTransferInitiationV09'),
  'pain.002.001.10': documentMessage('pain.002.001.10', 'CstmrPmtStsRpt', 'CustomerPaymentStatusReportV10'),
  'pain.013.001.07': documentMessage('pain.013.001.07', 'CdtrPmtActvtnReq', 'CreditorPaymentActivationRequestV07'),
  'pain.014.001.07': documentMessage('pain.014.001.07', 'CdtrPmtActvtnReqStsRpt', 'CreditorPaymentActivationRequestStatusReportV07'),
  'camt.060.001.05': documentMessage('camt.060.001.05', 'AcctRptgReq', 'AccountReportingRequestV05'),
  'camt.052.001.08': documentMessage('camt.052.001.08', 'BkToCstmrAcctRpt', 'BankToCustomerAccountReportV08'),
  'camt.053.001.08': documentMessage('camt.053.001.08', 'BkToCstmrStmt', 'BankToCustomerStatementV08'),
  'camt.054.001.08': documentMessage('camt.054.001.08', 'BkToCstmrDbtCdtNtfctn', 'BankToCustomerDebitCreditNotificationV08'),
  'head.001.001.02': headerMessage('head.001.001.02', 'AppHdr', 'BusinessApplicationHeaderV02'),
} as const satisfies Record<string, MessageDef>;

export type MessageId = keyof typeof messages;
