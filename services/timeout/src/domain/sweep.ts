/**
 * The timeout step: a transaction without a final status when its SLA runs
 * out (its deadline: CreDtTm plus the SLA of its type and scheme) is rejected
 * with AB05, and its sender gets the negative response.
 */
import { Reason, Status, fitText, type EncodedRecord, type RecordPublisher } from '@mxflow/contracts';
import type { Archive, TransactionLog, TransactionStep, TransactionSummary } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'timeout';

/** What the step works with. */
export interface SweepPorts {
  readonly log: Pick<TransactionLog, 'sweepWork' | 'history' | 'record' | 'answered'>;
  readonly archive: Pick<Archive, 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
  /**
   * The negative response to a recorded rejection, built from the message as
   * archived on receipt (`rejectionAnswer` of `@mxflow/runtime`, which the
   * step that rejected it uses too: the same bytes either way).
   */
  readonly answerOf: (step: TransactionStep, summary: TransactionSummary, received: Uint8Array) => EncodedRecord | undefined;
}

/** What one sweep did. */
export interface SweepReport {
  /** Transactions this sweep rejected with AB05. */
  readonly timedOut: readonly string[];
  /** Overdue transactions another step ended first (a late result, another sweep). */
  readonly endedElsewhere: number;
  /** Transactions timed out earlier whose answer a crash kept from going out, answered now. */
  readonly answeredAgain: readonly string[];
  /**
   * When the sweep has work again, as far as it can tell: the deadline of the
   * next open transaction, sooner when refusals wait for their step's answer
   * or more were due than it took; `null` when nothing is open. A transaction
   * that arrives later makes it sooner: the local stage runs the sweep again
   * on each new message (AWS runs it every minute whatever this says).
   */
  readonly nextDueAt: string | null;
}

/** How soon a sweep that left work behind (more than its limit, a refusal in its grace) runs again. */
export const AGAIN_MS = 1_000;

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** The words of the rejection: what ran out. */
export function timeoutDetail(summary: Pick<TransactionSummary, 'deadline'>): string {
  return fitText(`no final status by its deadline ${summary.deadline ?? ''}`);
}

/** The response to a rejected transaction, built from the message as archived on receipt and the recorded rejection. */
async function responseTo(step: TransactionStep, summary: TransactionSummary, steps: readonly TransactionStep[], ports: SweepPorts): Promise<EncodedRecord | undefined> {
  const receipt = steps.find((recorded) => recorded.archiveKey && recorded.status === Status.RCVD) ?? steps.find((recorded) => recorded.archiveKey);
  const received = receipt?.archiveKey ? await ports.archive.get(receipt.archiveKey) : undefined;
  if (!received) return undefined;
  try {
    return ports.answerOf(step, summary, received);
  } catch {
    // A message too broken to echo its ids gets no answer, now or on any later sweep.
    return undefined;
  }
}

/**
 * How long a rejection another step recorded as pending its answer is left to
 * that step, which publishes the answer a few milliseconds later; after that
 * the step is taken to have crashed in between, and the sweep answers.
 */
export const ANSWER_GRACE_MS = 5_000;

/** Sends the answer of a timeout and takes the transaction out of the sweep. */
async function answer(transactionId: string, response: EncodedRecord | undefined, ports: SweepPorts): Promise<void> {
  if (response) await ports.bus.publish([response]);
  await ports.log.answered(transactionId);
}

/**
 * Rejects one overdue transaction: the AB05 step is written only while the
 * transaction is not final (the same condition a settlement's posting has),
 * so of a timeout and a late result exactly one wins, and of two overlapping
 * sweeps exactly one records it. The rejection is recorded as pending its
 * answer: the transaction stays in the sweep until the answer is out, so a
 * crash between the two is answered by the next sweep (the same bytes: they
 * are built from the archive and the recorded step only). Resolves what this
 * call did.
 */
export async function timeOut(transactionId: string, requestId: string, ports: SweepPorts): Promise<'timed-out' | 'answered-again' | 'ended-elsewhere' | 'in-grace'> {
  const { summary, steps } = await ports.log.history(transactionId);
  if (!summary) return 'ended-elsewhere';
  if (summary.final) {
    // Final, yet still in the sweep: a rejection (a timeout, a refusal at the door) whose answer did not go out.
    const recorded = steps.find((candidate) => candidate.step === summary.finalStep);
    if (!recorded || recorded.status !== Status.RJCT) {
      await ports.log.answered(transactionId);
      return 'ended-elsewhere';
    }
    // Another step's rejection is that step's to answer first.
    if (!recorded.step.startsWith(`${STEP}#`) && ports.now().getTime() - Date.parse(recorded.timestamp) < ANSWER_GRACE_MS) return 'in-grace';
    await answer(transactionId, await responseTo(recorded, summary, steps, ports), ports);
    return 'answered-again';
  }
  const step: TransactionStep = {
    transactionId,
    step: `${STEP}#${Status.RJCT}`,
    status: Status.RJCT,
    timestamp: ports.now().toISOString(),
    requestId,
    final: true,
    reasonCode: Reason.AB05,
    detail: timeoutDetail(summary),
  };
  const response = await responseTo(step, summary, steps, ports);
  try {
    await ports.log.record(step, { answerPending: true });
  } catch (error) {
    if (errorName(error) === 'StepAlreadyRecordedError' || errorName(error) === 'TransactionFinalError') return 'ended-elsewhere';
    throw error;
  }
  await answer(transactionId, response, ports);
  return 'timed-out';
}

/**
 * One sweep: every open transaction past its deadline, earliest first, up to
 * `limit`, is timed out, and every timeout whose answer a crash held back is
 * answered.
 *
 * @throws whatever infrastructure failure the ports throw; what was done stays done, and the next sweep goes on
 */
export async function sweep(requestId: string, ports: SweepPorts, limit = 200): Promise<SweepReport> {
  const now = ports.now();
  const work = await ports.log.sweepWork(now, limit);
  const timedOut: string[] = [];
  const answeredAgain: string[] = [];
  let left = work.more === true;
  for (const transactionId of work.overdue) {
    const done = await timeOut(transactionId, requestId, ports);
    if (done === 'timed-out') timedOut.push(transactionId);
    if (done === 'answered-again') answeredAgain.push(transactionId);
    if (done === 'in-grace') left = true;
  }
  const again = left ? now.getTime() + AGAIN_MS : undefined;
  const next = Math.min(again ?? Infinity, work.nextDeadline?.getTime() ?? Infinity);
  return {
    timedOut,
    answeredAgain,
    endedElsewhere: work.overdue.length - timedOut.length - answeredAgain.length,
    nextDueAt: Number.isFinite(next) ? new Date(next).toISOString() : null,
  };
}
