/**
 * The pacs.008 step: who pays whom, whether it is a repeat, whether the
 * liquidity is there, and what goes back to each party.
 */
import {
  BusinessRejectionError,
  Reason,
  fitText,
  Status,
  answerRecords,
  notifiesPostings,
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
  /** The receiving participant, when it is one the platform knows (a suspended one): it is a party to the rejected payment. */
  readonly receiverEntity?: string;

  constructor(reasonCode: string, message: string, options?: { cause?: unknown; path?: string; receiverEntity?: string }) {
    super(reasonCode, message, options);
    this.name = 'SettlementRejectedError';
    if (options?.receiverEntity) this.receiverEntity = options.receiverEntity;
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
    throw new SettlementRejectedError(Reason.AG11, `the instructed agent ${plan.instructedAgentBic} is suspended`, { path: `${TRANSFERS}[0].InstdAgt`, receiverEntity: creditor.entityId });
  }
  if (creditor.status !== ACTIVE) {
    throw new SettlementRejectedError(Reason.AG01, `the instructed agent ${plan.instructedAgentBic} is not an active participant`, { path: `${TRANSFERS}[0].InstdAgt`, receiverEntity: creditor.entityId });
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

/**
 * The keys that make a payment unique per sender: every UETR, and every TxId
 * with its instructing agent (the MsgId is claimed by incoming). The
 * EndToEndId is the ordering customer's reference, repeated in real traffic
 * ("NOTPROVIDED" when the customer gave none): never a key.
 */
export function uniquenessKeys(senderEntity: string, message: CreditTransferMessage): UniquenessKey[] {
  return message.transfers.flatMap((transfer) => [
    ...(transfer.uetr ? [{ key: `uetr#${senderEntity}#${transfer.uetr.toLowerCase()}`, label: `UETR ${transfer.uetr}` }] : []),
    ...(transfer.txId ? [{ key: `txid#${senderEntity}#${transfer.instructingAgentBic ?? ''}#${transfer.txId}`, label: `TxId ${transfer.txId}` }] : []),
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
export function outgoingRecords(value: IncomingRecordValue, outcome: Outcome, postingNotices: readonly string[] = []): EncodedRecord[] {
  return answerRecords(value, outcome, (decision, envelope) => statusReportForCreditTransfer(value.document, decision, envelope), outcome.receiverEntity, postingNotices);
}

/**
 * The parties of a settled payment that asked for a camt.054 of their
 * postings, as this step knows them: the agents it resolved, or, answering
 * again what was recorded, the agents of the message (a cached read).
 */
async function postingNoticesOf(value: IncomingRecordValue, plan: SettlementPlan | undefined, parties: Parties | undefined, ports: SettlementPorts): Promise<string[]> {
  let agents: (Entity | undefined)[];
  if (parties) agents = [parties.debtor, parties.creditor];
  else {
    let known = plan;
    try {
      known ??= planSettlement(value.document);
    } catch {
      return [];
    }
    agents = await Promise.all([ports.entities.findByBic(known.instructingAgentBic), ports.entities.findByBic(known.instructedAgentBic)]);
  }
  return agents.flatMap((agent) => (agent && notifiesPostings(agent) ? [agent.entityId] : []));
}

/** What the step works with. */
export interface SettlementPorts {
  /** The parties, possibly from a short-lived cache: the transfer checks in its own write that both are still active. */
  readonly entities: EntityDirectory;
  /** Drops what `entities` kept, when the transfer found a party changed. */
  readonly forgetEntities?: () => void;
  readonly ledger: Ledger;
  readonly log: TransactionLog;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** Steps whose sort key this service writes: `pacs008#ACSC`, `pacs008#RJCT`. */
const OWN_STEP = new RegExp(`^${STEP}#`);

/**
 * The outcome this step recorded for a transaction, if any (a redelivered
 * record). A final status another step gave (a timeout, a cancellation) is
 * not this step's to answer: that step answers it.
 */
function recordedOutcome(summary: TransactionSummary | undefined): Outcome | undefined {
  if (!summary?.final || (summary.status !== Status.ACSC && summary.status !== Status.RJCT)) return undefined;
  if (summary.finalStep !== undefined && !OWN_STEP.test(summary.finalStep)) return undefined;
  return {
    status: summary.status,
    at: summary.updatedAt,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.receiverEntity ? { receiverEntity: summary.receiverEntity } : {}),
    // A redelivery after a crash checks the balances against their thresholds again: the check is idempotent.
    ...(summary.status === Status.ACSC && summary.amount ? { currency: summary.amount.currency } : {}),
  };
}

/** Most keys claimed inside the transfer's one write; a larger message claims them first, one by one. */
const KEYS_IN_TRANSFER = 90;

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** The deadline rejection: the SLA ran out before the payment could settle (AB05, as the timeout gives it). */
function pastDeadline(deadline: string): SettlementRejectedError {
  return new SettlementRejectedError(Reason.AB05, `no final status by its deadline ${deadline}`);
}

/**
 * Decides a payment and, when it is good, settles it: the key claims, the
 * liquidity, the ACSC step and the transaction's state in one atomic write,
 * conditional on the transaction being open, before its deadline, and both
 * parties still active. Resolves the rejection instead when there is one;
 * a rejected payment holds no key.
 */
async function settleOrReject(
  value: IncomingRecordValue,
  ports: SettlementPorts,
  at: string,
): Promise<{ parties?: Parties; plan?: SettlementPlan; rejection?: SettlementRejectedError; decidedElsewhere?: boolean }> {
  const claimedFirst: string[] = [];
  let plan: SettlementPlan | undefined;
  let parties: Parties | undefined;
  try {
    plan = planSettlement(value.document);
    // Already too late when it arrives here: it is timed out, whatever else is wrong with it.
    if (value.deadline !== undefined && value.deadline <= at) throw pastDeadline(value.deadline);
    const keys = uniquenessKeys(value.senderEntity, plan.message);
    for (let attempt = 1; ; attempt += 1) {
      parties = await resolveParties(plan, value.senderEntity, ports);
      const inTransfer = keys.length <= KEYS_IN_TRANSFER;
      if (!inTransfer && claimedFirst.length === 0) claimedFirst.push(...(await claimOneByOne(value, keys, ports)));
      try {
        const receipt = await ports.ledger.transfer(
          { transactionId: value.transactionId, debtorEntity: parties.debtor.entityId, creditorEntity: parties.creditor.entityId, amount: plan.amount, timestamp: at },
          // The step goes in the same write: nothing posts once the transaction is final (a timeout came first) or past its deadline.
          outcomeStep(value, { status: Status.ACSC, at, receiverEntity: parties.creditor.entityId }, plan, parties),
          undefined,
          { ...(inTransfer ? { claims: keys.map(({ key }) => key) } : {}), activeEntities: [parties.debtor.entityId, parties.creditor.entityId] },
        );
        return { parties, plan, decidedElsewhere: receipt.alreadyPosted };
      } catch (error) {
        // A party changed since it was read (suspended): read both again and decide anew, once.
        if (errorName(error) !== 'EntityChangedError' || attempt > 1 || !ports.forgetEntities) throw error;
        ports.forgetEntities();
      }
    }
  } catch (error) {
    // Another step made the transaction final first: what it decided stands, and it answers.
    if (errorName(error) === 'TransactionFinalError') {
      for (const key of claimedFirst) await ports.log.release(key, value.transactionId);
      return { decidedElsewhere: true };
    }
    const rejection = asRejection(error, plan, value.senderEntity);
    if (!rejection) throw error;
    // A rejected payment does not hold its keys: the sender may send it again, corrected.
    for (const key of claimedFirst) await ports.log.release(key, value.transactionId);
    return { ...(parties ? { parties } : {}), ...(plan ? { plan } : {}), rejection };
  }
}

/**
 * Reads both agents and checks them. A refusal read from the cache is read
 * again before it stands: a participant reinstated or created a moment ago
 * must not be refused on what the cache still remembers.
 */
async function resolveParties(plan: SettlementPlan, senderEntity: string, ports: SettlementPorts): Promise<Parties> {
  const read = () => Promise.all([ports.entities.findByBic(plan.instructingAgentBic), ports.entities.findByBic(plan.instructedAgentBic)]);
  const [debtor, creditor] = await read();
  try {
    return checkParties(plan, senderEntity, debtor, creditor);
  } catch (error) {
    if (!(error instanceof SettlementRejectedError) || !ports.forgetEntities) throw error;
    ports.forgetEntities();
    const [freshDebtor, freshCreditor] = await read();
    return checkParties(plan, senderEntity, freshDebtor, freshCreditor);
  }
}

/**
 * Claims the keys of a message too large to claim them in its transfer's
 * write, one conditional write each. Resolves the keys it claimed.
 *
 * @throws SettlementRejectedError AM05 naming the first key another transaction holds (those claimed here are given back)
 */
async function claimOneByOne(value: IncomingRecordValue, keys: readonly UniquenessKey[], ports: SettlementPorts): Promise<string[]> {
  const owners = await Promise.all(keys.map(({ key }) => ports.log.claim(key, value.transactionId)));
  const claimed = keys.filter((_, index) => owners[index] === value.transactionId).map(({ key }) => key);
  const taken = keys.findIndex((_, index) => owners[index] !== value.transactionId);
  if (taken < 0) return claimed;
  for (const key of claimed) await ports.log.release(key, value.transactionId);
  throw duplicateOf(keys[taken], owners[taken]);
}

/** The AM05 of a payment repeating a key another transaction of the same sender holds. */
export function duplicateOf(key: UniquenessKey, owner: string): SettlementRejectedError {
  return new SettlementRejectedError(Reason.AM05, `${key.label} is taken by transaction ${owner}`);
}

/** Errors of the ports that are business outcomes rather than failures. */
function asRejection(error: unknown, plan: SettlementPlan | undefined, senderEntity: string): SettlementRejectedError | undefined {
  if (error instanceof SettlementRejectedError) return error;
  if (error instanceof BusinessRejectionError) return new SettlementRejectedError(error.reasonCode, error.message, { cause: error });
  const name = errorName(error);
  const amount = plan ? `${formatMoney(plan.amount)} ${plan.amount.currency}` : 'the amount';
  if (name === 'InsufficientFundsError') return new SettlementRejectedError(Reason.AM04, `the instructing agent's liquidity does not cover ${amount}`, { cause: error });
  if (name === 'LedgerAccountError') return new SettlementRejectedError(Reason.AM03, `${plan?.amount.currency ?? 'the currency'} is not held by both parties`, { cause: error });
  if (name === 'DeadlinePassedError') return pastDeadline((error as { deadline: string }).deadline);
  if (name === 'KeyClaimedError' && plan) {
    const { key: claimed, owner } = error as { key: string; owner: string };
    const key = uniquenessKeys(senderEntity, plan.message).find((candidate) => candidate.key === claimed) ?? { key: claimed, label: claimed };
    return duplicateOf(key, owner);
  }
  if (name === 'ReaderInputError' || name === 'InvalidAmountError' || name === 'CurrencyMismatchError') {
    return new SettlementRejectedError(Reason.FF01, (error as Error).message, { cause: error });
  }
  return undefined;
}

/**
 * Settles one pacs.008: resolves both agents, refuses repeats (AM05) and what
 * comes after its deadline (AB05), moves the liquidity in one atomic write (or
 * rejects with AM04), records ACSC or RJCT, and publishes the pacs.002 to the
 * sender and the pacs.008 to the receiver. Safe to run again for the same
 * record: the write's conditions find the step recorded or the transaction
 * final, and a recorded outcome of this step is published again as it was.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries.
 */
export async function settleCreditTransfer(
  value: IncomingRecordValue,
  ports: SettlementPorts,
): Promise<Pick<Outcome, 'reasonCode' | 'at' | 'receiverEntity' | 'currency'> & { readonly status: string }> {
  const at = ports.now().toISOString();
  const { parties, plan, rejection, decidedElsewhere } = await settleOrReject(value, ports, at);
  let outcome: Outcome;
  if (decidedElsewhere) {
    // Another delivery of this record decided it, or another step ended the transaction: answer with what was recorded.
    const summary = await ports.log.summary(value.transactionId);
    const recorded = recordedOutcome(summary);
    // A final status this step did not give (a cancellation, a timeout): that step answers, not this one.
    if (!recorded) return { status: summary?.status ?? 'UNKNOWN', at: summary?.updatedAt ?? at };
    outcome = recorded;
  } else if (rejection) {
    // A payment refused because of its receiver (suspended) still names it: the receiver may ask about it, as about any other.
    const receiverEntity = parties?.creditor.entityId ?? (rejection instanceof SettlementRejectedError ? rejection.receiverEntity : undefined);
    outcome = { status: Status.RJCT, reasonCode: rejection.reasonCode, detail: rejection.message, at, ...(receiverEntity ? { receiverEntity } : {}) };
    const written = await recordRejection(value, outcome, plan, parties, ports);
    if (!written) {
      // Another delivery of the same record got there first, or another step ended it: what was recorded stands.
      const summary = await ports.log.summary(value.transactionId);
      const recorded = recordedOutcome(summary);
      if (!recorded) return { status: summary?.status ?? 'UNKNOWN', at: summary?.updatedAt ?? at };
      outcome = recorded;
    }
  } else {
    outcome = { status: Status.ACSC, at, receiverEntity: parties?.creditor.entityId, ...(plan ? { currency: plan.amount.currency } : {}) };
  }
  const notices = outcome.status === Status.ACSC ? await postingNoticesOf(value, plan, parties, ports) : [];
  await ports.bus.publish(outgoingRecords(value, outcome, notices));
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
    ...(outcome.detail ? { detail: fitText(outcome.detail) } : {}),
    parties: { senderEntity: value.senderEntity, ...(parties || outcome.receiverEntity ? { receiverEntity: parties?.creditor.entityId ?? outcome.receiverEntity } : {}) },
    ...(plan ? { amount: plan.amount } : {}),
    ...(value.parentTransactionId ? { parentTransactionId: value.parentTransactionId } : {}),
    messageIds: {
      ...(plan ? { msgId: plan.message.groupHeader.msgId } : {}),
      endToEndIds: plan?.message.transfers.map((transfer) => transfer.endToEndId) ?? [],
      uetrs: plan?.message.transfers.flatMap((transfer) => (transfer.uetr ? [transfer.uetr] : [])) ?? [],
      txIds: plan?.message.transfers.flatMap((transfer) => (transfer.txId ? [transfer.txId] : [])) ?? [],
      instructionIds: plan?.message.transfers.flatMap((transfer) => (transfer.instructionId ? [transfer.instructionId] : [])) ?? [],
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
