/**
 * What a message that acts on an earlier transaction says about it: the
 * cancellation request (camt.056), the return (pacs.004) and the status
 * request (pacs.028) each name their original by OrgnlUETR, OrgnlEndToEndId
 * or OrgnlMsgId, whichever they carry.
 */
import { ReaderInputError } from '../errors';
import { moneyFromAmount, type Money } from '../money';
import { child, compact, isObject, items, messageRoot, optionalText, requiredText, type JsonObject } from './json';

/** One original transaction a message refers to. */
export interface OriginalReference {
  /** Type of the original (`pacs.008`), from OrgnlMsgNmId (`pacs.008.001.08`); absent when the message does not say. */
  readonly messageType?: string;
  readonly msgId?: string;
  readonly endToEndId?: string;
  readonly uetr?: string;
  /** OrgnlTxId: the original's TxId, as its first instructing agent assigned it. */
  readonly txId?: string;
  /** OrgnlInstrId */
  readonly instructionId?: string;
  /** The returned amount (RtrdIntrBkSttlmAmt) of a return. */
  readonly amount?: Money;
  /** The return's id (RtrId), or the cancellation's (CxlId). */
  readonly id?: string;
  /** Reason code the sender gives (CxlRsnInf/Rsn/Cd, RtrRsnInf/Rsn/Cd). */
  readonly reasonCode?: string;
}

/** A message acting on earlier transactions. */
export interface OriginalReferences {
  /** The message's own id: GrpHdr/MsgId, or Assgnmt/Id of a camt.056. */
  readonly msgId: string;
  readonly creationDateTime: string;
  readonly originals: readonly OriginalReference[];
}

const ROOTS = {
  camt056: 'FIToFIPmtCxlReq',
  pacs004: 'PmtRtr',
  pacs028: 'FIToFIPmtStsReq',
} as const;

const typeOf = (messageNameId: string | undefined): string | undefined => (messageNameId ? messageNameId.split('.').slice(0, 2).join('.') : undefined);

function groupOf(node: JsonObject | undefined, path: string): { messageType?: string; msgId?: string } {
  if (!node) return {};
  return compact({ msgId: optionalText(node, 'OrgnlMsgId', path), messageType: typeOf(optionalText(node, 'OrgnlMsgNmId', path)) });
}

function reasonOf(node: JsonObject, key: string, path: string): string | undefined {
  const info = items(node, key)[0];
  if (!isObject(info)) return undefined;
  return optionalText(child(info, 'Rsn', `${path}.${key}[0]`), 'Cd', `${path}.${key}[0].Rsn`);
}

function transactionOf(node: unknown, path: string, group: { messageType?: string; msgId?: string }, amountKey?: string): OriginalReference {
  if (!isObject(node)) throw new ReaderInputError(path, 'a transaction must be an object');
  const own = groupOf(child(node, 'OrgnlGrpInf', path), `${path}.OrgnlGrpInf`);
  return compact({
    messageType: own.messageType ?? group.messageType,
    msgId: own.msgId ?? group.msgId,
    endToEndId: optionalText(node, 'OrgnlEndToEndId', path),
    uetr: optionalText(node, 'OrgnlUETR', path),
    txId: optionalText(node, 'OrgnlTxId', path),
    instructionId: optionalText(node, 'OrgnlInstrId', path),
    amount: amountKey && node[amountKey] !== undefined ? moneyFromAmount(node[amountKey], `${path}.${amountKey}`) : undefined,
    id: optionalText(node, 'RtrId', path) ?? optionalText(node, 'CxlId', path),
    reasonCode: reasonOf(node, 'CxlRsnInf', path) ?? reasonOf(node, 'RtrRsnInf', path),
  });
}

/**
 * Reads the originals a camt.056, pacs.004 or pacs.028 (JSON form) refers to,
 * each with whichever of OrgnlUETR, OrgnlEndToEndId and OrgnlMsgId it carries.
 * A message that names only an original group gives one reference with its MsgId.
 *
 * @throws ReaderInputError naming the path when the document is none of the three, or an element is wrongly shaped
 */
export function originalReferences(document: unknown): OriginalReferences {
  const body = isObject(document) && isObject(document.Document) ? document.Document : document;
  if (isObject(body) && isObject(body[ROOTS.camt056])) {
    const { node, path } = messageRoot(document, ROOTS.camt056, 'a camt.056');
    const assignment = child(node, 'Assgnmt', path) ?? {};
    const originals = items(node, 'Undrlyg').flatMap((underlying, index) => {
      const underlyingPath = `${path}.Undrlyg[${index}]`;
      if (!isObject(underlying)) throw new ReaderInputError(underlyingPath, 'Undrlyg must be an object');
      const group = groupOf(child(underlying, 'OrgnlGrpInfAndCxl', underlyingPath), `${underlyingPath}.OrgnlGrpInfAndCxl`);
      const transactions = items(underlying, 'TxInf').map((tx, txIndex) => transactionOf(tx, `${underlyingPath}.TxInf[${txIndex}]`, group));
      return transactions.length > 0 ? transactions : group.msgId ? [group] : [];
    });
    return {
      msgId: requiredText(assignment, 'Id', `${path}.Assgnmt`),
      creationDateTime: requiredText(assignment, 'CreDtTm', `${path}.Assgnmt`),
      originals,
    };
  }
  const root = isObject(body) && isObject(body[ROOTS.pacs004]) ? ROOTS.pacs004 : ROOTS.pacs028;
  const { node, path } = messageRoot(document, root, 'a camt.056, pacs.004 or pacs.028');
  const header = child(node, 'GrpHdr', path) ?? {};
  const groups = root === ROOTS.pacs004 ? [child(node, 'OrgnlGrpInf', path)] : items(node, 'OrgnlGrpInf').map((group) => (isObject(group) ? group : undefined));
  const group = groupOf(groups[0], `${path}.OrgnlGrpInf`);
  const transactions = items(node, 'TxInf').map((tx, index) => transactionOf(tx, `${path}.TxInf[${index}]`, group, root === ROOTS.pacs004 ? 'RtrdIntrBkSttlmAmt' : undefined));
  return {
    msgId: requiredText(header, 'MsgId', `${path}.GrpHdr`),
    creationDateTime: requiredText(header, 'CreDtTm', `${path}.GrpHdr`),
    originals: transactions.length > 0 ? transactions : group.msgId ? [group] : [],
  };
}
