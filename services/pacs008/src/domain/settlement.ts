/**
 * The pacs.008 step: who pays whom, whether it is a repeat, whether the
 * liquidity is there, and what goes back to each party.
 */
import {
  BusinessRejectionError,
  Reason,
  Status,
  answerRecords,
  type EncodedRecord,
  type IncomingRecordValue,
  type RecordPublisher,
} from '@mxflow/contracts';
import {
  creditTransfers,
  formatMoney,
  statusReportForCreditTransfer,
  sumMoney,
  type CreditTransferMessage,
  type Money,
} from '@mxflow/iso20022';
import type { Entity, EntityDirectory, EntityStatusName, Ledger, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';

/** The entity statuses this step tells apart (the store's EntityStatus, as types only: the domain imports no adapters). */
const SUSPENDED: EntityStatusName = 'SUSPENDED';
const ACTIVE: EntityStatusName = 'ACTIVE';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'pacs008';

/** A rejection of a credit transfer, with its ISO reason code. */
export class SettlementRejectedError extends BusinessRejectionError {
  constructor(reasonCode: string, message: string, options?: { cause?: unknown; path?: string }) {
    super(reasonCode, message, options);
    this.name = 'SettlementRejectedError';
  }
}

/** What moves: one amount from the instructing agent to the instructed agent. */
export interface SettlementPlan {
  readonly instructingAgentBic: string;
  readonly instructedAgentBic: string;
  readonly amount: Money;
  readonly message: CreditTransferMessage;
}

const TRANSFERS = '$.FIToFICstmrCdtTrf.CdtTrfTxInf';

/**
 * Reads the parties and the total from a pacs.008. A message settles between
 * one pair of agents in one currency: the whole message in one atomic
 * posting, or not at all.
 *
 * @throws SettlementRejectedError AG01 when its transactions name different agents or currencies.
 */
export function planSettlement(document: Record<string, unknown>): SettlementPlan {
  const message = creditTransfers(document);
  const [first] = message.transfers;
  if (!first?.instructingAgentBic) throw new SettlementRejectedError(Reason.RC01, 'the message names no instructing agent', { path: `${TRANSFERS}[0].InstgAgt` });
  if (!first.instructedAgentBic) throw new SettlementRejectedError(Reason.RC01, 'the message names no instructed agent', { path: `${TRANSFERS}[0].InstdAgt` });
  message.transfers.forEach((transfer, index) => {
    if (transfer.instructingAgentBic !== first.instructingAgentBic || transfer.instructedAgentBic !== first.instructedAgentBic) {
      throw new SettlementRejectedError(Reason.AG01, 'every transaction of one message must be between the same two agents', { path: `${TRANSFERS}[${index}]` });
    }
    if (transfer.amount.currency !== first.amount.currency) {
      throw new SettlementRejectedError(Reason.AM03, 'every transaction of one message must settle in the same currency', { path: `${TRANSFERS}[${index}].IntrBkSttlmAmt` });
    }
  });
  return {
    instructingAgentBic: first.instructingAgentBic,
    instructedAgentBic: first.instructedAgentBic,
    amount: sumMoney(message.transfers.map((transfer) => transfer.amount)),
    message,
  };
}

/** Both parties, resolved and allowed to exchange this payment. */
export interface Parties {
  readonly debtor: Entity;
  readonly creditor: Entity;
}

/**
 * Checks the parties: the instructing agent must be the participant that
 * sent the message, and both must be active participants. An instructed agent
 * nobody on the platform answers to is RC01 (its BIC does not identify a
 * participant). A suspended sender is AG10 and a suspended receiver AG11;
 * another inactive status is AG01 (payments with it are forbidden).
 *
 * @throws SettlementRejectedError
 */
export function checkParties(plan: SettlementPlan, senderEntity: string, debtor: Entity | undefined, creditor: Entity | undefined): Parties {
  if (!debtor || debtor.entityId !== senderEntity) {
    throw new SettlementRejectedError(Reason.AG01, `the instructing agent ${plan.instructingAgentBic} is not the participant that sent the message`, {
      path: `${TRANSFERS}[0].InstgAgt`,
    });
  }
  if (debtor.status === SUSPENDED) throw new SettlementRejectedError(Reason.AG10, `the instructing agent ${plan.instructingAgentBic} is suspended`);
  if (debtor.status !== ACTIVE) throw new SettlementRejectedError(Reason.AG01, `the instructing agent ${plan.instructingAgentBic} is not an active participant`);
  if (!creditor) {
    throw new SettlementRejectedError(Reason.RC01, `the instructed agent ${plan.instructedAgentBic} is not a participant`, { path: `${TRANSFERS}[0].InstdAgt` });
  }
  if (creditor.status === SUSPENDED) {
    throw new SettlementRejectedError(Reason.AG11, `the instructed agent ${plan.instructedAgentBic} is suspended`, { path: `${TRANSFERS}[0].InstdAgt` });
  }
  if (creditor.status !== ACTIVE) {
    throw new SettlementRejectedError(Reason.AG01, `the instructed agent ${plan.instructedAgentBic} is not an active participant`, { path: `${TRANSFERS}[0].InstdAgt` });
  }
  if (creditor.entityId === debtor.entityId) throw new SettlementRejectedError(Reason.AG01, 'a participant cannot pay itself through the platform');
  return { debtor, creditor };
}

/** A key that makes a payment unique per sender, with what it is for the rejection text. */
export interface UniquenessKey {
  readonly key: string;
  /** `UETR 8a56…` */
  readonly label: string;
}

/** The keys that make a payment unique per sender: every UETR and every EndToEndId. */
export function uniquenessKeys(senderEntity: string, message: CreditTransferMessage): UniquenessKey[] {
  return message.transfers.flatMap((transfer) => [
    ...(transfer.uetr ? [{ key: `uetr#${senderEntity}#${transfer.uetr}`, label: `UETR ${transfer.uetr}` }] : []),
    { key: `e2e#${senderEntity}#${transfer.endToEndId}`, label: `EndToEndId ${transfer.endToEndId}` },
  ]);
}

/** The outcome of a credit transfer. */
export interface Outcome {
  readonly status: typeof Status.ACSC | typeof Status.RJCT;
  readonly reasonCode?: string;
  readonly detail?: string;
  /** When the final step was recorded. */
  readonly at: string;
  readonly receiverEntity?: string;
  /** The currency that moved, on settlement: whose balances to compare with their thresholds. */
  readonly currency?: string;
}

/**
 * What goes to the outgoing step: the pacs.002 to the sender, and on
 * settlement the pacs.008 itself to the receiver. Built only from the record
 * and the outcome, so a redelivery builds the same bytes.
 */
export function outgoingRecords(value: IncomingRecordValue, outcome: Outcome): EncodedRecord[] {
  return answerRecords(value, outcome, (decision, envelope) => statusReportForCreditTransfer(value.document, decision, envelope), outcome.status === Status.ACSC ? outcome.receiverEntity : undefined);
}

/** What the step works with. */
export interface SettlementPorts {
  readonly entities: EntityDirectory;
  readonly ledger: Ledger;
  readonly log: TransactionLog;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
  /** Called after the liquidity moved and its step was recorded, before anything is published: the crash tests inject a failure here. */
  readonly afterPosting?: (value: IncomingRecordValue) => void;
}

/** The outcome already recorded for a transaction by this step, if any (a redelivered record). */
function recordedOutcome(summary: TransactionSummary | undefined): Outcome | undefined {
  if (!summary?.final || (summary.status !== Status.ACSC && summary.status !== Status.RJCT)) return undefined;
  return {
    status: summary.status,
    at: summary.updatedAt,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.receiverEntity ? { receiverEntity: summary.receiverEntity } : {}),
  };
}

/**
 * Decides a payment and, when it is good, settles it: the liquidity moves and
 * the ACSC step is recorded in one atomic write. Resolves the rejection
 * instead when there is one; the keys it claimed are given back then.
 */
async function settleOrReject(
  value: IncomingRecordValue,
  ports: SettlementPorts,
  at: string,
): Promise<{ parties?: Parties; plan?: SettlementPlan; rejection?: SettlementRejectedError; decidedElsewhere?: boolean }> {
  const claimed: string[] = [];
  let plan: SettlementPlan | undefined;
  let parties: Parties | undefined;
  try {
    plan = planSettlement(value.document);
    const [debtor, creditor] = await Promise.all([ports.entities.findByBic(plan.instructingAgentBic), ports.entities.findByBic(plan.instructedAgentBic)]);
    parties = checkParties(plan, value.senderEntity, debtor, creditor);
    const keys = uniquenessKeys(value.senderEntity, plan.message);
    const owners = await Promise.all(keys.map(({ key }) => ports.log.claim(key, value.transactionId)));
    claimed.push(...keys.filter((_, index) => owners[index] === value.transactionId).map(({ key }) => key));
    const taken = keys.findIndex((_, index) => owners[index] !== value.transactionId);
    if (taken >= 0) throw new SettlementRejectedError(Reason.AM05, `${keys[taken].label} was already settled from this participant (transaction ${owners[taken]})`);
    const receipt = await ports.ledger.transfer(
      { transactionId: value.transactionId, debtorEntity: parties.debtor.entityId, creditorEntity: parties.creditor.entityId, amount: plan.amount, timestamp: at },
      // The step goes in the same write: nothing posts once the transaction is final (a timeout came first).
      outcomeStep(value, { status: Status.ACSC, at, receiverEntity: parties.creditor.entityId }, plan, parties),
    );
    return { parties, plan, decidedElsewhere: receipt.alreadyPosted };
  } catch (error) {
    // Another step made the transaction final first: what it decided stands, and it answers.
    if ((error as Error | undefined)?.name === 'TransactionFinalError') {
      for (const key of claimed) await ports.log.release(key, value.transactionId);
      return { decidedElsewhere: true };
    }
    const rejection = asRejection(error, plan);
    if (!rejection) throw error;
    // A rejected payment does not hold its UETR: the sender may send it again, corrected.
    for (const key of claimed) await ports.log.release(key, value.transactionId);
    return { ...(parties ? { parties } : {}), ...(plan ? { plan } : {}), rejection };
  }
}

/** Errors of the ports that are business outcomes rather than failures. */
function asRejection(error: unknown, plan: SettlementPlan | undefined): SettlementRejectedError | undefined {
  if (error instanceof SettlementRejectedError) return error;
  if (error instanceof BusinessRejectionError) return new SettlementRejectedError(error.reasonCode, error.message, { cause: error });
  const name = (error as Error | undefined)?.name;
  const amount = plan ? `${formatMoney(plan.amount)} ${plan.amount.currency}` : 'the amount';
  if (name === 'InsufficientFundsError') return new SettlementRejectedError(Reason.AM04, `the instructing agent's liquidity does not cover ${amount}`, { cause: error });
  if (name === 'LedgerAccountError') return new SettlementRejectedError(Reason.AM03, `${plan?.amount.currency ?? 'the currency'} is not held by both parties`, { cause: error });
  if (name === 'ReaderInputError' || name === 'InvalidAmountError' || name === 'CurrencyMismatchError') {
    return new SettlementRejectedError(Reason.FF01, (error as Error).message, { cause: error });
  }
  return undefined;
}

/**
 * Settles one pacs.008: resolves both agents, refuses repeats (AM05), moves
 * the liquidity in one atomic write (or rejects with AM04), records ACSC or
 * RJCT, and publishes the pacs.002 to the sender and the pacs.008 to the
 * receiver. Safe to run again for the same record: postings are keyed by the
 * transaction, a recorded outcome is published again as it was.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries.
 */
export async function settleCreditTransfer(
  value: IncomingRecordValue,
  ports: SettlementPorts,
): Promise<Pick<Outcome, 'reasonCode' | 'at' | 'receiverEntity' | 'currency'> & { readonly status: string }> {
  // A redelivered record must not be decided again: an AM04 could otherwise settle once funds arrived.
  const earlier = recordedOutcome(await ports.log.summary(value.transactionId));
  if (earlier) {
    await ports.bus.publish(outgoingRecords(value, earlier));
    return earlier;
  }
  const at = ports.now().toISOString();
  const { parties, plan, rejection, decidedElsewhere } = await settleOrReject(value, ports, at);
  let outcome: Outcome;
  if (decidedElsewhere) {
    // Another delivery of this record settled it, or another step ended the transaction: answer with what was recorded.
    const summary = await ports.log.summary(value.transactionId);
    const recorded = recordedOutcome(summary);
    // A final status this step did not give (a cancellation, a timeout): that step answers, not this one.
    if (!recorded) return { status: summary?.status ?? 'UNKNOWN', at: summary?.updatedAt ?? at };
    outcome = recorded;
  } else if (rejection) {
    outcome = { status: Status.RJCT, reasonCode: rejection.reasonCode, detail: rejection.message, at };
    const written = await recordRejection(value, outcome, plan, parties, ports);
    // Another delivery of the same record got there first: answer with what it recorded.
    if (!written) outcome = recordedOutcome(await ports.log.summary(value.transactionId)) ?? outcome;
  } else {
    outcome = { status: Status.ACSC, at, receiverEntity: parties?.creditor.entityId, ...(plan ? { currency: plan.amount.currency } : {}) };
    ports.afterPosting?.(value);
  }
  await ports.bus.publish(outgoingRecords(value, outcome));
  return outcome;
}

/** The final step of this service for a transaction. */
function outcomeStep(value: IncomingRecordValue, outcome: Outcome, plan: SettlementPlan | undefined, parties: Parties | undefined): TransactionStep {
  return {
    transactionId: value.transactionId,
    step: `${STEP}#${outcome.status}`,
    status: outcome.status,
    timestamp: outcome.at,
    requestId: value.requestId,
    messageType: value.messageType,
    final: true,
    ...(outcome.reasonCode ? { reasonCode: outcome.reasonCode } : {}),
    ...(outcome.detail ? { detail: outcome.detail.slice(0, 105) } : {}),
    parties: { senderEntity: value.senderEntity, ...(parties ? { receiverEntity: parties.creditor.entityId } : {}) },
    ...(plan ? { amount: plan.amount } : {}),
    ...(value.parentTransactionId ? { parentTransactionId: value.parentTransactionId } : {}),
    messageIds: {
      ...(plan ? { msgId: plan.message.groupHeader.msgId } : {}),
      endToEndIds: plan?.message.transfers.map((transfer) => transfer.endToEndId) ?? [],
      uetrs: plan?.message.transfers.flatMap((transfer) => (transfer.uetr ? [transfer.uetr] : [])) ?? [],
    },
  };
}

/** Records the RJCT step; false when this step of the transaction was already recorded, or another ended it. */
async function recordRejection(value: IncomingRecordValue, outcome: Outcome, plan: SettlementPlan | undefined, parties: Parties | undefined, ports: SettlementPorts): Promise<boolean> {
  try {
    await ports.log.record(outcomeStep(value, outcome, plan, parties));
    return true;
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name !== 'StepAlreadyRecordedError' && name !== 'TransactionFinalError') throw error;
    return false;
  }
}

/**
 * Gives up on a payment whose processing kept failing (a dead letter): it is
 * rejected with AB04 and the sender gets that pacs.002, unless it already has
 * a final status, which is answered instead. Publishes nothing for a final
 * status this step did not give (a cancellation, a timeout): that step answers.
 */
export async function rejectAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<SettlementPorts, 'log' | 'bus' | 'now'>): Promise<Outcome | undefined> {
  const outcome: Outcome = { status: Status.RJCT, reasonCode: Reason.AB04, detail, at: ports.now().toISOString() };
  let plan: SettlementPlan | undefined;
  try {
    plan = planSettlement(value.document);
  } catch {
    // The message itself may be what failed; the rejection goes out without its amount.
  }
  const written = await recordRejection(value, outcome, plan, undefined, { ...ports } as SettlementPorts);
  const answered = written ? outcome : recordedOutcome(await ports.log.summary(value.transactionId));
  if (answered) await ports.bus.publish(outgoingRecords(value, answered));
  return answered;
}
