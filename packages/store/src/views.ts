/**
 * The API form of a balance and of a posting, as the admin API and the
 * Status API show them: amounts as decimal text with the currency's exponent.
 */
import { formatMoney } from '@mxflow/iso20022/money';
import type { Balance, Posting } from './ports';

/** A balance as decimal text, with its low-balance threshold when one is set. */
export function balanceView(balance: Balance, threshold?: bigint) {
  return {
    currency: balance.currency,
    amount: formatMoney(balance),
    updatedAt: balance.updatedAt,
    ...(threshold === undefined ? {} : { threshold: formatMoney({ ...balance, minor: threshold }) }),
  };
}

/** A posting as decimal text (negative for a debit). */
export function postingView(posting: Posting) {
  return {
    currency: posting.currency,
    amount: formatMoney(posting),
    reference: posting.transactionId,
    leg: posting.leg,
    timestamp: posting.timestamp,
  };
}

