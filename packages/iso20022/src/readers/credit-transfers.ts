/**
 * Reads a pacs.008 (FI to FI customer credit transfer) in the JSON form into
 * readable domain values, so that domain code never walks ISO 20022 tags.
 * Element positions follow pacs.008.001.08 (`FIToFICustomerCreditTransferV08`,
 * `GroupHeader93`, `CreditTransferTransaction39`).
 */
import { ReaderInputError } from '../errors';
import { moneyFromAmount, type Money } from '../money';
import { accountOf, bicOf, child, compact, isObject, items, messageRoot, optionalText, requiredText, type JsonObject } from './json';

/** The group header of a pacs.008 (`GrpHdr`). */
export interface CreditTransferGroupHeader {
  /** `MsgId` */
  readonly msgId: string;
  /** `CreDtTm`, as written in the message. */
  readonly createdAt: string;
  /** `NbOfTxs`, as written (a numeric text of up to 15 digits). */
  readonly numberOfTransactions: string;
  /** `SttlmInf/SttlmMtd`: `INDA`, `INGA`, `COVE` or `CLRG`. */
  readonly settlementMethod?: string;
  /** `IntrBkSttlmDt` of the group, when the group carries it. */
  readonly settlementDate?: string;
  /** `TtlIntrBkSttlmAmt` */
  readonly totalAmount?: Money;
  /** `InstgAgt/FinInstnId/BICFI` of the group. */
  readonly instructingAgentBic?: string;
  /** `InstdAgt/FinInstnId/BICFI` of the group. */
  readonly instructedAgentBic?: string;
}

/** One transaction of a pacs.008 (`CdtTrfTxInf`). */
export interface CreditTransfer {
  /** `PmtId/InstrId` */
  readonly instructionId?: string;
  /** `PmtId/EndToEndId` */
  readonly endToEndId: string;
  /** `PmtId/TxId` */
  readonly txId?: string;
  /** `PmtId/UETR` */
  readonly uetr?: string;
  /** `IntrBkSttlmAmt`: the amount settled between the agents. */
  readonly amount: Money;
  /** The transaction's `IntrBkSttlmDt`, else the group header's (which then applies to every transaction). */
  readonly settlementDate?: string;
  /** BIC of the transaction's `InstgAgt`, else of the group header's. */
  readonly instructingAgentBic?: string;
  /** BIC of the transaction's `InstdAgt`, else of the group header's. */
  readonly instructedAgentBic?: string;
  /** `DbtrAgt/FinInstnId/BICFI` */
  readonly debtorAgentBic?: string;
  /** `CdtrAgt/FinInstnId/BICFI` */
  readonly creditorAgentBic?: string;
  /** `Dbtr/Nm` */
  readonly debtorName?: string;
  /** `Cdtr/Nm` */
  readonly creditorName?: string;
  /** `DbtrAcct/Id/IBAN`, else `DbtrAcct/Id/Othr/Id`. */
  readonly debtorAccount?: string;
  /** `CdtrAcct/Id/IBAN`, else `CdtrAcct/Id/Othr/Id`. */
  readonly creditorAccount?: string;
}

/** A pacs.008 read into domain values. */
export interface CreditTransferMessage {
  readonly groupHeader: CreditTransferGroupHeader;
  /** The transactions, in message order. */
  readonly transfers: readonly CreditTransfer[];
}

const root = 'FIToFICstmrCdtTrf';

function groupHeaderOf(message: JsonObject, messagePath: string): CreditTransferGroupHeader {
  const path = `${messagePath}.GrpHdr`;
  const node = child(message, 'GrpHdr', messagePath);
  if (node === undefined) throw new ReaderInputError(path, 'GrpHdr is missing');
  return compact<CreditTransferGroupHeader>({
    msgId: requiredText(node, 'MsgId', path),
    createdAt: requiredText(node, 'CreDtTm', path),
    numberOfTransactions: requiredText(node, 'NbOfTxs', path),
    settlementMethod: optionalText(child(node, 'SttlmInf', path), 'SttlmMtd', `${path}.SttlmInf`),
    settlementDate: optionalText(node, 'IntrBkSttlmDt', path),
    totalAmount: node.TtlIntrBkSttlmAmt === undefined ? undefined : moneyFromAmount(node.TtlIntrBkSttlmAmt, `${path}.TtlIntrBkSttlmAmt`),
    instructingAgentBic: bicOf(child(node, 'InstgAgt', path), `${path}.InstgAgt`),
    instructedAgentBic: bicOf(child(node, 'InstdAgt', path), `${path}.InstdAgt`),
  });
}

function transferOf(node: unknown, path: string, header: CreditTransferGroupHeader): CreditTransfer {
  if (!isObject(node)) throw new ReaderInputError(path, 'a CdtTrfTxInf must be an object');
  const paymentId = child(node, 'PmtId', path);
  if (paymentId === undefined) throw new ReaderInputError(`${path}.PmtId`, 'PmtId is missing');
  const idPath = `${path}.PmtId`;
  // An agent given in the transaction replaces the group's, even when it is identified otherwise than by BIC.
  const instructingAgent = child(node, 'InstgAgt', path);
  const instructedAgent = child(node, 'InstdAgt', path);
  return compact<CreditTransfer>({
    instructionId: optionalText(paymentId, 'InstrId', idPath),
    endToEndId: requiredText(paymentId, 'EndToEndId', idPath),
    txId: optionalText(paymentId, 'TxId', idPath),
    uetr: optionalText(paymentId, 'UETR', idPath),
    amount: moneyFromAmount(node.IntrBkSttlmAmt, `${path}.IntrBkSttlmAmt`),
    settlementDate: optionalText(node, 'IntrBkSttlmDt', path) ?? header.settlementDate,
    instructingAgentBic: instructingAgent ? bicOf(instructingAgent, `${path}.InstgAgt`) : header.instructingAgentBic,
    instructedAgentBic: instructedAgent ? bicOf(instructedAgent, `${path}.InstdAgt`) : header.instructedAgentBic,
    debtorAgentBic: bicOf(child(node, 'DbtrAgt', path), `${path}.DbtrAgt`),
    creditorAgentBic: bicOf(child(node, 'CdtrAgt', path), `${path}.CdtrAgt`),
    debtorName: optionalText(child(node, 'Dbtr', path), 'Nm', `${path}.Dbtr`),
    creditorName: optionalText(child(node, 'Cdtr', path), 'Nm', `${path}.Cdtr`),
    debtorAccount: accountOf(child(node, 'DbtrAcct', path), `${path}.DbtrAcct`),
    creditorAccount: accountOf(child(node, 'CdtrAcct', path), `${path}.CdtrAcct`),
  });
}

/**
 * Reads a pacs.008 in the JSON form (the `document` of `parseMessage`) into a
 * group header and its transfers with readable names and {@link Money}
 * amounts. It reads; it does not check business rules (`checkBusinessRules`
 * does), so read a message that has passed them.
 *
 * @param document `{ FIToFICstmrCdtTrf: … }` or `{ Document: { FIToFICstmrCdtTrf: … } }`
 * @throws ReaderInputError naming the path when the document is not a pacs.008, or a required element is
 * missing or wrongly shaped; InvalidAmountError naming the path of an amount that cannot be a {@link Money}
 */
export function creditTransfers(document: unknown): CreditTransferMessage {
  const { node, path } = messageRoot(document, root, 'a pacs.008 (FI to FI customer credit transfer)');
  const header = groupHeaderOf(node, path);
  const transactions = items(node, 'CdtTrfTxInf');
  if (transactions.length === 0) throw new ReaderInputError(`${path}.CdtTrfTxInf`, 'a pacs.008 has at least one CdtTrfTxInf');
  return {
    groupHeader: header,
    transfers: transactions.map((transaction, index) => transferOf(transaction, `${path}.CdtTrfTxInf[${index}]`, header)),
  };
}
