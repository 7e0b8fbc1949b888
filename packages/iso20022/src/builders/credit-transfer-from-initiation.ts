/**
 * Turns one transfer a customer initiated (pain.001.001.09) into the
 * interbank payment the platform settles (pacs.008.001.08). The parties,
 * accounts, agents and remittance information are the same ISO 20022
 * components in both messages (`PartyIdentification135`, `CashAccount38`,
 * `BranchAndFinancialInstitutionIdentification6`, `RemittanceInformation16`),
 * so they are carried over as they are.
 */
import { BuildInputError } from '../errors';
import { child, compact, isObject, items, type JsonObject } from '../readers/json';
import { paymentInitiationRoot, transferOf } from '../readers/payment-initiations';
import { bicProblem, dateProblem } from '../rules';

/** Which transfer of the pain.001 to carry: indexes of its `PmtInf` and of the `CdtTrfTxInf` within it, from 0. */
export interface TransferPosition {
  readonly paymentIndex: number;
  readonly transferIndex: number;
}

/** What the platform decides about the new pacs.008; ids and clock are inputs so that building it is a pure function. */
export interface InterbankEnvelope {
  /** `GrpHdr/MsgId` of the pacs.008, 1 to 35 characters. */
  readonly msgId: string;
  /** `GrpHdr/CreDtTm`, ISO 8601 UTC with milliseconds (`2026-11-27T09:30:00.000Z`). */
  readonly creationDateTime: string;
  /** `GrpHdr/IntrBkSttlmDt`, an ISO date (`2026-11-27`). */
  readonly interbankSettlementDate: string;
  /** BIC of `GrpHdr/InstgAgt`: the agent sending the pacs.008, usually the debtor agent. */
  readonly instructingAgentBic: string;
  /** BIC of `GrpHdr/InstdAgt`: the agent receiving it. */
  readonly instructedAgentBic: string;
}

/** A pacs.008.001.08 in the JSON form. */
export interface BuiltCreditTransfer {
  readonly messageId: 'pacs.008.001.08';
  readonly document: { readonly FIToFICstmrCdtTrf: JsonObject };
}

/** The charge bearer when the pain.001 names none: each party pays its own agent, the SEPA default. */
const defaultChargeBearer = 'SLEV';

/** The platform settles on the accounts it keeps for both agents. */
const settlementMethod = 'INDA';

const creationPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function checkEnvelope(envelope: InterbankEnvelope): void {
  const { msgId, creationDateTime, interbankSettlementDate } = envelope;
  if (msgId.length < 1 || msgId.length > 35) throw new BuildInputError('msgId', `must have 1 to 35 characters, has ${msgId.length}`);
  if (!creationPattern.test(creationDateTime)) throw new BuildInputError('creationDateTime', `'${creationDateTime}' is not ISO 8601 UTC with milliseconds`);
  const dateIssue = /^\d{4}-\d{2}-\d{2}$/.test(interbankSettlementDate) ? dateProblem(interbankSettlementDate) : 'not an ISO date (YYYY-MM-DD)';
  if (dateIssue) throw new BuildInputError('interbankSettlementDate', `'${interbankSettlementDate}': ${dateIssue}`);
  for (const key of ['instructingAgentBic', 'instructedAgentBic'] as const) {
    const problem = bicProblem(envelope[key]);
    if (problem) throw new BuildInputError(key, problem);
  }
}

/** The item at `index` of a repeating element, or an error naming the option that pointed at nothing. */
function itemAt(node: JsonObject, key: string, index: number, option: string, path: string): JsonObject {
  const list = items(node, key);
  const item = Number.isInteger(index) && index >= 0 ? list[index] : undefined;
  if (!isObject(item)) throw new BuildInputError(option, `${path}.${key} has ${list.length} item(s), none at ${index}`);
  return item;
}

/** A component the pacs.008 requires; the pain.001 may leave it out. */
function requiredComponent(node: JsonObject, key: string, path: string): JsonObject {
  const value = child(node, key, path);
  if (value === undefined) throw new BuildInputError(`${path}.${key}`, `${key} is missing, and a pacs.008 requires it`);
  return value;
}

const agent = (bic: string): JsonObject => ({ FinInstnId: { BICFI: bic } });

/**
 * Builds the pacs.008.001.08 (JSON form) that carries one transfer of a
 * pain.001.001.09 between the agents: its EndToEndId, UETR and InstrId, the
 * instructed amount as interbank settlement amount (same currency, same text),
 * the charge bearer (the transfer's, else its block's, else SLEV), debtor,
 * debtor account and agent from the block, creditor agent, creditor, creditor
 * account and remittance information from the transfer. Write it with `toXml`
 * and validate it with `validateXml`, like any message.
 *
 * @param initiation the pain.001 in the JSON form: `{ CstmrCdtTrfInitn: … }` or `{ Document: { CstmrCdtTrfInitn: … } }`
 * @throws BuildInputError naming the option when an index points at nothing or an envelope value is not valid,
 * or naming the path of a creditor or creditor agent the transfer lacks; ReaderInputError or InvalidAmountError
 * (from the pain.001 reader) when the transfer cannot be read, such as one with only an equivalent amount
 */
export function creditTransferFromInitiation(initiation: unknown, position: TransferPosition, envelope: InterbankEnvelope): BuiltCreditTransfer {
  checkEnvelope(envelope);
  const { node: root, path: rootPath } = paymentInitiationRoot(initiation);
  const payment = itemAt(root, 'PmtInf', position.paymentIndex, 'paymentIndex', rootPath);
  const paymentPath = `${rootPath}.PmtInf[${position.paymentIndex}]`;
  const node = itemAt(payment, 'CdtTrfTxInf', position.transferIndex, 'transferIndex', paymentPath);
  const path = `${paymentPath}.CdtTrfTxInf[${position.transferIndex}]`;

  const transfer = transferOf(node, path, typeof payment.ChrgBr === 'string' ? payment.ChrgBr : undefined);
  // The text is carried as the debtor wrote it (the reader has checked it is Money in an active currency).
  const instructed = requiredComponent(requiredComponent(node, 'Amt', path), 'InstdAmt', `${path}.Amt`);
  const amount = { value: String(instructed.value), Ccy: transfer.amount.currency };

  return {
    messageId: 'pacs.008.001.08',
    document: {
      FIToFICstmrCdtTrf: {
        GrpHdr: {
          MsgId: envelope.msgId,
          CreDtTm: envelope.creationDateTime,
          NbOfTxs: '1',
          TtlIntrBkSttlmAmt: amount,
          IntrBkSttlmDt: envelope.interbankSettlementDate,
          SttlmInf: { SttlmMtd: settlementMethod },
          InstgAgt: agent(envelope.instructingAgentBic),
          InstdAgt: agent(envelope.instructedAgentBic),
        },
        CdtTrfTxInf: [
          compact<JsonObject>({
            PmtId: compact<JsonObject>({ InstrId: transfer.instructionId, EndToEndId: transfer.endToEndId, UETR: transfer.uetr }),
            IntrBkSttlmAmt: amount,
            ChrgBr: transfer.chargeBearer ?? defaultChargeBearer,
            Dbtr: requiredComponent(payment, 'Dbtr', paymentPath),
            DbtrAcct: child(payment, 'DbtrAcct', paymentPath),
            DbtrAgt: requiredComponent(payment, 'DbtrAgt', paymentPath),
            CdtrAgt: requiredComponent(node, 'CdtrAgt', path),
            Cdtr: requiredComponent(node, 'Cdtr', path),
            CdtrAcct: child(node, 'CdtrAcct', path),
            RmtInf: child(node, 'RmtInf', path),
          }),
        ],
      },
    },
  };
}
