/**
 * Reads a pain.001 (customer credit transfer initiation) in the JSON form into
 * readable domain values. Element positions follow pain.001.001.09
 * (`CustomerCreditTransferInitiationV09`, `GroupHeader85`,
 * `PaymentInstruction30`, `CreditTransferTransaction34`).
 */
import { ReaderInputError } from '../errors';
import { moneyFromAmount, type Money } from '../money';
import { accountOf, bicOf, child, compact, isObject, items, messageRoot, optionalText, requiredChild, requiredText, type JsonObject } from './json';

/** The group header of a pain.001 (`GrpHdr`). */
export interface PaymentInitiationGroupHeader {
  /** `MsgId` */
  readonly msgId: string;
  /** `CreDtTm`, as written in the message. */
  readonly creationDateTime: string;
  /** `NbOfTxs`, as written: the transfers of every payment information block. */
  readonly numberOfTransactions: string;
  /** `CtrlSum`, as written: a decimal over every transfer, whatever its currency. */
  readonly controlSum?: string;
  /** `InitgPty/Nm` */
  readonly initiatingPartyName?: string;
}

/** One transfer of a payment information block (`CdtTrfTxInf`). */
export interface InitiatedTransfer {
  /** `PmtId/InstrId` */
  readonly instructionId?: string;
  /** `PmtId/EndToEndId` */
  readonly endToEndId: string;
  /** `PmtId/UETR` */
  readonly uetr?: string;
  /** `Amt/InstdAmt`: the amount the debtor instructs, in its currency. */
  readonly amount: Money;
  /** The transfer's `ChrgBr`, else the payment information block's. */
  readonly chargeBearer?: string;
  /** `CdtrAgt/FinInstnId/BICFI` */
  readonly creditorAgentBic?: string;
  /** `Cdtr/Nm` */
  readonly creditorName?: string;
  /** `CdtrAcct/Id/IBAN`, else `CdtrAcct/Id/Othr/Id`. */
  readonly creditorAccount?: string;
}

/** One payment information block (`PmtInf`): a debtor's account and the transfers made from it. */
export interface PaymentInformation {
  /** `PmtInfId` */
  readonly paymentInformationId: string;
  /** `ReqdExctnDt/Dt`, or `ReqdExctnDt/DtTm` when the debtor gave a time, as written. */
  readonly requestedExecutionDate: string;
  /** `Dbtr/Nm` */
  readonly debtorName?: string;
  /** `DbtrAcct/Id/IBAN`, else `DbtrAcct/Id/Othr/Id`. */
  readonly debtorAccount?: string;
  /** `DbtrAgt/FinInstnId/BICFI` */
  readonly debtorAgentBic?: string;
  /** `ChrgBr` of the block, which applies to each transfer that does not give its own. */
  readonly chargeBearer?: string;
  /** The transfers, in message order. */
  readonly transfers: readonly InitiatedTransfer[];
}

/** A pain.001 read into domain values. */
export interface PaymentInitiation {
  readonly groupHeader: PaymentInitiationGroupHeader;
  /** The payment information blocks, in message order. */
  readonly payments: readonly PaymentInformation[];
}

const root = 'CstmrCdtTrfInitn';

/** The root of a pain.001 document with its JSON path; used by the readers and builders of pain.001. */
export const paymentInitiationRoot = (document: unknown): { node: JsonObject; path: string } =>
  messageRoot(document, root, 'a pain.001 (customer credit transfer initiation)');

function groupHeaderOf(message: JsonObject, messagePath: string): PaymentInitiationGroupHeader {
  const path = `${messagePath}.GrpHdr`;
  const node = requiredChild(message, 'GrpHdr', messagePath);
  return compact<PaymentInitiationGroupHeader>({
    msgId: requiredText(node, 'MsgId', path),
    creationDateTime: requiredText(node, 'CreDtTm', path),
    numberOfTransactions: requiredText(node, 'NbOfTxs', path),
    controlSum: optionalText(node, 'CtrlSum', path),
    initiatingPartyName: optionalText(child(node, 'InitgPty', path), 'Nm', `${path}.InitgPty`),
  });
}

/** `Amt/InstdAmt` (an `AmountType4Choice`) of a transfer at `path`; used by the readers of pain.001 and pain.013. */
export function instructedAmountOf(node: JsonObject, path: string): Money {
  const amount = requiredChild(node, 'Amt', path);
  const amountPath = `${path}.Amt`;
  if (amount.InstdAmt !== undefined) return moneyFromAmount(amount.InstdAmt, `${amountPath}.InstdAmt`);
  // An equivalent amount is expressed in another currency and converted by the debtor agent: there is no amount to settle yet.
  if (amount.EqvtAmt !== undefined) {
    throw new ReaderInputError(`${amountPath}.EqvtAmt`, 'an equivalent amount is not read: only a transfer with an InstdAmt has an amount in its own currency');
  }
  throw new ReaderInputError(`${amountPath}.InstdAmt`, 'InstdAmt is missing');
}

/** One `CdtTrfTxInf` read into domain values; `chargeBearer` is the block's, which the transfer's own replaces. */
export function transferOf(node: unknown, path: string, chargeBearer: string | undefined): InitiatedTransfer {
  if (!isObject(node)) throw new ReaderInputError(path, 'a CdtTrfTxInf must be an object');
  const paymentId = requiredChild(node, 'PmtId', path);
  const idPath = `${path}.PmtId`;
  return compact<InitiatedTransfer>({
    instructionId: optionalText(paymentId, 'InstrId', idPath),
    endToEndId: requiredText(paymentId, 'EndToEndId', idPath),
    uetr: optionalText(paymentId, 'UETR', idPath),
    amount: instructedAmountOf(node, path),
    chargeBearer: optionalText(node, 'ChrgBr', path) ?? chargeBearer,
    creditorAgentBic: bicOf(child(node, 'CdtrAgt', path), `${path}.CdtrAgt`),
    creditorName: optionalText(child(node, 'Cdtr', path), 'Nm', `${path}.Cdtr`),
    creditorAccount: accountOf(child(node, 'CdtrAcct', path), `${path}.CdtrAcct`),
  });
}

function paymentOf(node: unknown, path: string): PaymentInformation {
  if (!isObject(node)) throw new ReaderInputError(path, 'a PmtInf must be an object');
  const executionDate = requiredChild(node, 'ReqdExctnDt', path);
  const datePath = `${path}.ReqdExctnDt`;
  const chargeBearer = optionalText(node, 'ChrgBr', path);
  const transfers = items(node, 'CdtTrfTxInf');
  if (transfers.length === 0) throw new ReaderInputError(`${path}.CdtTrfTxInf`, 'a PmtInf has at least one CdtTrfTxInf');
  return compact<PaymentInformation>({
    paymentInformationId: requiredText(node, 'PmtInfId', path),
    requestedExecutionDate: optionalText(executionDate, 'Dt', datePath) ?? requiredText(executionDate, 'DtTm', datePath),
    debtorName: optionalText(child(node, 'Dbtr', path), 'Nm', `${path}.Dbtr`),
    debtorAccount: accountOf(child(node, 'DbtrAcct', path), `${path}.DbtrAcct`),
    debtorAgentBic: bicOf(child(node, 'DbtrAgt', path), `${path}.DbtrAgt`),
    chargeBearer,
    transfers: transfers.map((transfer, index) => transferOf(transfer, `${path}.CdtTrfTxInf[${index}]`, chargeBearer)),
  });
}

/**
 * Reads a pain.001 in the JSON form (the `document` of `parseMessage`) into a
 * group header and its payment information blocks, each with its transfers,
 * with readable names and {@link Money} amounts. It reads; it does not check
 * business rules, so read a message that has passed them.
 *
 * @param document `{ CstmrCdtTrfInitn: … }` or `{ Document: { CstmrCdtTrfInitn: … } }`
 * @throws ReaderInputError naming the path when the document is not a pain.001, a required element is missing
 * or wrongly shaped, or a transfer gives only an equivalent amount (`Amt/EqvtAmt`); InvalidAmountError naming
 * the path of an amount that cannot be a {@link Money}
 */
export function paymentInitiations(document: unknown): PaymentInitiation {
  const { node, path } = paymentInitiationRoot(document);
  const groupHeader = groupHeaderOf(node, path);
  const payments = items(node, 'PmtInf');
  if (payments.length === 0) throw new ReaderInputError(`${path}.PmtInf`, 'a pain.001 has at least one PmtInf');
  return { groupHeader, payments: payments.map((payment, index) => paymentOf(payment, `${path}.PmtInf[${index}]`)) };
}
