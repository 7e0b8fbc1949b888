import { ResponseInputError } from './errors';
import {
  CancellationStatus,
  PaymentGroupStatus,
  PaymentTransferStatus,
  TransactionStatus,
  type PaymentInitiationDecision,
  type BuiltMessage,
  type ResponseEnvelope,
  type StatusDecision,
} from './types';

type JsonObject = Record<string, unknown>;

const isObject = (node: unknown): node is JsonObject => typeof node === 'object' && node !== null && !Array.isArray(node);
const list = (node: unknown): unknown[] => (node === undefined ? [] : Array.isArray(node) ? node : [node]);
const objects = (node: unknown): JsonObject[] => list(node).filter(isObject);
const text = (node: unknown): string | undefined => (typeof node === 'string' ? node : undefined);

/** Drops the keys whose value is undefined, so optional elements are simply absent. */
function compact(entries: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/** The message root of a document in the JSON form, unwrapping `{ Document: … }`. */
function rootOf(document: unknown, root: string, messageType: string): JsonObject {
  const body = isObject(document) && isObject(document.Document) ? document.Document : document;
  const node = isObject(body) ? body[root] : undefined;
  if (!isObject(node)) throw new ResponseInputError(`$.${root}`, `the original is not a ${messageType}: it has no ${root}`);
  return node;
}

function required(node: JsonObject, key: string, path: string): string {
  const value = text(node[key]);
  if (value === undefined) throw new ResponseInputError(`${path}.${key}`, `the original lacks ${key}, which the response must echo`);
  return value;
}

const creationPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function checkEnvelope(envelope: ResponseEnvelope): void {
  if (envelope.msgId.length < 1 || envelope.msgId.length > 35) throw new ResponseInputError('msgId', `must have 1 to 35 characters, has ${envelope.msgId.length}`);
  if (!creationPattern.test(envelope.creationDateTime)) {
    throw new ResponseInputError('creationDateTime', `'${envelope.creationDateTime}' is not ISO 8601 UTC with milliseconds`);
  }
}

/**
 * StsRsnInf / CxlStsRsnInf for a decision, or undefined when it has neither reason nor text.
 *
 * @param at prefix of the option names in errors (`transactions[1].`), empty for the decision itself
 */
function reasonInformation(decision: { status: string; reason?: string; additionalInfo?: string }, rejection: string, at = ''): JsonObject[] | undefined {
  const { status, reason, additionalInfo } = decision;
  if (status === rejection && reason === undefined) throw new ResponseInputError(`${at}reason`, `status ${status} needs a reason code`);
  if (reason !== undefined && !/^[A-Z0-9]{4}$/.test(reason)) throw new ResponseInputError(`${at}reason`, `'${reason}' is not a 4-character ISO 20022 reason code`);
  if (additionalInfo !== undefined && (additionalInfo.length < 1 || additionalInfo.length > 105)) {
    throw new ResponseInputError(`${at}additionalInfo`, `must have 1 to 105 characters, has ${additionalInfo.length}`);
  }
  if (reason === undefined && additionalInfo === undefined) return undefined;
  return [compact({ Rsn: reason === undefined ? undefined : { Cd: reason }, AddtlInf: additionalInfo === undefined ? undefined : [additionalInfo] })];
}

function checkStatus(status: string, allowed: Record<string, string>, option = 'status'): void {
  if (!Object.hasOwn(allowed, status)) throw new ResponseInputError(option, `'${status}' is not one of ${Object.keys(allowed).join(', ')}`);
}

/** GrpHdr of a pacs.002: the response goes back, so the original's instructing and instructed agents swap. */
function statusReportHeader(original: JsonObject, envelope: ResponseEnvelope): JsonObject {
  return compact({
    MsgId: envelope.msgId,
    CreDtTm: envelope.creationDateTime,
    InstgAgt: original.InstdAgt,
    InstdAgt: original.InstgAgt,
  });
}

function originalGroup(header: JsonObject, messageName: string, path: string): JsonObject {
  return compact({ OrgnlMsgId: required(header, 'MsgId', path), OrgnlMsgNmId: messageName, OrgnlCreDtTm: text(header.CreDtTm) });
}

/** References of one transaction as a pacs.002 echoes them. */
interface EchoedReferences {
  readonly instructionId: unknown;
  readonly endToEndId: unknown;
  readonly transactionId: unknown;
  readonly uetr: unknown;
}

/**
 * A pacs.002.001.10 answering every transaction of one original group with
 * the same decision: the two builders for pacs.008 and pacs.004 differ only in
 * where the original keeps its references.
 */
function groupStatusReport(
  root: JsonObject,
  rootName: string,
  originalMessage: string,
  transactions: readonly EchoedReferences[],
  decision: StatusDecision<TransactionStatus>,
  envelope: ResponseEnvelope,
): BuiltMessage {
  const header = root.GrpHdr;
  if (!isObject(header)) throw new ResponseInputError(`$.${rootName}.GrpHdr`, 'the original has no group header');
  const reasons = reasonInformation(decision, TransactionStatus.RJCT);
  const statuses = transactions.map((tx) =>
    compact({
      OrgnlInstrId: text(tx.instructionId),
      OrgnlEndToEndId: text(tx.endToEndId),
      OrgnlTxId: text(tx.transactionId),
      OrgnlUETR: text(tx.uetr),
      TxSts: decision.status,
      StsRsnInf: reasons,
    }),
  );
  return {
    messageId: 'pacs.002.001.10',
    document: {
      FIToFIPmtStsRpt: compact({
        GrpHdr: statusReportHeader(header, envelope),
        OrgnlGrpInfAndSts: [originalGroup(header, originalMessage, `$.${rootName}.GrpHdr`)],
        TxInfAndSts: statuses.length > 0 ? statuses : undefined,
      }),
    },
  };
}

/**
 * Builds the pacs.002.001.10 answering a pacs.008.001.08: the original group
 * (OrgnlMsgId, OrgnlMsgNmId, OrgnlCreDtTm) and, for every credit transfer, its
 * references (OrgnlInstrId, OrgnlEndToEndId, OrgnlTxId, OrgnlUETR) with the
 * status and, when given, the reason.
 *
 * @throws ResponseInputError when the original lacks its group header, or a rejection has no reason
 */
export function statusReportForCreditTransfer(original: unknown, decision: StatusDecision<TransactionStatus>, envelope: ResponseEnvelope): BuiltMessage {
  checkEnvelope(envelope);
  checkStatus(decision.status, TransactionStatus);
  const root = rootOf(original, 'FIToFICstmrCdtTrf', 'pacs.008');
  const transactions = objects(root.CdtTrfTxInf).map((tx) => {
    const ids = isObject(tx.PmtId) ? tx.PmtId : {};
    return { instructionId: ids.InstrId, endToEndId: ids.EndToEndId, transactionId: ids.TxId, uetr: ids.UETR };
  });
  return groupStatusReport(root, 'FIToFICstmrCdtTrf', envelope.originalMessageId ?? 'pacs.008.001.08', transactions, decision, envelope);
}

/**
 * Builds the pacs.002.001.10 answering a pacs.004.001.09: the return message
 * as original group and, for every returned transaction, the return's
 * references (OrgnlInstrId is the RtrId; OrgnlEndToEndId, OrgnlTxId and
 * OrgnlUETR are those the return carries) with the status.
 *
 * @throws ResponseInputError when the original lacks its group header, or a rejection has no reason
 */
export function statusReportForReturn(original: unknown, decision: StatusDecision<TransactionStatus>, envelope: ResponseEnvelope): BuiltMessage {
  checkEnvelope(envelope);
  checkStatus(decision.status, TransactionStatus);
  const root = rootOf(original, 'PmtRtr', 'pacs.004');
  const transactions = objects(root.TxInf).map((tx) => ({
    instructionId: tx.RtrId,
    endToEndId: tx.OrgnlEndToEndId,
    transactionId: tx.OrgnlTxId,
    uetr: tx.OrgnlUETR,
  }));
  return groupStatusReport(root, 'PmtRtr', envelope.originalMessageId ?? 'pacs.004.001.09', transactions, decision, envelope);
}

/**
 * Builds the pacs.002.001.10 answering a pacs.028.001.03 status request with
 * the current status of each asked transaction (given by the caller, who
 * knows it). The groups and transactions are those the request names; a
 * request naming only groups gets the status at group level.
 *
 * @throws ResponseInputError when the request names neither group nor transaction, or a rejection has no reason
 */
export function statusReportForStatusRequest(original: unknown, decision: StatusDecision<TransactionStatus>, envelope: ResponseEnvelope): BuiltMessage {
  checkEnvelope(envelope);
  checkStatus(decision.status, TransactionStatus);
  const root = rootOf(original, 'FIToFIPmtStsReq', 'pacs.028');
  const header = isObject(root.GrpHdr) ? root.GrpHdr : {};
  const reasons = reasonInformation(decision, TransactionStatus.RJCT);
  const asked = objects(root.TxInf);
  const groups = objects(root.OrgnlGrpInf).map((group, index) =>
    compact({
      OrgnlMsgId: required(group, 'OrgnlMsgId', `$.FIToFIPmtStsReq.OrgnlGrpInf[${index}]`),
      OrgnlMsgNmId: required(group, 'OrgnlMsgNmId', `$.FIToFIPmtStsReq.OrgnlGrpInf[${index}]`),
      OrgnlCreDtTm: text(group.OrgnlCreDtTm),
      OrgnlNbOfTxs: text(group.OrgnlNbOfTxs),
      OrgnlCtrlSum: text(group.OrgnlCtrlSum),
      GrpSts: asked.length === 0 ? decision.status : undefined,
      StsRsnInf: asked.length === 0 ? reasons : undefined,
    }),
  );
  if (groups.length === 0 && asked.length === 0) throw new ResponseInputError('$.FIToFIPmtStsReq', 'the status request names no group and no transaction');
  const transactions = asked.map((tx) =>
    compact({
      OrgnlGrpInf: isObject(tx.OrgnlGrpInf) ? tx.OrgnlGrpInf : undefined,
      OrgnlInstrId: text(tx.OrgnlInstrId),
      OrgnlEndToEndId: text(tx.OrgnlEndToEndId),
      OrgnlTxId: text(tx.OrgnlTxId),
      OrgnlUETR: text(tx.OrgnlUETR),
      TxSts: decision.status,
      StsRsnInf: reasons,
      AccptncDtTm: text(tx.AccptncDtTm),
      ClrSysRef: text(tx.ClrSysRef),
    }),
  );
  return {
    messageId: 'pacs.002.001.10',
    document: {
      FIToFIPmtStsRpt: compact({
        GrpHdr: statusReportHeader(header, envelope),
        OrgnlGrpInfAndSts: groups.length > 0 ? groups : undefined,
        TxInfAndSts: transactions.length > 0 ? transactions : undefined,
      }),
    },
  };
}

/** TxCxlSts per outcome: the transaction-level code list names an accepted cancellation ACCR. */
const transactionCancellationStatus = { CNCL: 'ACCR', RJCR: 'RJCR', PDCR: 'PDCR' } as const;

/**
 * Builds the camt.029.001.09 resolving a camt.056.001.08 cancellation request:
 * the assignment goes back (assigner and assignee swap), the case is echoed,
 * Sts/Conf carries CNCL, RJCR or PDCR, and every underlying transaction gets
 * its cancellation status (ACCR, RJCR, PDCR) with the reason.
 *
 * @throws ResponseInputError when the request lacks its assignment, or a rejection has no reason
 */
export function resolutionOfCancellation(original: unknown, decision: StatusDecision<CancellationStatus>, envelope: ResponseEnvelope): BuiltMessage {
  checkEnvelope(envelope);
  checkStatus(decision.status, CancellationStatus);
  const root = rootOf(original, 'FIToFIPmtCxlReq', 'camt.056');
  const assignment = root.Assgnmt;
  if (!isObject(assignment) || !isObject(assignment.Assgnr) || !isObject(assignment.Assgne)) {
    throw new ResponseInputError('$.FIToFIPmtCxlReq.Assgnmt', 'the request has no assignment with assigner and assignee');
  }
  const reasons = reasonInformation(decision, CancellationStatus.RJCR);
  const details = objects(root.Undrlyg).map((underlying, index) => {
    const group = isObject(underlying.OrgnlGrpInfAndCxl) ? underlying.OrgnlGrpInfAndCxl : undefined;
    const transactions = objects(underlying.TxInf).map((tx) =>
      compact({
        RslvdCase: isObject(tx.Case) ? tx.Case : undefined,
        OrgnlGrpInf: isObject(tx.OrgnlGrpInf) ? tx.OrgnlGrpInf : undefined,
        OrgnlInstrId: text(tx.OrgnlInstrId),
        OrgnlEndToEndId: text(tx.OrgnlEndToEndId),
        OrgnlTxId: text(tx.OrgnlTxId),
        OrgnlClrSysRef: text(tx.OrgnlClrSysRef),
        OrgnlUETR: text(tx.OrgnlUETR),
        TxCxlSts: transactionCancellationStatus[decision.status],
        CxlStsRsnInf: reasons,
        OrgnlIntrBkSttlmAmt: tx.OrgnlIntrBkSttlmAmt,
        OrgnlIntrBkSttlmDt: text(tx.OrgnlIntrBkSttlmDt),
      }),
    );
    const groupPath = `$.FIToFIPmtCxlReq.Undrlyg[${index}].OrgnlGrpInfAndCxl`;
    return compact({
      OrgnlGrpInfAndSts: group
        ? compact({
            OrgnlGrpCxlId: text(group.GrpCxlId),
            RslvdCase: isObject(group.Case) ? group.Case : undefined,
            OrgnlMsgId: required(group, 'OrgnlMsgId', groupPath),
            OrgnlMsgNmId: required(group, 'OrgnlMsgNmId', groupPath),
            OrgnlCreDtTm: text(group.OrgnlCreDtTm),
            OrgnlNbOfTxs: text(group.NbOfTxs),
            OrgnlCtrlSum: text(group.CtrlSum),
            GrpCxlSts: transactions.length === 0 ? transactionCancellationStatus[decision.status] : undefined,
            CxlStsRsnInf: transactions.length === 0 ? reasons : undefined,
          })
        : undefined,
      TxInfAndSts: transactions.length > 0 ? transactions : undefined,
    });
  });
  return {
    messageId: 'camt.029.001.09',
    document: {
      RsltnOfInvstgtn: compact({
        Assgnmt: { Id: envelope.msgId, Assgnr: assignment.Assgne, Assgne: assignment.Assgnr, CreDtTm: envelope.creationDateTime },
        RslvdCase: isObject(root.Case) ? root.Case : undefined,
        Sts: { Conf: decision.status },
        CxlDtls: details.length > 0 ? details : undefined,
      }),
    },
  };
}

/**
 * Builds the pain.002.001.10 answering a pain.001.001.09: the original group
 * (OrgnlMsgId, OrgnlMsgNmId, OrgnlCreDtTm, OrgnlNbOfTxs, OrgnlCtrlSum) with the
 * group status and its reason and, when transfers are reported one by one, an
 * OrgnlPmtInfAndSts per block holding them (in the order of the pain.001) with
 * each transfer's references (OrgnlInstrId, OrgnlEndToEndId, OrgnlUETR), status
 * and reason. The debtor agent sends it: when every block names the same one,
 * it is the report's `GrpHdr/DbtrAgt`.
 *
 * @param original the pain.001 in the JSON form: `{ CstmrCdtTrfInitn: … }` or `{ Document: { CstmrCdtTrfInitn: … } }`
 * @throws ResponseInputError when the original lacks its group header, a status is not of its code list, a
 * rejection has no reason, or a reported transfer is not in the original (the path names the option:
 * `transactions[1].endToEndId`)
 */
export function statusReportForPaymentInitiation(original: unknown, decision: PaymentInitiationDecision, envelope: ResponseEnvelope): BuiltMessage {
  checkEnvelope(envelope);
  checkStatus(decision.groupStatus, PaymentGroupStatus, 'groupStatus');
  const root = rootOf(original, 'CstmrCdtTrfInitn', 'pain.001');
  const header = root.GrpHdr;
  if (!isObject(header)) throw new ResponseInputError('$.CstmrCdtTrfInitn.GrpHdr', 'the original has no group header');
  const groupReasons = reasonInformation({ ...decision, status: decision.groupStatus }, PaymentGroupStatus.RJCT);
  const blocks = objects(root.PmtInf);

  // Reported transfers are grouped per block, in the original's order, whatever the order they were given in.
  const reported = new Map<JsonObject, JsonObject[]>();
  (decision.transactions ?? []).forEach((tx, index) => {
    const at = `transactions[${index}].`;
    checkStatus(tx.status, PaymentTransferStatus, `${at}status`);
    const block = blocks.find((candidate) => candidate.PmtInfId === tx.paymentInformationId);
    if (!block) throw new ResponseInputError(`${at}paymentInformationId`, `the original has no PmtInf '${tx.paymentInformationId}'`);
    const transfer = objects(block.CdtTrfTxInf).find((candidate) => isObject(candidate.PmtId) && candidate.PmtId.EndToEndId === tx.endToEndId);
    if (!transfer) throw new ResponseInputError(`${at}endToEndId`, `PmtInf '${tx.paymentInformationId}' has no transfer with EndToEndId '${tx.endToEndId}'`);
    const ids = transfer.PmtId as JsonObject;
    const statuses = reported.get(block) ?? [];
    statuses.push(
      compact({
        OrgnlInstrId: text(ids.InstrId),
        OrgnlEndToEndId: tx.endToEndId,
        OrgnlUETR: text(ids.UETR),
        TxSts: tx.status,
        StsRsnInf: reasonInformation(tx, PaymentTransferStatus.RJCT, at),
      }),
    );
    reported.set(block, statuses);
  });
  const paymentStatuses = blocks
    .filter((block) => reported.has(block))
    .map((block) => compact({ OrgnlPmtInfId: block.PmtInfId, OrgnlNbOfTxs: text(block.NbOfTxs), OrgnlCtrlSum: text(block.CtrlSum), TxInfAndSts: reported.get(block) }));

  const debtorAgents = new Set(blocks.map((block) => JSON.stringify(block.DbtrAgt)));
  const debtorAgent = blocks.length > 0 && debtorAgents.size === 1 && isObject(blocks[0].DbtrAgt) ? blocks[0].DbtrAgt : undefined;
  return {
    messageId: 'pain.002.001.10',
    document: {
      CstmrPmtStsRpt: compact({
        GrpHdr: compact({ MsgId: envelope.msgId, CreDtTm: envelope.creationDateTime, DbtrAgt: debtorAgent }),
        OrgnlGrpInfAndSts: compact({
          ...originalGroup(header, 'pain.001.001.09', '$.CstmrCdtTrfInitn.GrpHdr'),
          OrgnlNbOfTxs: text(header.NbOfTxs),
          OrgnlCtrlSum: text(header.CtrlSum),
          GrpSts: decision.groupStatus,
          StsRsnInf: groupReasons,
        }),
        OrgnlPmtInfAndSts: paymentStatuses.length > 0 ? paymentStatuses : undefined,
      }),
    },
  };
}
