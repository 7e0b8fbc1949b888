/**
 * The pain.001 step: a participant hands in its customer's payment
 * initiation. It is checked, acknowledged with a pain.002 (ACTC, or RJCT with
 * the reason), and each of its transfers becomes a pacs.008 of its own,
 * linked to the pain.001, that takes the payment path like any other.
 */
import { createHash } from 'node:crypto';
import {
  BusinessRejectionError,
  childTransactionId,
  Reason,
  fitText,
  Status,
  archiveKey,
  ArchiveDirection,
  deadlineOf,
  encodeIncoming,
  encodeOutgoing,
  responseMsgId,
  slaSeconds,
  type EncodedRecord,
  type IncomingRecordValue,
  type RecordPublisher,
  type SlaRule,
} from '@mxflow/contracts';
import {
  PaymentGroupStatus,
  creditTransferFromInitiation,
  paymentInitiations,
  statusReportForPaymentInitiation,
  sumMoney,
  toXml,
  type PaymentInitiation,
  type PaymentInitiationDecision,
} from '@mxflow/iso20022';
import type { Archive, Entity, EntityDirectory, TransactionLog, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'pain001';
/** The archive and step name of the acknowledgment, so that the final report can be the `pain.002`. */
export const ACKNOWLEDGMENT = 'pain.002.ack';

/** A pain.001 the step refuses as a whole, with its ISO reason code. */
export class InitiationRejectedError extends BusinessRejectionError {
  constructor(reasonCode: string, message: string, options?: { cause?: unknown; path?: string }) {
    super(reasonCode, message, options);
    this.name = 'InitiationRejectedError';
  }
}

/** One transfer of a pain.001 and the transaction it becomes. */
export interface Child {
  readonly transactionId: string;
  /** Position in the pain.001, flat: the n-th transfer in message order. */
  readonly index: number;
  readonly paymentIndex: number;
  readonly transferIndex: number;
  readonly paymentInformationId: string;
  readonly endToEndId: string;
}

/**
 * The transaction id of the n-th transfer of a pain.001: derived from the
 * pain.001's own, so that a redelivery makes the same transactions, and the
 * report (and the Status API) find them again from the count alone.
 */
export { childTransactionId };

/** Every transfer of an initiation, in message order, with its transaction id. */
export function childrenOf(parentTransactionId: string, initiation: PaymentInitiation): Child[] {
  const children: Child[] = [];
  initiation.payments.forEach((payment, paymentIndex) =>
    payment.transfers.forEach((transfer, transferIndex) => {
      const index = children.length;
      children.push({
        transactionId: childTransactionId(parentTransactionId, index),
        index,
        paymentIndex,
        transferIndex,
        paymentInformationId: payment.paymentInformationId,
        endToEndId: transfer.endToEndId,
      });
    }),
  );
  return children;
}

const ROOT = '$.CstmrCdtTrfInitn';

/**
 * Checks a pain.001 as a whole: its counts and control sum add up, and every
 * payment block is debited at the sender's own agent (a participant
 * initiates only for its own customers).
 *
 * @throws InitiationRejectedError AM18 (number of transactions), AM10 (control sum), AG01 (another agent's customer)
 */
export function checkInitiation(initiation: PaymentInitiation, sender: Entity | undefined): void {
  const transfers = initiation.payments.flatMap((payment) => payment.transfers);
  if (String(transfers.length) !== initiation.groupHeader.numberOfTransactions) {
    throw new InitiationRejectedError(Reason.AM18, `NbOfTxs says ${initiation.groupHeader.numberOfTransactions}, the message holds ${transfers.length}`, { path: `${ROOT}.GrpHdr.NbOfTxs` });
  }
  const controlSum = initiation.groupHeader.controlSum;
  if (controlSum !== undefined) {
    // The control sum adds amounts of any currency as numbers; compared as decimal text, never as floats.
    const byCurrency = new Map<string, typeof transfers>();
    for (const transfer of transfers) byCurrency.set(transfer.amount.currency, [...(byCurrency.get(transfer.amount.currency) ?? []), transfer]);
    const single = byCurrency.size === 1 ? sumMoney(transfers.map((transfer) => transfer.amount)) : undefined;
    if (single && !sameDecimal(controlSum, single.minor, single.exponent)) {
      throw new InitiationRejectedError(Reason.AM10, `CtrlSum ${controlSum} is not the sum of the transfers`, { path: `${ROOT}.GrpHdr.CtrlSum` });
    }
  }
  initiation.payments.forEach((payment, index) => {
    const bic = payment.debtorAgentBic;
    if (!sender || !bic || !sender.bics.some((own) => own === bic || own === `${bic}XXX` || `${own}XXX` === bic)) {
      throw new InitiationRejectedError(Reason.AG01, `the debtor agent ${bic ?? '(none)'} is not the participant that sent the message`, { path: `${ROOT}.PmtInf[${index}].DbtrAgt` });
    }
  });
}

/** Whether decimal text equals `minor` at `exponent` (`12.5` and `12.50` are the same). */
function sameDecimal(text: string, minor: bigint, exponent: number): boolean {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) return false;
  return BigInt(`${whole}${fraction.slice(0, exponent).padEnd(exponent, '0')}`) === minor;
}

/** What the step works with. */
export interface InitiationPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary'>;
  readonly archive: Pick<Archive, 'put'>;
  readonly entities: Pick<EntityDirectory, 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
  readonly slaRules: readonly SlaRule[];
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** Records a step unless it is there already (a redelivery). */
async function recordOnce(log: InitiationPorts['log'], step: Parameters<InitiationPorts['log']['record']>[0]): Promise<void> {
  try {
    await log.record(step);
  } catch (error) {
    if (errorName(error) !== 'StepAlreadyRecordedError') throw error;
  }
}

/** The pain.002 for the sender; `name` tells the acknowledgment from the final report. */
export function reportRecord(value: IncomingRecordValue, decision: PaymentInitiationDecision, at: string, name: string, status: string): EncodedRecord {
  const report = statusReportForPaymentInitiation(value.document, decision, { msgId: responseMsgId(`${value.transactionId}${name === ACKNOWLEDGMENT ? 'A' : ''}`).slice(0, 35), creationDateTime: at });
  return encodeOutgoing({
    messageId: report.messageId,
    messageType: 'pain.002',
    name,
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: value.senderEntity,
    status,
    ...(decision.reason ? { reasonCode: decision.reason } : {}),
    document: report.document,
  });
}

/** What came of a pain.001. */
export interface InitiationOutcome {
  readonly status: typeof Status.ACSP | typeof Status.RJCT;
  readonly reasonCode?: string;
  readonly children: readonly Child[];
}

/**
 * Handles one pain.001: checks it; refuses it whole (RJCT and a pain.002
 * RJCT), or makes each transfer a pacs.008 transaction (archived as the
 * platform built it, recorded ACTC with its deadline and its parent, and
 * produced to `incoming.pacs.008`), records ACSP and acknowledges with a
 * pain.002 ACTC. Safe to run again for the same record: the children's ids,
 * steps and messages are the same each time.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function handleInitiation(value: IncomingRecordValue, ports: InitiationPorts): Promise<InitiationOutcome> {
  const summary = await ports.log.summary(value.transactionId);
  const at = ports.now().toISOString();
  let initiation: PaymentInitiation;
  let children: Child[];
  try {
    initiation = paymentInitiations(value.document);
    checkInitiation(initiation, await ports.entities.get(value.senderEntity));
    children = childrenOf(value.transactionId, initiation);
  } catch (error) {
    const rejection =
      error instanceof InitiationRejectedError ? error : errorName(error) === 'ReaderInputError' || errorName(error) === 'InvalidAmountError' ? new InitiationRejectedError(Reason.FF01, (error as Error).message, { cause: error }) : undefined;
    if (!rejection) throw error;
    return reject(value, rejection, summary, at, ports);
  }
  // Ended already (rejected, reported or timed out): nothing is made again.
  if (summary?.final) return { status: summary.status === Status.RJCT ? Status.RJCT : Status.ACSP, children };

  // A delivery after a crash makes the children exactly as the first one did, at the time the first one
  // gave them (each child's step is written before its message is archived): the same bytes, so the
  // write-once archive takes them again.
  const first = children[0] ? await ports.log.summary(children[0].transactionId) : undefined;
  const madeAt = first?.createdAt ?? at;
  const pacs008: { child: Child; record: EncodedRecord }[] = [];
  for (const child of children) {
    let built;
    try {
      built = creditTransferFromInitiation(value.document, child, {
        msgId: `P${child.transactionId.replaceAll('-', '')}`.slice(0, 35),
        creationDateTime: madeAt,
        interbankSettlementDate: madeAt.slice(0, 10),
        instructingAgentBic: initiation.payments[child.paymentIndex]?.debtorAgentBic ?? '',
        instructedAgentBic: initiation.payments[child.paymentIndex]?.transfers[child.transferIndex]?.creditorAgentBic ?? '',
      });
    } catch (error) {
      if (errorName(error) !== 'BuildInputError') throw error;
      return reject(value, new InitiationRejectedError(Reason.FF01, (error as Error).message, { cause: error }), summary, at, ports);
    }
    const body = Buffer.from(toXml(built.messageId, built.document), 'utf8');
    const key = archiveKey(ArchiveDirection.incoming, madeAt, child.transactionId, 'pacs.008');
    const transfer = initiation.payments[child.paymentIndex]?.transfers[child.transferIndex];
    const seconds = slaSeconds(ports.slaRules, 'pacs.008', []);
    const deadline = seconds === undefined ? undefined : deadlineOf(madeAt, seconds);
    await recordOnce(ports.log, {
      transactionId: child.transactionId,
      step: `${STEP}#${Status.ACTC}`,
      status: Status.ACTC,
      timestamp: madeAt,
      requestId: value.requestId,
      messageType: 'pacs.008',
      entityId: value.senderEntity,
      archiveKey: key,
      // The step comes before the archive write, so the digest is of the bytes about to be archived.
      archiveSha256: createHash('sha256').update(body).digest('base64'),
      parties: { senderEntity: value.senderEntity },
      // Known from the start, so that the pain.001's total adds up before (and whether or not) a transfer settles.
      ...(transfer ? { amount: transfer.amount } : {}),
      messageIds: { msgId: `P${child.transactionId.replaceAll('-', '')}`.slice(0, 35), endToEndIds: [child.endToEndId], uetrs: transfer?.uetr ? [transfer.uetr] : [] },
      parentTransactionId: value.transactionId,
      ...(deadline ? { deadline } : {}),
    });
    const receipt = await ports.archive.put({ key, body, metadata: { 'transaction-id': child.transactionId, 'parent-transaction-id': value.transactionId } });
    pacs008.push({
      child,
      record: encodeIncoming({
        messageId: built.messageId,
        messageType: 'pacs.008',
        transactionId: child.transactionId,
        requestId: value.requestId,
        senderEntity: value.senderEntity,
        archiveKey: receipt.key,
        document: built.document,
        parentTransactionId: value.transactionId,
      }),
    });
  }
  await recordOnce(ports.log, { transactionId: value.transactionId, step: `${STEP}#${Status.ACSP}`, status: Status.ACSP, timestamp: madeAt, requestId: value.requestId });
  await ports.bus.publish([...pacs008.map(({ record }) => record), reportRecord(value, { groupStatus: PaymentGroupStatus.ACTC }, madeAt, ACKNOWLEDGMENT, Status.ACTC)]);
  return { status: Status.ACSP, children };
}

/** Refuses a pain.001 whole: RJCT with its reason, and the pain.002 RJCT (built from what was recorded, so a redelivery sends the same). */
async function reject(value: IncomingRecordValue, rejection: InitiationRejectedError, summary: TransactionSummary | undefined, at: string, ports: InitiationPorts): Promise<InitiationOutcome> {
  if (!summary?.final) {
    try {
      await ports.log.record({
        transactionId: value.transactionId,
        step: `${STEP}#${Status.RJCT}`,
        status: Status.RJCT,
        timestamp: at,
        requestId: value.requestId,
        final: true,
        reasonCode: rejection.reasonCode,
        detail: fitText(rejection.message),
      });
    } catch (error) {
      if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
    }
  }
  const recorded = await ports.log.summary(value.transactionId);
  if (recorded?.status !== Status.RJCT) return { status: Status.RJCT, reasonCode: rejection.reasonCode, children: [] };
  const reason = recorded.reasonCode ?? rejection.reasonCode;
  const decision: PaymentInitiationDecision = { groupStatus: PaymentGroupStatus.RJCT, reason, ...(recorded.detail ? { additionalInfo: recorded.detail } : {}) };
  await ports.bus.publish([reportRecord(value, decision, recorded.updatedAt, 'pain.002', Status.RJCT)]);
  return { status: Status.RJCT, reasonCode: reason, children: [] };
}
