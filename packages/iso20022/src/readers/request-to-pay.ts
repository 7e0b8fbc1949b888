/**
 * Reads request-to-pay messages in the JSON form: the creditor's request
 * (pain.013.001.07, `CreditorPaymentActivationRequestV07`, `GroupHeader78`,
 * `PaymentInstruction31`, `CreditTransferTransaction35`) and the debtor side's
 * answer (pain.014.001.07, `CreditorPaymentActivationRequestStatusReportV07`,
 * `OriginalGroupInformation30`, `OriginalPaymentInstruction31`,
 * `PaymentTransaction104`). An accepted request is then paid by a pacs.008
 * carrying the request's UETR and EndToEndId.
 */
import { NotAPaymentRequestAnswerError, NotAPaymentRequestError, ReaderInputError } from '../errors';
import type { Money } from '../money';
import { bicOf, child, compact, isObject, items, messageRoot, optionalText, requiredChild, requiredText, type JsonObject } from './json';
import { instructedAmountOf } from './payment-initiations';

/** One transfer a creditor asks for (`PmtInf/CdtTrfTx`), with what its block says about all of its transfers. */
export interface PaymentRequest {
  /** `PmtInf/PmtInfId`: required here, since the answer names the block (`OrgnlPmtInfId`) of each transfer it reports. */
  readonly paymentInformationId: string;
  /** `CdtTrfTx/PmtId/InstrId` */
  readonly instructionId?: string;
  /** `CdtTrfTx/PmtId/EndToEndId` */
  readonly endToEndId: string;
  /** `CdtTrfTx/PmtId/UETR`: the pacs.008 that pays the request carries it. */
  readonly uetr?: string;
  /** `CdtTrfTx/Amt/InstdAmt` */
  readonly amount: Money;
  /** `PmtInf/ReqdExctnDt/Dt`, or `ReqdExctnDt/DtTm`, as written. */
  readonly requestedExecutionDate?: string;
  /** `PmtInf/XpryDt/Dt`, or `XpryDt/DtTm`, as written: after it, the request can no longer be paid. */
  readonly expiryDate?: string;
  /** `PmtInf/DbtrAgt/FinInstnId/BICFI` */
  readonly debtorAgentBic?: string;
  /** `CdtTrfTx/CdtrAgt/FinInstnId/BICFI` */
  readonly creditorAgentBic?: string;
  /** `PmtInf/Dbtr/Nm` */
  readonly debtorName?: string;
  /** `CdtTrfTx/Cdtr/Nm` */
  readonly creditorName?: string;
}

/** A pain.013 read into domain values. */
export interface PaymentRequests {
  /** `GrpHdr/MsgId` */
  readonly msgId: string;
  /** `GrpHdr/CreDtTm`, as written. */
  readonly creationDateTime: string;
  /** `GrpHdr/InitgPty/Nm` */
  readonly initiatingPartyName?: string;
  /** Every transfer of every block, in message order. */
  readonly requests: readonly PaymentRequest[];
}

/** What a pain.014 says about one requested transfer (or, without transfers, about a block or the whole request). */
export interface PaymentRequestTransferAnswer {
  /** `OrgnlPmtInfAndSts/OrgnlPmtInfId` */
  readonly originalPaymentInformationId?: string;
  /** `TxInfAndSts/OrgnlInstrId` */
  readonly originalInstructionId?: string;
  /** `TxInfAndSts/OrgnlEndToEndId` */
  readonly originalEndToEndId?: string;
  /** `TxInfAndSts/OrgnlUETR` */
  readonly originalUetr?: string;
  /** `TxInfAndSts/TxSts`, else the block's `PmtInfSts`, else the group's `GrpSts`. */
  readonly status?: string;
  /** `StsRsnInf/Rsn/Cd` of the level the status comes from (or a more specific one). */
  readonly reasonCode?: string;
  /** The first `StsRsnInf/AddtlInf` of that same `StsRsnInf`. */
  readonly additionalInfo?: string;
}

/** A pain.014 read into domain values. */
export interface PaymentRequestAnswer {
  /** `OrgnlGrpInfAndSts/OrgnlMsgId`: the MsgId of the pain.013 answered. */
  readonly originalMsgId: string;
  /** `OrgnlGrpInfAndSts/OrgnlMsgNmId` (`pain.013.001.07`). */
  readonly originalMessageName?: string;
  /** `OrgnlGrpInfAndSts/GrpSts` */
  readonly groupStatus?: string;
  readonly answers: readonly PaymentRequestTransferAnswer[];
}

const REQUEST_ROOT = 'CdtrPmtActvtnReq';
const ANSWER_ROOT = 'CdtrPmtActvtnReqStsRpt';

/** `Dt`, else `DtTm`, of a `DateAndDateTime2Choice`, as written. */
function dateOf(node: JsonObject, key: string, path: string): string | undefined {
  const choice = child(node, key, path);
  if (choice === undefined) return undefined;
  const at = `${path}.${key}`;
  const value = optionalText(choice, 'Dt', at) ?? optionalText(choice, 'DtTm', at);
  if (value === undefined) throw new ReaderInputError(`${at}.Dt`, `${key} has neither Dt nor DtTm`);
  return value;
}

function requestsOf(block: unknown, path: string): PaymentRequest[] {
  if (!isObject(block)) throw new ReaderInputError(path, 'a PmtInf must be an object');
  const transfers = items(block, 'CdtTrfTx');
  if (transfers.length === 0) throw new ReaderInputError(`${path}.CdtTrfTx`, 'a PmtInf has at least one CdtTrfTx');
  const shared = {
    paymentInformationId: requiredText(block, 'PmtInfId', path),
    requestedExecutionDate: dateOf(block, 'ReqdExctnDt', path),
    expiryDate: dateOf(block, 'XpryDt', path),
    debtorAgentBic: bicOf(child(block, 'DbtrAgt', path), `${path}.DbtrAgt`),
    debtorName: optionalText(child(block, 'Dbtr', path), 'Nm', `${path}.Dbtr`),
  };
  return transfers.map((transfer, index) => {
    const at = `${path}.CdtTrfTx[${index}]`;
    if (!isObject(transfer)) throw new ReaderInputError(at, 'a CdtTrfTx must be an object');
    const ids = requiredChild(transfer, 'PmtId', at);
    return compact<PaymentRequest>({
      paymentInformationId: shared.paymentInformationId,
      instructionId: optionalText(ids, 'InstrId', `${at}.PmtId`),
      endToEndId: requiredText(ids, 'EndToEndId', `${at}.PmtId`),
      uetr: optionalText(ids, 'UETR', `${at}.PmtId`),
      amount: instructedAmountOf(transfer, at),
      requestedExecutionDate: shared.requestedExecutionDate,
      expiryDate: shared.expiryDate,
      debtorAgentBic: shared.debtorAgentBic,
      creditorAgentBic: bicOf(child(transfer, 'CdtrAgt', at), `${at}.CdtrAgt`),
      debtorName: shared.debtorName,
      creditorName: optionalText(child(transfer, 'Cdtr', at), 'Nm', `${at}.Cdtr`),
    });
  });
}

/** The root of a pain.013 document with its JSON path; used by the reader and by the pain.014 builder. */
export const paymentRequestRoot = (document: unknown): { node: JsonObject; path: string } =>
  messageRoot(document, REQUEST_ROOT, 'a pain.013 (creditor payment activation request)', NotAPaymentRequestError);

/**
 * Reads a pain.013 (request to pay) in the JSON form (the `document` of
 * `parseMessage`) into its group header and one {@link PaymentRequest} per
 * requested transfer, each with what its block (`PmtInf`) says: debtor, debtor
 * agent, requested execution date and expiry. It reads; it checks no business
 * rule.
 *
 * @param document `{ CdtrPmtActvtnReq: … }` or `{ Document: { CdtrPmtActvtnReq: … } }`
 * @throws NotAPaymentRequestError naming the path when the document is not a pain.013; ReaderInputError naming
 * the path of a required element that is missing or wrongly shaped (a block without `PmtInfId` included, since its
 * transfers could not be answered) or of a transfer that gives only an equivalent amount; InvalidAmountError naming
 * the path of an amount that cannot be a {@link Money}
 */
export function paymentRequests(document: unknown): PaymentRequests {
  const { node, path } = paymentRequestRoot(document);
  const header = requiredChild(node, 'GrpHdr', path);
  const headerPath = `${path}.GrpHdr`;
  const blocks = items(node, 'PmtInf');
  if (blocks.length === 0) throw new ReaderInputError(`${path}.PmtInf`, 'a pain.013 has at least one PmtInf');
  return compact<PaymentRequests>({
    msgId: requiredText(header, 'MsgId', headerPath),
    creationDateTime: requiredText(header, 'CreDtTm', headerPath),
    initiatingPartyName: optionalText(child(header, 'InitgPty', headerPath), 'Nm', `${headerPath}.InitgPty`),
    requests: blocks.flatMap((block, index) => requestsOf(block, `${path}.PmtInf[${index}]`)),
  });
}

/** One level of a pain.014 that may carry a status and its reasons: a transaction, a block or the group. */
interface StatusLevel {
  readonly status?: string;
  readonly reasons: unknown[];
  readonly path: string;
}

/**
 * The status of the most specific level that has one, and the first reason
 * found from the most specific level up to that one: a transaction's own
 * reason wins, and a group's reason is not given to a transaction that has a
 * status of its own.
 */
function statusOf(levels: readonly StatusLevel[]): Pick<PaymentRequestTransferAnswer, 'status' | 'reasonCode' | 'additionalInfo'> {
  const decisive = levels.findIndex((level) => level.status !== undefined);
  const considered = decisive < 0 ? levels : levels.slice(0, decisive + 1);
  const withReason = considered.find((level) => level.reasons.length > 0);
  const first = withReason?.reasons[0];
  if (withReason === undefined) return compact({ status: levels[decisive]?.status });
  const at = `${withReason.path}.StsRsnInf[0]`;
  if (!isObject(first)) throw new ReaderInputError(at, 'a StsRsnInf must be an object');
  const info = items(first, 'AddtlInf')[0];
  if (info !== undefined && typeof info !== 'string') throw new ReaderInputError(`${at}.AddtlInf[0]`, 'AddtlInf must be a string');
  return compact({
    status: levels[decisive]?.status,
    reasonCode: optionalText(child(first, 'Rsn', at), 'Cd', `${at}.Rsn`),
    additionalInfo: info,
  });
}

function levelOf(node: JsonObject, statusKey: string, path: string): StatusLevel {
  return { status: optionalText(node, statusKey, path), reasons: items(node, 'StsRsnInf'), path };
}

/**
 * Reads a pain.014 (the answer to a request to pay) in the JSON form into the
 * original request's identification and one answer per reported transfer
 * (`TxInfAndSts`), in message order. A block reported without transfers gives
 * one answer for the block, and a report without blocks one answer for the
 * whole request. Each answer has the status of the transfer, else of its block,
 * else of the group, with the reason (code and first additional information)
 * given at that level or a more specific one.
 *
 * @param document `{ CdtrPmtActvtnReqStsRpt: … }` or `{ Document: { CdtrPmtActvtnReqStsRpt: … } }`
 * @throws NotAPaymentRequestAnswerError naming the path when the document is not a pain.014; ReaderInputError
 * naming the path of a required element that is missing or wrongly shaped
 */
export function paymentRequestAnswers(document: unknown): PaymentRequestAnswer {
  const { node, path } = messageRoot(document, ANSWER_ROOT, 'a pain.014 (creditor payment activation request status report)', NotAPaymentRequestAnswerError);
  const groupPath = `${path}.OrgnlGrpInfAndSts`;
  const group = requiredChild(node, 'OrgnlGrpInfAndSts', path);
  const groupLevel = levelOf(group, 'GrpSts', groupPath);
  const blocks = items(node, 'OrgnlPmtInfAndSts');
  const answers = blocks.flatMap((block, index): PaymentRequestTransferAnswer[] => {
    const blockPath = `${path}.OrgnlPmtInfAndSts[${index}]`;
    if (!isObject(block)) throw new ReaderInputError(blockPath, 'an OrgnlPmtInfAndSts must be an object');
    const paymentInformationId = optionalText(block, 'OrgnlPmtInfId', blockPath);
    const blockLevel = levelOf(block, 'PmtInfSts', blockPath);
    const transactions = items(block, 'TxInfAndSts');
    if (transactions.length === 0) return [compact({ originalPaymentInformationId: paymentInformationId, ...statusOf([blockLevel, groupLevel]) })];
    return transactions.map((transaction, position) => {
      const at = `${blockPath}.TxInfAndSts[${position}]`;
      if (!isObject(transaction)) throw new ReaderInputError(at, 'a TxInfAndSts must be an object');
      return compact<PaymentRequestTransferAnswer>({
        originalPaymentInformationId: paymentInformationId,
        originalInstructionId: optionalText(transaction, 'OrgnlInstrId', at),
        originalEndToEndId: optionalText(transaction, 'OrgnlEndToEndId', at),
        originalUetr: optionalText(transaction, 'OrgnlUETR', at),
        ...statusOf([levelOf(transaction, 'TxSts', at), blockLevel, groupLevel]),
      });
    });
  });
  return compact<PaymentRequestAnswer>({
    originalMsgId: requiredText(group, 'OrgnlMsgId', groupPath),
    originalMessageName: optionalText(group, 'OrgnlMsgNmId', groupPath),
    groupStatus: groupLevel.status,
    answers: blocks.length > 0 ? answers : [statusOf([groupLevel])],
  });
}
