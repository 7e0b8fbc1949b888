/**
 * The balance of one currency over time, from the current balance and the
 * postings: walking back from now, each posting is taken off again. In
 * bigint minor units throughout.
 */
import { toMinor } from './money';

/** A posting as the API lists it: signed decimal text. */
export interface PostingLike {
  readonly currency: string;
  readonly amount: string;
  readonly timestamp: string;
  readonly reference?: string;
}

/** The balance right after a posting (or, for the first point, before any of them). */
export interface BalancePoint {
  readonly timestamp: string;
  readonly minor: bigint;
  /** The posting that led to this balance; absent on the opening point. */
  readonly posting?: PostingLike;
}

/**
 * The balance after each posting of `currency`, oldest first, with an opening
 * point before the first posting, ending at `current`. Postings of another
 * currency are left out. The postings may come in any order.
 */
export function balanceHistory(current: string, currency: string, postings: readonly PostingLike[]): BalancePoint[] {
  const own = postings
    .filter((posting) => posting.currency === currency)
    .map((posting, index) => ({ posting, index, minor: toMinor(posting.amount, currency), at: Date.parse(posting.timestamp) }))
    // Equal timestamps keep the order the API gave; newest last.
    .sort((a, b) => a.at - b.at || a.index - b.index);
  let balance = toMinor(current, currency);
  const points: BalancePoint[] = [];
  for (let i = own.length - 1; i >= 0; i -= 1) {
    points.push({ timestamp: own[i].posting.timestamp, minor: balance, posting: own[i].posting });
    balance -= own[i].minor;
  }
  if (own.length) points.push({ timestamp: own[0].posting.timestamp, minor: balance });
  return points.reverse();
}
