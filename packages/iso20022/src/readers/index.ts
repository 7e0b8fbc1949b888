export { creditTransfers, type CreditTransfer, type CreditTransferGroupHeader, type CreditTransferMessage } from './credit-transfers';
