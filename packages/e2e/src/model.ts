/**
 * The reference model of the workflow: a small, pure statement of what each
 * answer must be, by the schemes' rules as the platform applies them. The
 * model-based test (tests/model.e2e.test.ts) runs random histories against
 * the real local platform and compares every answer, final status and
 * balance with what this model says.
 *
 * Amounts are EUR minor units (bigint). Parties are indexes into the
 * participants of the test (0, 1, 2).
 */

/** One operation of a history. `of` picks a payment made earlier in the history (modulo their number). */
export type Operation =
  | { readonly kind: 'pay'; readonly from: number; readonly to: number; readonly amount: bigint; readonly endToEnd: 'fresh' | 'NOTPROVIDED' }
  | { readonly kind: 'repeat'; readonly of: number }
  | { readonly kind: 'copies'; readonly from: number; readonly to: number; readonly amount: bigint; readonly copies: number }
  | { readonly kind: 'reuseMsgId'; readonly of: number }
  | { readonly kind: 'reuseUetr'; readonly of: number }
  | { readonly kind: 'status'; readonly of: number; readonly asker: 'sender' | 'receiver' | 'stranger' }
  | { readonly kind: 'cancel'; readonly of: number }
  | { readonly kind: 'return'; readonly of: number; readonly share: 'part' | 'rest' | 'over'; readonly by: 'receiver' | 'sender' }
  | { readonly kind: 'racingReturns'; readonly of: number }
  | { readonly kind: 'suspend'; readonly who: number }
  | { readonly kind: 'reinstate'; readonly who: number }
  | { readonly kind: 'topUp'; readonly who: number; readonly amount: bigint }
  | { readonly kind: 'late'; readonly from: number; readonly to: number; readonly amount: bigint }
  | { readonly kind: 'cancelInFlight'; readonly from: number; readonly to: number; readonly amount: bigint }
  | { readonly kind: 'timeout'; readonly from: number; readonly to: number; readonly amount: bigint }
  | { readonly kind: 'nearDeadline'; readonly from: number; readonly to: number; readonly amount: bigint; readonly leftMs: number }
  | { readonly kind: 'batch'; readonly from: number; readonly transfers: readonly { readonly to: number | 'nobody'; readonly amount: bigint }[] }
  | { readonly kind: 'kill'; readonly host: 'consumers' | 'http'; readonly afterMs: number; readonly from: number; readonly to: number; readonly amount: bigint }
  | { readonly kind: 'report'; readonly who: number; readonly message: 'camt.052' | 'camt.053' };

/** A payment as the model remembers it. */
export interface ModelPayment {
  readonly from: number;
  readonly to: number;
  readonly amount: bigint;
  readonly uetr: string;
  /** ACSC, PART, RTND, CANC or RJCT, once decided. */
  status: string;
  reasonCode?: string;
  returned: bigint;
  /**
   * Whether the receiver is a party to it: once settlement weighed it (settled
   * or refused), yes; cancelled before that, no (it never reached the
   * receiver); timed out, either, by which step got there first.
   */
  receiverKnows: boolean | 'maybe';
  /** A transfer of a pain.001: the test names it without its MsgId, which the platform gave it. */
  child?: boolean;
}

/** What the platform holds, as the model sees it. */
export interface ModelState {
  readonly balances: bigint[];
  readonly suspended: boolean[];
  /** Payments accepted (202) in this history, in order. */
  readonly payments: ModelPayment[];
  /** UETRs held by a settled payment of their sender: `<from>#<uetr>`. */
  readonly heldUetrs: Set<string>;
  /** What the operator added (top-ups): the only change to the sum of balances. */
  toppedUp: bigint;
}

/** The answer the model expects: a synchronous refusal, or a 202 and the final status it reaches. */
export type Expected =
  | { readonly http: 403 | 409 | 422; readonly reasonCode?: string }
  | { readonly http: 202; readonly status: string; readonly reasonCodes?: readonly string[]; readonly answer?: string };

/** A new model state from the balances read at the start of a history; every party active. */
export function initialState(balances: readonly bigint[]): ModelState {
  return { balances: [...balances], suspended: balances.map(() => false), payments: [], heldUetrs: new Set(), toppedUp: 0n };
}

/** The payment an operation refers to, if the history has made any. */
export function paymentOf(state: ModelState, of: number): ModelPayment | undefined {
  return state.payments.length === 0 ? undefined : state.payments[of % state.payments.length];
}

/**
 * A payment from `from` to `to` arriving at pacs008 (202 already given):
 * a suspended receiver is AG11; a UETR its sender already settled is AM05
 * (or AM04, when the balance is short too: the store may report either
 * condition first); a balance that does not cover it is AM04; else it
 * settles and the money moves.
 */
function settle(state: ModelState, from: number, to: number, amount: bigint, uetr: string): Expected & { http: 202 } {
  if (state.suspended[to]) return decide(state, { from, to, amount, uetr }, 'RJCT', ['AG11']);
  const held = state.heldUetrs.has(`${from}#${uetr}`);
  const short = amount > (state.balances[from] as bigint);
  if (held) return decide(state, { from, to, amount, uetr }, 'RJCT', short ? ['AM05', 'AM04'] : ['AM05']);
  if (short) return decide(state, { from, to, amount, uetr }, 'RJCT', ['AM04']);
  state.balances[from] = (state.balances[from] as bigint) - amount;
  state.balances[to] = (state.balances[to] as bigint) + amount;
  state.heldUetrs.add(`${from}#${uetr}`);
  return decide(state, { from, to, amount, uetr }, 'ACSC');
}

function decide(state: ModelState, payment: Omit<ModelPayment, 'status' | 'returned' | 'receiverKnows'>, status: string, reasonCodes?: readonly string[], receiverKnows: ModelPayment['receiverKnows'] = true): Expected & { http: 202 } {
  state.payments.push({ ...payment, status, returned: 0n, receiverKnows, ...(reasonCodes?.[0] ? { reasonCode: reasonCodes[0] } : {}) });
  return { http: 202, status, ...(reasonCodes ? { reasonCodes } : {}) };
}

/** A new payment: refused at the door when its sender is suspended (403, AG10), else decided by settlement. */
export function pay(state: ModelState, from: number, to: number, amount: bigint, uetr: string): Expected {
  if (state.suspended[from]) return { http: 403, reasonCode: 'AG10' };
  return settle(state, from, to, amount, uetr);
}

/** A payment whose SLA ran out before it arrived: 422 AB05 at the door (after the sender check), nothing moves. */
export function late(state: ModelState, from: number): Expected {
  return state.suspended[from] ? { http: 403, reasonCode: 'AG10' } : { http: 422, reasonCode: 'AB05' };
}

/** How a payment racing its deadline ended, as the platform answered it. */
export type DeadlineOutcome = 'late' | 'timedOut' | 'decided';

/** Reads a {@link DeadlineOutcome} from an answer: 422 AB05 at the door, RJCT AB05 after a 202, or anything else. */
export function deadlineOutcome(actual: { http: number; reasonCode?: string }): DeadlineOutcome {
  if (actual.http === 422 && actual.reasonCode === 'AB05') return 'late';
  return actual.http === 202 && actual.reasonCode === 'AB05' ? 'timedOut' : 'decided';
}

/**
 * A payment racing its deadline (it arrives just before it, or a crash holds
 * it up): whichever way the race went, it is one of three ends, and each
 * has its rule. Too late at the door: 422 AB05, nothing recorded. Timed out
 * after its 202: RJCT AB05, nothing moves. Decided in time: as any payment.
 */
export function againstDeadline(state: ModelState, from: number, to: number, amount: bigint, uetr: string, outcome: DeadlineOutcome): Expected {
  if (state.suspended[from]) return { http: 403, reasonCode: 'AG10' };
  if (outcome === 'late') return { http: 422, reasonCode: 'AB05' };
  if (outcome === 'timedOut') return decide(state, { from, to, amount, uetr }, 'RJCT', ['AB05'], 'maybe');
  return settle(state, from, to, amount, uetr);
}

/**
 * A payment held in settlement past its deadline: timed out (RJCT AB05)
 * and nothing moves; never settled. A slow door may also find it late
 * already (422 AB05).
 */
export function timeout(state: ModelState, from: number, to: number, amount: bigint, uetr: string, outcome: DeadlineOutcome): Expected {
  if (state.suspended[from]) return { http: 403, reasonCode: 'AG10' };
  if (outcome === 'late') return { http: 422, reasonCode: 'AB05' };
  // Held past its deadline, it is timed out before settlement weighs it: the receiver never had it.
  return decide(state, { from, to, amount, uetr }, 'RJCT', ['AB05'], false);
}

/**
 * A payment held in settlement while its sender cancels it. When the
 * cancellation comes first (CNCL), the payment ends CANC and nothing moves;
 * when settlement comes first, the payment is decided as any other and the
 * cancellation is refused for the status it found.
 */
export function cancelInFlight(
  state: ModelState,
  from: number,
  to: number,
  amount: bigint,
  uetr: string,
  cancelledFirst: boolean,
): { payment: Expected; cancellation?: Expected } {
  if (state.suspended[from]) return { payment: { http: 403, reasonCode: 'AG10' } };
  if (cancelledFirst) {
    return { payment: decide(state, { from, to, amount, uetr }, 'CANC', undefined, false), cancellation: { http: 202, status: 'ANSW', answer: 'CNCL' } };
  }
  const payment = settle(state, from, to, amount, uetr);
  return { payment, cancellation: cancel(state, state.payments.at(-1) as ModelPayment) };
}

/**
 * A pain.001 of `from`'s customer: refused at the door when `from` is
 * suspended; else each transfer becomes a payment, settled in order (one to
 * an agent that is no participant is RJCT RC01 and is no payment of the
 * model), and the pain.002's group status says how many settled: all ACSC,
 * some PART, none RJCT.
 */
export function batch(state: ModelState, from: number, transfers: readonly { to: number | 'nobody'; amount: bigint; uetr: string }[]): Expected {
  if (state.suspended[from]) return { http: 403, reasonCode: 'AG10' };
  let settled = 0;
  for (const transfer of transfers) {
    if (transfer.to === 'nobody') continue;
    if (settle(state, from, transfer.to, transfer.amount, transfer.uetr).status === 'ACSC') settled += 1;
    (state.payments.at(-1) as ModelPayment).child = true;
  }
  const group = settled === transfers.length ? 'ACSC' : settled > 0 ? 'PART' : 'RJCT';
  return { http: 202, status: 'ANSW', answer: group };
}

/** The same bytes again: the first transaction's 202, whatever happened since. */
export function repeat(): Expected {
  return { http: 202, status: 'SAME' };
}

/**
 * Another body under the MsgId of an accepted payment, without an
 * Idempotency-Key: a duplicate message (AM05). The door's checks come first:
 * the sender's status (AG10), then the time (AB05, once the CreDtTm it
 * shares with the original is past the SLA).
 */
export function reuseMsgId(state: ModelState, from: number, late: boolean): Expected {
  if (state.suspended[from]) return { http: 403, reasonCode: 'AG10' };
  return { http: 422, reasonCode: late ? 'AB05' : 'AM05' };
}

/** A new message repeating the UETR of an earlier payment (same parties and amount): AM05 while a settled one holds it. */
export function reuseUetr(state: ModelState, original: ModelPayment): Expected {
  if (state.suspended[original.from]) return { http: 403, reasonCode: 'AG10' };
  return settle(state, original.from, original.to, original.amount, original.uetr);
}

/**
 * The payment a message naming `named` (by its UETR, MsgId and EndToEndId)
 * means to `asker`, by the platform's rule: among the payments with that
 * UETR to which the asker is a party, narrowed by the other ids, a rejected
 * one never shadowing one that was not. `undefined` when the asker is party
 * to none; `'uncertain'` when that depends on which step timed one out.
 */
export function originalAs(state: ModelState, named: ModelPayment, asker: number): ModelPayment | undefined | 'uncertain' {
  const candidates = state.payments.filter((payment) => payment.uetr === named.uetr);
  if (candidates.some((payment) => payment.to === asker && payment.from !== asker && payment.receiverKnows === 'maybe') && candidates.length > 1) return 'uncertain';
  let fitting = candidates.filter((payment) => payment.from === asker || (payment.to === asker && payment.receiverKnows === true));
  if (fitting.length > 1 && !named.child && fitting.includes(named)) fitting = [named];
  if (fitting.length > 1) {
    const standing = fitting.filter((payment) => payment.status !== 'RJCT');
    if (standing.length > 0) fitting = standing;
  }
  return fitting.length === 1 ? fitting[0] : fitting.length === 0 ? undefined : 'uncertain';
}

/** Who asks, among the three parties. */
export function askerOf(original: ModelPayment, asker: 'sender' | 'receiver' | 'stranger'): number {
  if (asker === 'sender') return original.from;
  if (asker === 'receiver') return original.to;
  return [0, 1, 2].find((party) => party !== original.from && party !== original.to) as number;
}

/**
 * A pacs.028 about a payment: its status to either party (returned ones
 * report settled), AG09 to anyone else; the receiver of a payment that never
 * reached it (cancelled before settlement weighed it) is not a party either.
 */
export function status(state: ModelState, original: ModelPayment, asker: number): Expected {
  if (state.suspended[asker]) return { http: 403, reasonCode: 'AG10' };
  const stranger = asker !== original.from && (asker !== original.to || original.receiverKnows === false);
  if (stranger) return { http: 202, status: 'ANSW', answer: 'RJCT', reasonCodes: ['AG09'] };
  const reason = original.reasonCode ?? 'AB04';
  if (original.status === 'RJCT') return { http: 202, status: 'ANSW', answer: 'RJCT', reasonCodes: asker === original.to && original.receiverKnows === 'maybe' ? [reason, 'AG09'] : [reason] };
  if (original.status === 'CANC') return { http: 202, status: 'ANSW', answer: 'CANC' };
  return { http: 202, status: 'ANSW', answer: 'ACSC' };
}

/** A camt.056 from the payment's sender once it is final: refused (RJCR) with the reason its state gives. */
export function cancel(state: ModelState, original: ModelPayment): Expected {
  if (state.suspended[original.from]) return { http: 403, reasonCode: 'AG10' };
  const reason = original.status === 'ACSC' ? 'PTNA' : original.status === 'RJCT' || original.status === 'CANC' ? 'NARR' : 'ARDT';
  return { http: 202, status: 'ANSW', answer: 'RJCR', reasonCodes: [reason] };
}

/** The amount a return of `share` asks for. */
export function returnAmount(original: ModelPayment, share: 'part' | 'rest' | 'over'): bigint {
  const left = original.amount - original.returned;
  if (share === 'over') return left + 1n;
  if (share === 'rest' || left <= 1n) return left > 0n ? left : 1n;
  return left / 2n;
}

/**
 * A pacs.004: only the receiver of a settled payment returns it, at most what
 * is left of it, and only with the liquidity to cover it; the money goes back
 * and the original becomes PART or RTND.
 */
export function giveBack(state: ModelState, original: ModelPayment, returner: number, amount: bigint): Expected {
  if (state.suspended[returner]) return { http: 403, reasonCode: 'AG10' };
  if (returner !== original.to) return { http: 202, status: 'RJCT', reasonCodes: ['AG01'] };
  if (original.status === 'RTND') return { http: 202, status: 'RJCT', reasonCodes: ['AM02'] };
  if (original.status !== 'ACSC' && original.status !== 'PART') return { http: 202, status: 'RJCT', reasonCodes: ['AG09'] };
  if (amount > original.amount - original.returned) return { http: 202, status: 'RJCT', reasonCodes: ['AM02'] };
  if (amount > (state.balances[returner] as bigint)) return { http: 202, status: 'RJCT', reasonCodes: ['AM04'] };
  state.balances[returner] = (state.balances[returner] as bigint) - amount;
  state.balances[original.from] = (state.balances[original.from] as bigint) + amount;
  original.returned += amount;
  original.status = original.returned === original.amount ? 'RTND' : 'PART';
  return { http: 202, status: 'ACSC' };
}

/** The operator's top-up: the balance grows, and so does the sum. */
export function topUp(state: ModelState, who: number, amount: bigint): void {
  state.balances[who] = (state.balances[who] as bigint) + amount;
  state.toppedUp += amount;
}

/** An entry an account report must hold: its payment's UETR, amount and direction. */
export interface ExpectedEntry {
  readonly uetr: string;
  readonly amount: bigint;
  readonly direction: 'DBIT' | 'CRDT';
}

const SETTLED = new Set(['ACSC', 'PART', 'RTND']);

/**
 * The entries a report of `who`'s account must hold for the history: one per
 * payment that settled (returned since or not) with `who` as a party, a debit
 * for its sender and a credit for its receiver. Returns have entries of their
 * own, which the model does not name.
 */
export function reportEntries(state: ModelState, who: number): ExpectedEntry[] {
  return state.payments
    .filter((payment) => SETTLED.has(payment.status) && (payment.from === who || payment.to === who))
    .map((payment) => ({ uetr: payment.uetr, amount: payment.amount, direction: payment.from === who ? 'DBIT' : 'CRDT' }));
}

/**
 * What a participant's account report request gets: its report, suspended or
 * not. A suspension stops a participant's payments, not the reading of its
 * books (a camt.060 names no instructing agent for the door to refuse).
 */
export function report(message: string): Expected {
  return { http: 202, status: 'ANSW', answer: message };
}

/** Whether a final answer matches what the model expected. */
export function matches(expected: Expected, actual: { http: number; reasonCode?: string; status?: string; answer?: string }): boolean {
  if (expected.http !== actual.http) return false;
  if (expected.http !== 202) return expected.reasonCode === undefined || expected.reasonCode === actual.reasonCode;
  if (expected.status !== 'SAME' && expected.status !== actual.status) return false;
  if (expected.answer !== undefined && expected.answer !== actual.answer) return false;
  return expected.reasonCodes === undefined || expected.reasonCodes.includes(actual.reasonCode ?? '');
}

/** One step of a transaction as the Status API shows it. */
interface ViewStep {
  readonly status?: string;
  readonly reasonCode?: string;
  readonly timestamp?: string;
}

/**
 * What is wrong with a final transaction's record against its deadline, if
 * anything: a deadline before the transaction was created, a settlement at
 * or after the deadline, or a timeout (RJCT AB05) before it.
 */
export function deadlineProblem(view: { readonly deadline?: unknown; readonly createdAt?: unknown; readonly steps?: unknown }): string | undefined {
  if (typeof view.deadline !== 'string') return undefined;
  const deadline = Date.parse(view.deadline);
  if (typeof view.createdAt === 'string' && deadline < Date.parse(view.createdAt)) return `its deadline ${view.deadline} is before its creation ${view.createdAt}`;
  const steps = Array.isArray(view.steps) ? (view.steps as ViewStep[]) : [];
  const settled = steps.find((step) => step.status === 'ACSC');
  if (settled?.timestamp && Date.parse(settled.timestamp) >= deadline) return `it settled at ${settled.timestamp}, not before its deadline ${view.deadline}`;
  const timedOut = steps.find((step) => step.status === 'RJCT' && step.reasonCode === 'AB05');
  if (timedOut?.timestamp && Date.parse(timedOut.timestamp) < deadline) return `it was timed out at ${timedOut.timestamp}, before its deadline ${view.deadline}`;
  return undefined;
}

/** Formats minor units of EUR as the decimal text a message carries. */
export function euros(minor: bigint): string {
  return `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
}
