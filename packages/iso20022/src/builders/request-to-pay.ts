/**
 * Builds the answer to a request to pay: the pain.014.001.07 (creditor payment
 * activation request status report) for a pain.013.001.07, with one status
 * for every requested transfer. The platform sends it on a participant's
 * behalf when a request expires (RJCT AB05) or when it refuses the request
 * itself (RJCT RC01, for instance).
 */
import { BuildInputError, ReaderInputError } from '../errors';
import { child, compact, isObject, items, type JsonObject } from '../readers/json';
import { paymentRequestRoot } from '../readers/request-to-pay';
import { bicProblem } from '../rules';

/** The statuses a pain.014 built here gives every transfer (and the group) of a request. */
export const PaymentRequestStatus = {
  /** Accepted by the debtor: the payment will follow. */
  ACCP: 'ACCP',
  /** Accepted technically: the request reached the debtor side and passed its checks. */
  ACTC: 'ACTC',
  /** Rejected: needs a reason code (AB05 expired, RC01 wrong BIC, …). */
  RJCT: 'RJCT',
  /** Pending: the debtor has not decided yet. */
  PDNG: 'PDNG',
} as const;
export type PaymentRequestStatus = (typeof PaymentRequestStatus)[keyof typeof PaymentRequestStatus];

/** The status given to every transfer of the request, with its reason. */
export interface PaymentRequestDecision {
  readonly status: PaymentRequestStatus;
  /** ISO 20022 status reason code (`StsRsnInf/Rsn/Cd`), required for RJCT. */
  readonly reason?: string;
  /** Free text (`StsRsnInf/AddtlInf`), 1 to 105 characters. */
  readonly additionalInfo?: string;
}

/** What the platform decides about the new message; ids and clock are inputs so that building it is a pure function. */
export interface PaymentRequestReportEnvelope {
  /** `GrpHdr/MsgId`, 1 to 35 characters. */
  readonly msgId: string;
  /** `GrpHdr/CreDtTm`, ISO 8601 UTC with milliseconds. */
  readonly creationDateTime: string;
  /**
   * BIC written as `GrpHdr/InitgPty/Id/OrgId/AnyBIC`: who the report is sent
   * for. By default the debtor agent, when every block of the request names
   * the same one.
   */
  readonly initiatingPartyBic?: string;
}

/** A pain.014.001.07 in the JSON form. */
export interface BuiltPaymentRequestStatusReport {
  readonly messageId: 'pain.014.001.07';
  readonly document: Record<string, unknown>;
}

const creationPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function checkInputs(decision: PaymentRequestDecision, envelope: PaymentRequestReportEnvelope): void {
  const { msgId, creationDateTime, initiatingPartyBic } = envelope;
  if (msgId.length < 1 || msgId.length > 35) throw new BuildInputError('msgId', `must have 1 to 35 characters, has ${msgId.length}`);
  if (!creationPattern.test(creationDateTime)) throw new BuildInputError('creationDateTime', `'${creationDateTime}' is not ISO 8601 UTC with milliseconds`);
  if (initiatingPartyBic !== undefined) {
    const problem = bicProblem(initiatingPartyBic);
    if (problem) throw new BuildInputError('initiatingPartyBic', problem);
  }
  const { status, reason, additionalInfo } = decision;
  if (!Object.hasOwn(PaymentRequestStatus, status)) throw new BuildInputError('status', `'${status}' is not one of ${Object.keys(PaymentRequestStatus).join(', ')}`);
  if (status === PaymentRequestStatus.RJCT && reason === undefined) throw new BuildInputError('reason', 'status RJCT needs a reason code');
  if (reason !== undefined && !/^[A-Z0-9]{4}$/.test(reason)) throw new BuildInputError('reason', `'${reason}' is not a 4-character ISO 20022 reason code`);
  if (additionalInfo !== undefined && (additionalInfo.length < 1 || additionalInfo.length > 105)) {
    throw new BuildInputError('additionalInfo', `must have 1 to 105 characters, has ${additionalInfo.length}`);
  }
}

/** A text the pain.014 must echo; its absence in the original is an error naming its path. */
function echoed(node: JsonObject, key: string, path: string): string {
  const value = node[key];
  if (typeof value !== 'string') throw new BuildInputError(`${path}.${key}`, `${key} is missing, and the pain.014 must echo it`);
  return value;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The one agent every item names (compared as written), if they all name the same. */
function commonAgent(agents: readonly unknown[]): JsonObject | undefined {
  const [first] = agents;
  if (!isObject(first)) return undefined;
  const written = JSON.stringify(first);
  return agents.every((agent) => JSON.stringify(agent) === written) ? first : undefined;
}

/**
 * Builds the pain.014.001.07 (JSON form) answering a pain.013.001.07 with one
 * decision for all of it: the original group (OrgnlMsgId, OrgnlMsgNmId,
 * OrgnlCreDtTm, OrgnlNbOfTxs, OrgnlCtrlSum) with the status as GrpSts, and per
 * block (OrgnlPmtInfId, the status as PmtInfSts) every transfer in the order of
 * the pain.013, with its references (OrgnlInstrId, OrgnlEndToEndId,
 * OrgnlUETR), the status and the reason. `GrpHdr/DbtrAgt` and `GrpHdr/CdtrAgt`
 * are the agents the request names, when it names one of each. Write it with
 * `toXml` and validate it with `validateXml`, like any message.
 *
 * Amounts are not read, so a request can be refused whatever its amounts are.
 *
 * @param original the pain.013 in the JSON form: `{ CdtrPmtActvtnReq: … }` or `{ Document: { CdtrPmtActvtnReq: … } }`
 * @throws BuildInputError naming the option (`status`, `reason`, `msgId`, `initiatingPartyBic`…) when it is not
 * valid for its element or RJCT has no reason, or naming the path of what the original lacks (its group header,
 * MsgId, a PmtInfId or EndToEndId the answer must echo); NotAPaymentRequestError when the original is not a pain.013
 */
export function paymentRequestStatusReport(
  original: unknown,
  decision: PaymentRequestDecision,
  envelope: PaymentRequestReportEnvelope,
): BuiltPaymentRequestStatusReport {
  checkInputs(decision, envelope);
  const { node: root, path } = paymentRequestRoot(original);
  const header = child(root, 'GrpHdr', path);
  if (header === undefined) throw new BuildInputError(`${path}.GrpHdr`, 'the original has no group header');
  const reasons = decision.reason === undefined && decision.additionalInfo === undefined
    ? undefined
    : [compact<JsonObject>({ Rsn: decision.reason === undefined ? undefined : { Cd: decision.reason }, AddtlInf: decision.additionalInfo === undefined ? undefined : [decision.additionalInfo] })];

  const blocks = items(root, 'PmtInf').map((block, index) => {
    const blockPath = `${path}.PmtInf[${index}]`;
    if (!isObject(block)) throw new BuildInputError(blockPath, 'a PmtInf must be an object');
    const transfers = items(block, 'CdtTrfTx').map((transfer, position) => {
      const at = `${blockPath}.CdtTrfTx[${position}]`;
      const ids = isObject(transfer) ? transfer.PmtId : undefined;
      if (!isObject(ids)) throw new BuildInputError(`${at}.PmtId`, 'PmtId is missing, and the pain.014 must echo its EndToEndId');
      return {
        agent: isObject(transfer) ? transfer.CdtrAgt : undefined,
        status: compact<JsonObject>({
          OrgnlInstrId: text(ids.InstrId),
          OrgnlEndToEndId: echoed(ids, 'EndToEndId', `${at}.PmtId`),
          OrgnlUETR: text(ids.UETR),
          TxSts: decision.status,
          StsRsnInf: reasons,
        }),
      };
    });
    if (transfers.length === 0) throw new BuildInputError(`${blockPath}.CdtTrfTx`, 'a PmtInf has at least one CdtTrfTx to answer');
    return {
      debtorAgent: block.DbtrAgt,
      creditorAgents: transfers.map((transfer) => transfer.agent),
      status: { OrgnlPmtInfId: echoed(block, 'PmtInfId', blockPath), PmtInfSts: decision.status, TxInfAndSts: transfers.map((transfer) => transfer.status) },
    };
  });
  if (blocks.length === 0) throw new BuildInputError(`${path}.PmtInf`, 'the original has no PmtInf to answer');

  const debtorAgent = commonAgent(blocks.map((block) => block.debtorAgent));
  const creditorAgent = commonAgent(blocks.flatMap((block) => block.creditorAgents));
  const debtorAgentBic = isObject(debtorAgent?.FinInstnId) ? text(debtorAgent.FinInstnId.BICFI) : undefined;
  const initiatingPartyBic = envelope.initiatingPartyBic ?? debtorAgentBic;
  if (initiatingPartyBic === undefined) {
    throw new BuildInputError('initiatingPartyBic', 'the request names no single debtor agent BIC, so the report needs the BIC it is sent for');
  }
  return {
    messageId: 'pain.014.001.07',
    document: {
      CdtrPmtActvtnReqStsRpt: {
        GrpHdr: compact<JsonObject>({
          MsgId: envelope.msgId,
          CreDtTm: envelope.creationDateTime,
          InitgPty: { Id: { OrgId: { AnyBIC: initiatingPartyBic } } },
          DbtrAgt: debtorAgent,
          CdtrAgt: creditorAgent,
        }),
        OrgnlGrpInfAndSts: compact<JsonObject>({
          OrgnlMsgId: echoed(header, 'MsgId', `${path}.GrpHdr`),
          OrgnlMsgNmId: 'pain.013.001.07',
          OrgnlCreDtTm: text(header.CreDtTm),
          OrgnlNbOfTxs: text(header.NbOfTxs),
          OrgnlCtrlSum: text(header.CtrlSum),
          GrpSts: decision.status,
        }),
        OrgnlPmtInfAndSts: blocks.map((block) => block.status),
      },
    },
  };
}

/**
 * The pain.014 refusing a whole request to pay (RJCT with `reason`), as the
 * platform sends it for a request it refuses or that expires; `undefined`
 * for a request too broken to echo (no group header, PmtInfId or agents): its
 * refusal is then only recorded.
 */
export function paymentRequestRefusal(
  original: unknown,
  refusal: { readonly reason: string; readonly additionalInfo?: string },
  envelope: PaymentRequestReportEnvelope,
): BuiltPaymentRequestStatusReport | undefined {
  try {
    return paymentRequestStatusReport(original, { status: 'RJCT', reason: refusal.reason, ...(refusal.additionalInfo ? { additionalInfo: refusal.additionalInfo } : {}) }, envelope);
  } catch (error) {
    if (error instanceof BuildInputError || error instanceof ReaderInputError) return undefined;
    throw error;
  }
}
