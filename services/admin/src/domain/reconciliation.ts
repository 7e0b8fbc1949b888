/**
 * Reconciliation: the proof, for one UTC day, that the books add up. Every
 * balance equals its postings; every payment and return settled that day has
 * exactly its two postings; no transfer posting of the day belongs to
 * nothing; each currency's transfers add up to zero; and every archived
 * message a step of the day names is still there with the digest the step
 * recorded. A pure function of what the adapters read: no I/O here.
 */
import { formatMoney, type Money } from '@mxflow/iso20022/money';
import type { Balance, Posting, TransactionStep, TransactionSummary } from '@mxflow/store';

/** The checks, as a mismatch names them. */
export const Check = {
  /** A balance item differs from the sum of its postings (or postings have no balance item). */
  BALANCE: 'balance',
  /** A settled payment or return lacks one of its two postings, or has others. */
  SETTLEMENT: 'settlement',
  /** A debit or credit posting of the day whose transaction settled nothing. */
  STRAY_POSTING: 'stray-posting',
  /** A currency's transfer postings of the day do not add up to zero. */
  ZERO_SUM: 'zero-sum',
  /** An archived message a step names is absent, or holds other bytes than the step recorded. */
  ARCHIVE: 'archive',
} as const;
/** One of {@link Check}. */
export type CheckName = (typeof Check)[keyof typeof Check];

/** One thing that does not add up. Amounts are decimal text with their currency (`125.00 EUR`). */
export interface Mismatch {
  readonly check: CheckName;
  /** What it is about: `balance/<entity>/<currency>`, `transaction/<id>`, `posting/…`, `currency/<ccy>`, `archive/<key>`. */
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
  readonly detail: string;
}

/** A transaction as the transaction table holds it: its state (when it has one) and its steps. */
export interface TransactionRecord {
  readonly transactionId: string;
  readonly summary?: TransactionSummary;
  readonly steps: readonly TransactionStep[];
}

/** What a reconciliation reads. */
export interface ReconciliationInput {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Every balance item of every entity. */
  readonly balances: readonly Balance[];
  /** Every posting of every entity, of every day (a balance is the sum of all of them). */
  readonly postings: readonly Posting[];
  /**
   * The transactions the day may concern: those created that day or the day
   * before, and those any posting of the day names.
   */
  readonly transactions: readonly TransactionRecord[];
  /**
   * The archive as read for the keys the day's steps name: the base64
   * SHA-256 of the stored bytes, or `undefined` when nothing is stored.
   */
  readonly archive: ReadonlyMap<string, string | undefined>;
}

/** Per currency: the day's transfer postings (zero when nothing is lost or made) and its operations (top-ups, withdrawals, openings). */
export interface CurrencyTotals {
  readonly currency: string;
  readonly transfers: string;
  readonly external: string;
}

/** The result of a reconciliation, as the API and the command show it. */
export interface Reconciliation {
  readonly balanced: boolean;
  readonly date: string;
  readonly checked: {
    readonly balances: number;
    readonly postings: number;
    readonly transfers: number;
    readonly returns: number;
    readonly currencies: number;
    readonly archivedMessages: number;
    /** Archived messages whose digest was compared. */
    readonly archiveDigests: number;
    /** Archived messages named only by steps recorded before digests were kept: checked for existence only. */
    readonly archiveExistenceOnly: number;
  };
  readonly totals: readonly CurrencyTotals[];
  readonly notes: readonly string[];
  readonly mismatches: readonly Mismatch[];
}

/** Legs the ledger writes for a transfer; any other leg is an operation (opening, top-up, withdrawal). */
export const TransferLeg = { DEBIT: 'debit', CREDIT: 'credit' } as const;
const isTransferLeg = (leg: string): boolean => leg === TransferLeg.DEBIT || leg === TransferLeg.CREDIT;

/** Statuses of a payment whose money moved: settled, then perhaps returned in part or in whole. */
const SETTLED_PAYMENT = new Set(['ACSC', 'PART', 'RTND']);
const SETTLED = 'ACSC';

/** The UTC day of an ISO 8601 instant, `undefined` when it is none. */
export function dayOf(timestamp: string): string | undefined {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

/** An amount as decimal text with its currency: `-125.00 EUR`. */
export const amountText = (amount: Money): string => `${formatMoney(amount)} ${amount.currency}`;

/** A transfer the ledger must hold: a settled pacs.008 or pacs.004. */
interface SettledTransfer {
  readonly transactionId: string;
  readonly kind: 'payment' | 'return';
  readonly day: string | undefined;
  readonly debtor: string | undefined;
  readonly creditor: string | undefined;
  readonly amount: Money | undefined;
}

function settledTransferOf(record: TransactionRecord): SettledTransfer | undefined {
  const { summary, steps } = record;
  if (!summary) return undefined;
  const messageType = summary.messageType ?? steps.find((step) => step.messageType)?.messageType;
  const kind = messageType === 'pacs.008' && SETTLED_PAYMENT.has(summary.status) ? 'payment' : messageType === 'pacs.004' && summary.status === SETTLED ? 'return' : undefined;
  if (!kind) return undefined;
  // The step that moved the money; an outgoing step reporting ACSC only tells of it.
  const settling = steps.find((step) => step.status === SETTLED && !step.informational && step.amount) ?? steps.find((step) => step.status === SETTLED && !step.informational);
  return {
    transactionId: record.transactionId,
    kind,
    day: dayOf(settling?.timestamp ?? summary.updatedAt),
    debtor: summary.senderEntity,
    creditor: summary.receiverEntity,
    amount: settling?.amount ?? summary.amount,
  };
}

const postingText = (posting: Posting): string => `${posting.leg} ${amountText(posting)} on ${posting.entityId}`;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const sum = (postings: readonly Posting[]): bigint => postings.reduce((total, posting) => total + posting.minor, 0n);

function checkBalances(input: ReconciliationInput, mismatches: Mismatch[]): number {
  const byAccount = groupBy(input.postings, (posting) => `${posting.entityId}/${posting.currency}`);
  const seen = new Set<string>();
  for (const balance of input.balances) {
    const account = `${balance.entityId}/${balance.currency}`;
    seen.add(account);
    const postings = byAccount.get(account) ?? [];
    const days = postings.map((posting) => ({ posting, day: dayOf(posting.timestamp) ?? '' }));
    const opening = sum(days.filter(({ day }) => day < input.date).map(({ posting }) => posting));
    const ofDay = sum(days.filter(({ day }) => day === input.date).map(({ posting }) => posting));
    const later = sum(days.filter(({ day }) => day > input.date).map(({ posting }) => posting));
    const expected = opening + ofDay + later;
    const money = (minor: bigint): Money => ({ minor, currency: balance.currency, exponent: balance.exponent });
    const otherExponent = postings.find((posting) => posting.exponent !== balance.exponent);
    if (expected !== balance.minor || otherExponent) {
      mismatches.push({
        check: Check.BALANCE,
        subject: `balance/${account}`,
        expected: amountText(money(expected)),
        actual: amountText(balance),
        detail: otherExponent
          ? `a posting of transaction ${otherExponent.transactionId} has exponent ${otherExponent.exponent}, the balance ${balance.exponent}`
          : `opening ${amountText(money(opening))} + postings of ${input.date} ${amountText(money(ofDay))}${later === 0n ? '' : ` + later postings ${amountText(money(later))}`}, but the balance item holds ${amountText(balance)}`,
      });
    }
  }
  for (const [account, postings] of byAccount) {
    if (seen.has(account)) continue;
    const [first] = postings as [Posting];
    mismatches.push({
      check: Check.BALANCE,
      subject: `balance/${account}`,
      expected: amountText({ ...first, minor: sum(postings) }),
      actual: 'no balance item',
      detail: `${postings.length} posting${postings.length === 1 ? '' : 's'} of ${first.entityId} in ${first.currency} but no balance item`,
    });
  }
  return input.balances.length;
}

function checkSettlement(transfer: SettledTransfer, postings: readonly Posting[], mismatches: Mismatch[]): void {
  const subject = `transaction/${transfer.transactionId}`;
  const what = transfer.kind === 'payment' ? 'settled payment (pacs.008)' : 'settled return (pacs.004)';
  const found = postings.length ? postings.map(postingText).join(', ') : 'no postings';
  const { amount, debtor, creditor } = transfer;
  if (!amount || !debtor || !creditor) {
    mismatches.push({
      check: Check.SETTLEMENT,
      subject,
      expected: 'a debtor, a creditor and an amount',
      actual: `debtor ${debtor ?? 'none'}, creditor ${creditor ?? 'none'}, amount ${amount ? amountText(amount) : 'none'}`,
      detail: `the ${what} does not say what should have moved; its postings: ${found}`,
    });
    return;
  }
  const expected: Posting[] = [
    { entityId: debtor, currency: amount.currency, exponent: amount.exponent, minor: -amount.minor, transactionId: transfer.transactionId, leg: TransferLeg.DEBIT, timestamp: '' },
    { entityId: creditor, currency: amount.currency, exponent: amount.exponent, minor: amount.minor, transactionId: transfer.transactionId, leg: TransferLeg.CREDIT, timestamp: '' },
  ];
  const same = (a: Posting, b: Posting): boolean =>
    a.entityId === b.entityId && a.currency === b.currency && a.exponent === b.exponent && a.minor === b.minor && a.leg === b.leg;
  const missing = expected.filter((wanted) => !postings.some((posting) => same(posting, wanted)));
  const extra = postings.filter((posting) => !expected.some((wanted) => same(posting, wanted)));
  if (missing.length === 0 && extra.length === 0 && postings.length === 2) return;
  mismatches.push({
    check: Check.SETTLEMENT,
    subject,
    expected: expected.map(postingText).join(', '),
    actual: found,
    detail: [
      missing.length ? `missing: ${missing.map(postingText).join(', ')}` : '',
      extra.length ? `not of this ${what}: ${extra.map(postingText).join(', ')}` : '',
      missing.length === 0 && extra.length === 0 ? `${postings.length} postings where 2 belong` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
}

interface ArchiveCounts {
  readonly messages: number;
  readonly digests: number;
  readonly existenceOnly: number;
}

function checkArchive(input: ReconciliationInput, mismatches: Mismatch[]): ArchiveCounts {
  // Each archived message once, with every digest its steps recorded.
  const named = new Map<string, { digests: Set<string>; steps: string[] }>();
  for (const record of input.transactions) {
    for (const step of record.steps) {
      if (!step.archiveKey || dayOf(step.timestamp) !== input.date) continue;
      const entry = named.get(step.archiveKey) ?? { digests: new Set<string>(), steps: [] };
      if (step.archiveSha256) entry.digests.add(step.archiveSha256);
      entry.steps.push(`${record.transactionId} ${step.step}`);
      named.set(step.archiveKey, entry);
    }
  }
  let digests = 0;
  let existenceOnly = 0;
  for (const [key, { digests: recorded, steps }] of named) {
    if (recorded.size > 0) digests += 1;
    else existenceOnly += 1;
    const stored = input.archive.get(key);
    const expected = recorded.size > 0 ? [...recorded].map((digest) => `sha256 ${digest}`).join(' or ') : 'present';
    if (stored === undefined) {
      mismatches.push({ check: Check.ARCHIVE, subject: `archive/${key}`, expected, actual: 'absent', detail: `named by ${steps.join(', ')}, but not in the archive` });
      continue;
    }
    const other = [...recorded].filter((digest) => digest !== stored);
    if (other.length > 0) {
      mismatches.push({
        check: Check.ARCHIVE,
        subject: `archive/${key}`,
        expected: other.map((digest) => `sha256 ${digest}`).join(' or '),
        actual: `sha256 ${stored}`,
        detail: `the archive holds other bytes than ${steps.join(', ')} recorded`,
      });
    }
  }
  return { messages: named.size, digests, existenceOnly };
}

/**
 * Reconciles one day. Pure: the same input gives the same result, its
 * mismatches in a stable order (by check, then subject).
 */
export function reconcile(input: ReconciliationInput): Reconciliation {
  const mismatches: Mismatch[] = [];
  const balances = checkBalances(input, mismatches);

  const byTransaction = groupBy(input.postings, (posting) => posting.transactionId);
  const ofDay = input.postings.filter((posting) => dayOf(posting.timestamp) === input.date);
  const transferPostings = ofDay.filter((posting) => isTransferLeg(posting.leg));
  const settled = new Map<string, SettledTransfer>();
  for (const record of input.transactions) {
    const transfer = settledTransferOf(record);
    if (transfer) settled.set(record.transactionId, transfer);
  }
  // The transfers the day concerns: settled that day, or posted that day whenever they settled.
  const postedToday = new Set(transferPostings.map((posting) => posting.transactionId));
  const ofTheDay = [...settled.values()].filter((transfer) => transfer.day === input.date || postedToday.has(transfer.transactionId));
  for (const transfer of ofTheDay) checkSettlement(transfer, byTransaction.get(transfer.transactionId) ?? [], mismatches);

  const records = new Map(input.transactions.map((record) => [record.transactionId, record]));
  for (const posting of transferPostings) {
    if (settled.has(posting.transactionId)) continue;
    const record = records.get(posting.transactionId);
    const state = record?.summary ? `its transaction is a ${record.summary.messageType ?? 'message'} with status ${record.summary.status}` : 'no transaction has this id';
    mismatches.push({
      check: Check.STRAY_POSTING,
      subject: `posting/${posting.entityId}/${posting.currency}/${posting.transactionId}/${posting.leg}`,
      expected: 'a posting of a settled payment (pacs.008) or return (pacs.004)',
      actual: postingText(posting),
      detail: `posted ${posting.timestamp}, but ${state}`,
    });
  }

  const currencies = [...new Set(ofDay.map((posting) => posting.currency))].sort();
  const totals = currencies.map((currency): CurrencyTotals => {
    const postings = ofDay.filter((posting) => posting.currency === currency);
    const exponent = postings[0]?.exponent ?? 0;
    const transfers = sum(postings.filter((posting) => isTransferLeg(posting.leg)));
    const external = sum(postings.filter((posting) => !isTransferLeg(posting.leg)));
    if (transfers !== 0n) {
      mismatches.push({
        check: Check.ZERO_SUM,
        subject: `currency/${currency}`,
        expected: amountText({ minor: 0n, currency, exponent }),
        actual: amountText({ minor: transfers, currency, exponent }),
        detail: `the debit and credit postings of ${input.date} in ${currency} over all participants should add up to zero: money was ${transfers > 0n ? 'made' : 'lost'}`,
      });
    }
    return { currency, transfers: amountText({ minor: transfers, currency, exponent }), external: amountText({ minor: external, currency, exponent }) };
  });

  const archive = checkArchive(input, mismatches);
  const order = Object.values(Check);
  mismatches.sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  const notes =
    archive.existenceOnly > 0
      ? [`${archive.existenceOnly} archived message${archive.existenceOnly === 1 ? ' was' : 's were'} named only by steps recorded before digests were kept: checked for existence only`]
      : [];
  return {
    balanced: mismatches.length === 0,
    date: input.date,
    checked: {
      balances,
      postings: ofDay.length,
      transfers: ofTheDay.filter((transfer) => transfer.kind === 'payment').length,
      returns: ofTheDay.filter((transfer) => transfer.kind === 'return').length,
      currencies: currencies.length,
      archivedMessages: archive.messages,
      archiveDigests: archive.digests,
      archiveExistenceOnly: archive.existenceOnly,
    },
    totals,
    notes,
    mismatches,
  };
}
