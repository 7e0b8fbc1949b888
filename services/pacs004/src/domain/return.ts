/**
 * The pacs.004 step: the participant that received a payment sends (part of)
 * it back. The liquidity moves back and the original's returned amount grows
 * in one atomic write, which never lets the returns of a payment add up to
 * more than it.
 */
import {
  Reason,
  fitText,
  Status,
  answerRecords,
  type EncodedRecord,
  type IncomingRecordValue,
  type RecordPublisher,
} from '@mxflow/contracts';
import { formatMoney, originalReferences, statusReportForReturn, type Money, type OriginalReference } from '@mxflow/iso20022';
import type { Ledger, OriginalLookup, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'pacs004';
/** How often a return is tried again when another return of the same payment got in between. */
const CONFLICT_ATTEMPTS = 5;

/** The outcome of a return. */
export interface ReturnOutcome {
  readonly status: typeof Status.ACSC | typeof Status.RJCT;
  readonly reasonCode?: string;
  readonly detail?: string;
  readonly at: string;
  readonly originalTransactionId?: string;
  /** Who gets the money back: the original's sender. */
  readonly payee?: string;
  readonly amount?: Money;
}

/** What the step works with. */
export interface ReturnPorts {
  readonly log: Pick<TransactionLog, 'record' | 'recordOnce' | 'summary'>;
  /** Finds the original as the returner may see it (`originalFor` of the store). */
  readonly originalFor: (lookup: OriginalLookup, requester: string) => Promise<TransactionSummary | undefined>;
  readonly ledger: Pick<Ledger, 'transfer'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** A return the step refuses, with its ISO reason code. */
class Refusal {
  constructor(
    readonly reasonCode: string,
    readonly detail: string,
  ) {}
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;
const shown = (amount: Money): string => `${formatMoney(amount)} ${amount.currency}`;

/**
 * What may be returned of `original` by `returner`: only its receiver
 * returns, only a settled payment (or one partly returned), in its currency,
 * and never more than what is left of it.
 */
export function returnable(original: TransactionSummary | undefined, returner: string, amount: Money): Refusal | { left: bigint; before: bigint } {
  if (!original) return new Refusal(Reason.AG09, 'no such payment to this participant');
  if (original.receiverEntity !== returner) return new Refusal(Reason.AG01, 'only the participant that received a payment may return it');
  if (original.status === Status.RTND) return new Refusal(Reason.AM02, 'the payment was already returned in full');
  if (original.status !== Status.ACSC && original.status !== Status.PART) return new Refusal(Reason.AG09, `the payment did not settle (${original.status})`);
  if (!original.amount) return new Refusal(Reason.AG09, 'the payment has no settled amount');
  if (original.amount.currency !== amount.currency) return new Refusal(Reason.AM03, `the payment settled in ${original.amount.currency}, not ${amount.currency}`);
  const before = original.returned?.minor ?? 0n;
  const left = original.amount.minor - before;
  if (amount.minor > left) {
    return new Refusal(Reason.AM02, `${shown(amount)} is more than the ${shown({ ...original.amount, minor: left })} left of the payment`);
  }
  return { left, before };
}

function onlyOriginal(document: Record<string, unknown>): OriginalReference | Refusal {
  const { originals } = originalReferences(document);
  const [first] = originals;
  if (originals.length !== 1 || !first) return new Refusal(Reason.AG09, `a return names exactly one transaction; this one names ${originals.length}`);
  if (!first.amount || first.amount.minor <= 0n) return new Refusal(Reason.AM02, 'a return needs a returned amount above zero');
  return first;
}

/** The return's own final step. */
function outcomeStep(value: IncomingRecordValue, outcome: ReturnOutcome): TransactionStep {
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
    parties: { senderEntity: value.senderEntity, ...(outcome.payee ? { receiverEntity: outcome.payee } : {}) },
    ...(outcome.amount ? { amount: outcome.amount } : {}),
    ...(outcome.originalTransactionId ? { originalTransactionId: outcome.originalTransactionId } : {}),
  };
}

/** Moves the money back, or says why not. Resolves `undefined` when another delivery of the same return got there first. */
async function settleReturn(value: IncomingRecordValue, ports: ReturnPorts, at: string): Promise<ReturnOutcome | undefined> {
  const wanted = onlyOriginal(value.document);
  if (wanted instanceof Refusal) return { status: Status.RJCT, reasonCode: wanted.reasonCode, detail: wanted.detail, at };
  const amount = wanted.amount as Money;
  let original: TransactionSummary | undefined;
  try {
    original = await ports.originalFor(wanted, value.senderEntity);
  } catch (error) {
    // The references fit several of the returner's payments: nothing is returned on a guess.
    if (errorName(error) !== 'AmbiguousOriginalError') throw error;
    return { status: Status.RJCT, reasonCode: Reason.NARR, detail: (error as Error).message, at };
  }
  for (let attempt = 1; ; attempt += 1) {
    const about = original ? { originalTransactionId: original.transactionId } : {};
    const check = returnable(original, value.senderEntity, amount);
    if (check instanceof Refusal) return { status: Status.RJCT, reasonCode: check.reasonCode, detail: check.detail, at, ...about };
    const settled = original as TransactionSummary;
    const payee = settled.senderEntity as string;
    const outcome: ReturnOutcome = { status: Status.ACSC, at, payee, amount, ...about };
    const after = check.before + amount.minor;
    try {
      const receipt = await ports.ledger.transfer(
        { transactionId: value.transactionId, debtorEntity: value.senderEntity, creditorEntity: payee, amount, timestamp: at },
        outcomeStep(value, outcome),
        {
          originalTransactionId: settled.transactionId,
          returnedBefore: check.before,
          returnedAfter: after,
          status: after === settled.amount?.minor ? Status.RTND : Status.PART,
          returnTransactionId: value.transactionId,
          requestId: value.requestId,
          timestamp: at,
        },
      );
      return receipt.alreadyPosted ? undefined : outcome;
    } catch (error) {
      const name = errorName(error);
      if (name === 'InsufficientFundsError') return { status: Status.RJCT, reasonCode: Reason.AM04, detail: `the returning participant's liquidity does not cover ${shown(amount)}`, at, ...about };
      if (name === 'LedgerAccountError') return { status: Status.RJCT, reasonCode: Reason.AM03, detail: `${amount.currency} is not held by both parties`, at, ...about };
      if (name === 'DeadlinePassedError') return { status: Status.RJCT, reasonCode: Reason.AB05, detail: 'no final status by its deadline', at, ...about };
      if (name === 'TransactionFinalError') return undefined;
      // Another return of the same payment got in between: read it again and decide anew.
      if (name !== 'ReturnConflictError' || attempt >= CONFLICT_ATTEMPTS) throw error;
      original = await ports.log.summary(settled.transactionId);
    }
  }
}

/** The outcome recorded by an earlier delivery of the same return. */
function recorded(summary: TransactionSummary | undefined): ReturnOutcome | undefined {
  if (!summary?.final || (summary.status !== Status.ACSC && summary.status !== Status.RJCT)) return undefined;
  return {
    status: summary.status,
    at: summary.updatedAt,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.originalTransactionId ? { originalTransactionId: summary.originalTransactionId } : {}),
    ...(summary.receiverEntity ? { payee: summary.receiverEntity } : {}),
    ...(summary.amount ? { amount: summary.amount } : {}),
  };
}

/**
 * What goes to the outgoing step: the pacs.002 to the returner and, once the
 * money moved, the pacs.004 itself to the payee. Built only from the record
 * and the outcome, so a redelivery builds the same bytes.
 */
export function outgoingRecords(value: IncomingRecordValue, outcome: ReturnOutcome): EncodedRecord[] {
  // This step reads no participant: both parties of the postings, and the camt.054 step sees which of them asked.
  const parties = [value.senderEntity, ...(outcome.payee ? [outcome.payee] : [])];
  return answerRecords(value, outcome, (decision, envelope) => statusReportForReturn(value.document, decision, envelope), outcome.payee, parties);
}

/**
 * Handles one pacs.004: the money goes back to the original's sender and the
 * original becomes PART or RTND, all in one write; or the return is rejected
 * with its reason. Answers the returner with a pacs.002 and forwards the
 * pacs.004 to the payee. Safe to run again for the same record.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function handleReturn(value: IncomingRecordValue, ports: ReturnPorts): Promise<ReturnOutcome> {
  const earlier = recorded(await ports.log.summary(value.transactionId));
  if (earlier) {
    await ports.bus.publish(outgoingRecords(value, earlier));
    return earlier;
  }
  let outcome = await settleReturn(value, ports, ports.now().toISOString());
  if (outcome?.status === Status.RJCT) {
    try {
      await ports.log.record(outcomeStep(value, outcome));
    } catch (error) {
      if (errorName(error) !== 'StepAlreadyRecordedError' && errorName(error) !== 'TransactionFinalError') throw error;
      outcome = undefined;
    }
  }
  // Another delivery (or a timeout) decided first: answer with what was recorded.
  const answered = outcome ?? recorded(await ports.log.summary(value.transactionId));
  if (!answered) return { status: Status.RJCT, at: ports.now().toISOString() };
  await ports.bus.publish(outgoingRecords(value, answered));
  return answered;
}

/**
 * Gives up on a return whose processing kept failing (a dead letter): it is
 * rejected with AB04, unless it already has an outcome, which is answered.
 */
export async function rejectAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<ReturnPorts, 'log' | 'bus' | 'now'>): Promise<ReturnOutcome | undefined> {
  const earlier = recorded(await ports.log.summary(value.transactionId));
  const answered = earlier ?? recorded(await ports.log.recordOnce(outcomeStep(value, { status: Status.RJCT, reasonCode: Reason.AB04, detail, at: ports.now().toISOString() })));
  if (answered) await ports.bus.publish(outgoingRecords(value, answered));
  return answered;
}
