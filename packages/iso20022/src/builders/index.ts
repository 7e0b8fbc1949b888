export {
  creditTransferFromInitiation,
  type BuiltCreditTransfer,
  type InterbankEnvelope,
  type TransferPosition,
} from './credit-transfer-from-initiation';
