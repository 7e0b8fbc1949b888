import type { Balance, Posting, TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidRequestError } from '../src/domain/errors';
import { Check, reconcile, type ReconciliationInput, type TransactionRecord } from '../src/domain/reconciliation';
import { parseReconciliationDate } from '../src/domain/requests';

const DAY = '2026-12-07';
const PAYMENT = '0b9d2c1e-0000-4000-8000-00000000a001';
const RETURN = '0b9d2c1e-0000-4000-8000-00000000a002';
const REJECTED = '0b9d2c1e-0000-4000-8000-00000000a003';
const eur = (minor: bigint) => ({ minor, currency: 'EUR', exponent: 2 });

const posting = (entityId: string, minor: bigint, transactionId: string, leg: string, timestamp: string): Posting => ({ entityId, ...eur(minor), transactionId, leg, timestamp });
const balance = (entityId: string, minor: bigint): Balance => ({ entityId, ...eur(minor), updatedAt: `${DAY}T12:00:00.000Z` });

function summary(transactionId: string, messageType: string, status: string, senderEntity: string, receiverEntity: string, minor: bigint, at: string): TransactionSummary {
  return { transactionId, status, messageType, senderEntity, receiverEntity, amount: eur(minor), createdAt: at, updatedAt: at, final: true };
}

function step(transactionId: string, name: string, status: string, timestamp: string, extra: Partial<TransactionStep> = {}): TransactionStep {
  return { transactionId, step: name, status, timestamp, requestId: 'request-1', ...extra };
}

/** A reconciliation's input that a test may spoil. */
interface Day extends ReconciliationInput {
  balances: Balance[];
  postings: Posting[];
  transactions: TransactionRecord[];
  archive: Map<string, string | undefined>;
}

const paymentKey = `incoming/2026/12/07/${PAYMENT}/pacs.008.xml`;
const answerKey = `outgoing/2026/12/07/${PAYMENT}/pacs.002.xml`;
const returnKey = `incoming/2026/12/07/${RETURN}/pacs.004.xml`;

/**
 * A day that adds up: both participants opened with 1000.00 the day before;
 * on the day alpha paid beta 125.00, beta returned 25.00 of it, and alpha
 * topped up 50.00.
 */
function balancedDay(): Day {
  return {
    date: DAY,
    balances: [balance('ent-alpha', 950_00n), balance('ent-beta', 1100_00n)],
    postings: [
      posting('ent-alpha', 1000_00n, 'opening-ent-alpha-EUR', 'opening', '2026-12-06T08:00:00.000Z'),
      posting('ent-beta', 1000_00n, 'opening-ent-beta-EUR', 'opening', '2026-12-06T08:00:00.000Z'),
      posting('ent-alpha', -125_00n, PAYMENT, 'debit', `${DAY}T09:00:00.100Z`),
      posting('ent-beta', 125_00n, PAYMENT, 'credit', `${DAY}T09:00:00.100Z`),
      posting('ent-beta', -25_00n, RETURN, 'debit', `${DAY}T10:00:00.100Z`),
      posting('ent-alpha', 25_00n, RETURN, 'credit', `${DAY}T10:00:00.100Z`),
      posting('ent-alpha', 50_00n, 'top-up-1', 'top-up', `${DAY}T11:00:00.000Z`),
    ],
    transactions: [
      {
        transactionId: PAYMENT,
        summary: summary(PAYMENT, 'pacs.008', 'PART', 'ent-alpha', 'ent-beta', 125_00n, `${DAY}T09:00:00.000Z`),
        steps: [
          step(PAYMENT, 'incoming#RCVD', 'RCVD', `${DAY}T09:00:00.000Z`, { archiveKey: paymentKey, archiveSha256: 'digest-payment' }),
          step(PAYMENT, 'incoming#ACTC', 'ACTC', `${DAY}T09:00:00.001Z`, { archiveKey: paymentKey, archiveSha256: 'digest-payment' }),
          step(PAYMENT, 'pacs008#ACSC', 'ACSC', `${DAY}T09:00:00.100Z`, { amount: eur(125_00n), final: true }),
          step(PAYMENT, 'outgoing#pacs.002', 'ACSC', `${DAY}T09:00:00.200Z`, { archiveKey: answerKey, archiveSha256: 'digest-answer', informational: true }),
          step(PAYMENT, `return#${RETURN}`, 'PART', `${DAY}T10:00:00.100Z`, { amount: eur(25_00n) }),
        ],
      },
      {
        transactionId: RETURN,
        summary: summary(RETURN, 'pacs.004', 'ACSC', 'ent-beta', 'ent-alpha', 25_00n, `${DAY}T10:00:00.000Z`),
        steps: [
          // Recorded before digests were kept: only its existence can be checked.
          step(RETURN, 'incoming#RCVD', 'RCVD', `${DAY}T10:00:00.000Z`, { archiveKey: returnKey }),
          step(RETURN, 'pacs004#ACSC', 'ACSC', `${DAY}T10:00:00.100Z`, { amount: eur(25_00n), final: true }),
        ],
      },
      {
        transactionId: REJECTED,
        summary: summary(REJECTED, 'pacs.008', 'RJCT', 'ent-alpha', 'ent-beta', 5000_00n, `${DAY}T11:30:00.000Z`),
        steps: [step(REJECTED, 'pacs008#RJCT', 'RJCT', `${DAY}T11:30:00.000Z`, { reasonCode: 'AM04', final: true })],
      },
    ],
    archive: new Map([
      [paymentKey, 'digest-payment'],
      [answerKey, 'digest-answer'],
      [returnKey, 'digest-return'],
    ]),
  };
}


const withoutPosting = (day: Day, transactionId: string, leg: string) => {
  day.postings = day.postings.filter((item) => !(item.transactionId === transactionId && item.leg === leg));
};
const setBalance = (day: Day, entityId: string, minor: bigint) => {
  day.balances = day.balances.map((item) => (item.entityId === entityId ? { ...item, minor } : item));
};

describe('reconcile', () => {
  it('finds a day that adds up balanced, and says what it checked', () => {
    const result = reconcile(balancedDay());
    expect(result).toEqual({
      balanced: true,
      date: DAY,
      checked: { balances: 2, postings: 5, transfers: 1, returns: 1, currencies: 1, archivedMessages: 3, archiveDigests: 2, archiveExistenceOnly: 1 },
      totals: [{ currency: 'EUR', transfers: '0.00 EUR', external: '50.00 EUR' }],
      notes: ['1 archived message was named only by steps recorded before digests were kept: checked for existence only'],
      mismatches: [],
    });
  });

  it.each<[string, (day: Day) => void, readonly { check: string; subject: string; expected?: string; actual?: string }[]]>([
    [
      'a balance item edited behind the ledger',
      (day) => setBalance(day, 'ent-beta', 1200_00n),
      [{ check: Check.BALANCE, subject: 'balance/ent-beta/EUR', expected: '1100.00 EUR', actual: '1200.00 EUR' }],
    ],
    [
      'postings in a currency the entity has no balance item in',
      (day) => day.postings.push({ ...posting('ent-alpha', 10_00n, 'top-up-usd', 'top-up', `${DAY}T11:00:00.000Z`), currency: 'USD' }),
      [{ check: Check.BALANCE, subject: 'balance/ent-alpha/USD', expected: '10.00 USD', actual: 'no balance item' }],
    ],
    [
      'a credit posting of no transaction (the balance moved with it)',
      (day) => {
        day.postings.push(posting('ent-beta', 10_00n, 'made-up', 'credit', `${DAY}T12:00:00.000Z`));
        setBalance(day, 'ent-beta', 1110_00n);
      },
      [
        { check: Check.STRAY_POSTING, subject: 'posting/ent-beta/EUR/made-up/credit', actual: 'credit 10.00 EUR on ent-beta' },
        { check: Check.ZERO_SUM, subject: 'currency/EUR', expected: '0.00 EUR', actual: '10.00 EUR' },
      ],
    ],
    [
      'postings of a payment that was rejected',
      (day) => {
        day.postings.push(posting('ent-alpha', -5000_00n, REJECTED, 'debit', `${DAY}T11:30:00.000Z`), posting('ent-beta', 5000_00n, REJECTED, 'credit', `${DAY}T11:30:00.000Z`));
        setBalance(day, 'ent-alpha', -4050_00n);
        setBalance(day, 'ent-beta', 6100_00n);
      },
      [
        { check: Check.STRAY_POSTING, subject: `posting/ent-alpha/EUR/${REJECTED}/debit` },
        { check: Check.STRAY_POSTING, subject: `posting/ent-beta/EUR/${REJECTED}/credit` },
      ],
    ],
    [
      'a settled payment without its credit posting',
      (day) => {
        withoutPosting(day, PAYMENT, 'credit');
        setBalance(day, 'ent-beta', 975_00n);
      },
      [
        { check: Check.SETTLEMENT, subject: `transaction/${PAYMENT}`, actual: 'debit -125.00 EUR on ent-alpha' },
        { check: Check.ZERO_SUM, subject: 'currency/EUR', actual: '-125.00 EUR' },
      ],
    ],
    [
      'a settled payment whose credit went to another amount',
      (day) => {
        day.postings = day.postings.map((item) => (item.transactionId === PAYMENT && item.leg === 'credit' ? { ...item, minor: 120_00n } : item));
        setBalance(day, 'ent-beta', 1095_00n);
      },
      [
        { check: Check.SETTLEMENT, subject: `transaction/${PAYMENT}`, expected: 'debit -125.00 EUR on ent-alpha, credit 125.00 EUR on ent-beta' },
        { check: Check.ZERO_SUM, subject: 'currency/EUR', actual: '-5.00 EUR' },
      ],
    ],
    [
      'a settled return without its postings',
      (day) => {
        withoutPosting(day, RETURN, 'debit');
        withoutPosting(day, RETURN, 'credit');
        setBalance(day, 'ent-alpha', 925_00n);
        setBalance(day, 'ent-beta', 1125_00n);
      },
      [{ check: Check.SETTLEMENT, subject: `transaction/${RETURN}`, actual: 'no postings' }],
    ],
    [
      'an archived message that is gone',
      (day) => day.archive.set(answerKey, undefined),
      [{ check: Check.ARCHIVE, subject: `archive/${answerKey}`, expected: 'sha256 digest-answer', actual: 'absent' }],
    ],
    [
      'an archived message whose bytes are not those the step recorded',
      (day) => day.archive.set(paymentKey, 'digest-other'),
      [{ check: Check.ARCHIVE, subject: `archive/${paymentKey}`, expected: 'sha256 digest-payment', actual: 'sha256 digest-other' }],
    ],
    [
      'a message recorded without a digest that is gone',
      (day) => day.archive.delete(returnKey),
      [{ check: Check.ARCHIVE, subject: `archive/${returnKey}`, expected: 'present', actual: 'absent' }],
    ],
  ])('names %s', (_name, spoil, expected) => {
    const day = balancedDay();
    spoil(day);
    const result = reconcile(day);
    expect(result.balanced).toBe(false);
    expect(result.mismatches).toEqual(expected.map((mismatch) => expect.objectContaining(mismatch)));
    for (const mismatch of result.mismatches) expect(mismatch.detail).not.toBe('');
  });

  it('counts postings after the day into the balance, not into the day', () => {
    const day = balancedDay();
    day.postings.push(posting('ent-alpha', 5_00n, 'top-up-2', 'top-up', '2026-12-08T07:00:00.000Z'));
    setBalance(day, 'ent-alpha', 955_00n);
    const result = reconcile(day);
    expect(result.balanced).toBe(true);
    expect(result.totals).toEqual([{ currency: 'EUR', transfers: '0.00 EUR', external: '50.00 EUR' }]);
  });

  it('leaves a payment settled on another day to that day', () => {
    const day = balancedDay();
    const result = reconcile({ ...day, date: '2026-12-06' });
    expect(result).toMatchObject({ balanced: true, checked: { postings: 2, transfers: 0, returns: 0, archivedMessages: 0 }, totals: [{ currency: 'EUR', transfers: '0.00 EUR', external: '2000.00 EUR' }] });
  });
});

describe('parseReconciliationDate', () => {
  const now = new Date('2026-12-07T15:00:00.000Z');

  it('takes a UTC day up to today, and today when none is given', () => {
    expect(parseReconciliationDate('2026-12-01', now)).toBe('2026-12-01');
    expect(parseReconciliationDate('2026-12-07', now)).toBe('2026-12-07');
    expect(parseReconciliationDate(undefined, now)).toBe('2026-12-07');
  });

  it.each(['07.12.2026', '2026-12-7', '2026-02-30', '2026-13-01', '2026-12-08', 'today'])('refuses %p, naming the date with DT01', (value) => {
    let refusal: unknown;
    try {
      parseReconciliationDate(value, now);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect((refusal as InvalidRequestError).toProblem()).toMatchObject({ status: 400, errors: [{ path: 'date', reasonCode: 'DT01' }], extensions: { reasonCode: 'DT01' } });
  });
});
