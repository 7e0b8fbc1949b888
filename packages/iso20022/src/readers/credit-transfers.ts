/**
 * Reads a pacs.008 (FI to FI customer credit transfer) in the JSON form into
 * readable domain values, so that domain code never walks ISO 20022 tags.
 * Element positions follow pacs.008.001.08 (`FIToFICustomerCreditTransferV08`,
 * `GroupHeader93`, `CreditTransferTransaction39`).
 */
import { ReaderInputError } from '../errors';
import { moneyFromAmount, type Money } from '../money';

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

type JsonObject = Record<string, unknown>;

const root = 'FIToFICstmrCdtTrf';

const isObject = (node: unknown): node is JsonObject => typeof node === 'object' && node !== null && !Array.isArray(node);

/** Drops the keys whose value is undefined, so absent elements are absent properties. */
function compact<T extends object>(entries: T): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

/** The child object at `key`, `undefined` when absent. */
function child(node: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = node[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ReaderInputError(`${path}.${key}`, `${key} must be an object`);
  return value;
}

function optionalText(node: JsonObject | undefined, key: string, path: string): string | undefined {
  const value = node?.[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new ReaderInputError(`${path}.${key}`, `${key} must be a string`);
}

function requiredText(node: JsonObject, key: string, path: string): string {
  const value = optionalText(node, key, path);
  if (value === undefined) throw new ReaderInputError(`${path}.${key}`, `${key} is missing`);
  return value;
}

/** `FinInstnId/BICFI` of an agent (`BranchAndFinancialInstitutionIdentification6`). */
function bicOf(agent: JsonObject | undefined, path: string): string | undefined {
  if (agent === undefined) return undefined;
  return optionalText(child(agent, 'FinInstnId', path), 'BICFI', `${path}.FinInstnId`);
}

/** `Id/IBAN`, else `Id/Othr/Id` of an account (`CashAccount38`). */
function accountOf(account: JsonObject | undefined, path: string): string | undefined {
  const id = account && child(account, 'Id', path);
  if (id === undefined) return undefined;
  const idPath = `${path}.Id`;
  return optionalText(id, 'IBAN', idPath) ?? optionalText(child(id, 'Othr', idPath), 'Id', `${idPath}.Othr`);
}

/** The `FIToFICstmrCdtTrf` of a document, with its JSON path, unwrapping `{ Document: … }`. */
function messageRoot(document: unknown): { node: JsonObject; path: string } {
  const wrapped = isObject(document) && isObject(document.Document);
  const body = wrapped ? (document.Document as JsonObject) : document;
  const path = wrapped ? `$.Document.${root}` : `$.${root}`;
  const node = isObject(body) ? body[root] : undefined;
  if (isObject(node)) return { node, path };
  if (node !== undefined) throw new ReaderInputError(path, `${root} must be an object`);
  const found = isObject(body) ? Object.keys(body) : [];
  const what = found.length > 0 ? `it has ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}` : `it has no ${root}`;
  throw new ReaderInputError(path, `not a pacs.008 (FI to FI customer credit transfer): ${what}`);
}

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
  const { node, path } = messageRoot(document);
  const header = groupHeaderOf(node, path);
  const transactions = node.CdtTrfTxInf === undefined ? [] : Array.isArray(node.CdtTrfTxInf) ? node.CdtTrfTxInf : [node.CdtTrfTxInf];
  if (transactions.length === 0) throw new ReaderInputError(`${path}.CdtTrfTxInf`, 'a pacs.008 has at least one CdtTrfTxInf');
  return {
    groupHeader: header,
    transfers: transactions.map((transaction, index) => transferOf(transaction, `${path}.CdtTrfTxInf[${index}]`, header)),
  };
}
