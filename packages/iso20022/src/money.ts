/**
 * The money type of the platform: an integer number of minor units with its
 * currency and that currency's ISO 4217 exponent. Never a JS `number`, so no
 * amount is ever rounded; arithmetic checks the currency first.
 */
import { CurrencyMismatchError, InvalidAmountError } from './errors';
import { currencyExponent, refusedCurrencies } from './reference/currencies';

/**
 * An amount of money. Create one with {@link money} or {@link moneyFromAmount},
 * which check the currency and take the exponent from the ISO 4217 table.
 */
export interface Money {
  /** The amount in minor units: `100050n` is 1000.50 EUR, `1000n` is 1000 JPY, `1000500n` is 1000.500 KWD. */
  readonly minor: bigint;
  /** An active ISO 4217 code, such as `EUR`. */
  readonly currency: string;
  /** Digits of the minor unit (the ISO 4217 exponent): 2 for EUR, 0 for JPY, 3 for BHD and KWD. */
  readonly exponent: number;
}

// The lexical form of xs:decimal without a sign: `1000`, `1000.50`, `.5`, `5.`.
const unsignedDecimal = /^(\d*)(?:\.(\d*))?$/;
// The whitespace XML collapses around an xs:decimal value.
const xmlWhitespace = /^[ \t\r\n]+|[ \t\r\n]+$/g;

const isObject = (node: unknown): node is Record<string, unknown> => typeof node === 'object' && node !== null && !Array.isArray(node);

/** What a value is, for an error message, without echoing a long input back. */
function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

const create = (minor: bigint, currency: string, exponent: number): Money => Object.freeze({ minor, currency, exponent });

/** Why an amount is refused, by kind, so that a business rule can give each its own name. */
export const AmountFault = {
  /** Not `{ value, Ccy }` at all. */
  shape: 'shape',
  /** The currency is missing, not a code, or not an active ISO 4217 currency. */
  currency: 'currency',
  /** The value is missing, not a string, or not a decimal. */
  notDecimal: 'not-decimal',
  /** The value carries a sign (`+1.00`, `-0.00`): an amount is unsigned. */
  signed: 'signed',
  /** More significant decimals than the currency's exponent. */
  decimals: 'decimals',
} as const;

/** The kind of an {@link AmountProblem}. */
export type AmountFault = (typeof AmountFault)[keyof typeof AmountFault];

/** What is wrong with an amount, as {@link readAmount} reports it instead of throwing. */
export interface AmountProblem {
  readonly fault: AmountFault;
  /** `Ccy` when the currency is at fault; `value` when the value is; `amount` when it is no amount at all. */
  readonly field: 'amount' | 'Ccy' | 'value';
  /** Says what is wrong, without the path (`'+1.00' has a sign; an amount is unsigned`). */
  readonly message: string;
}

/** The result of {@link readAmount}: the money, or the one problem that refuses it. */
export type AmountReading = { readonly money: Money; readonly problem?: undefined } | { readonly money?: undefined; readonly problem: AmountProblem };

const problem = (fault: AmountFault, field: AmountProblem['field'], message: string): { readonly problem: AmountProblem } => ({ problem: { fault, field, message } });

function readExponent(currency: unknown): { readonly exponent: number; readonly problem?: undefined } | { readonly problem: AmountProblem } {
  if (currency === undefined) return problem(AmountFault.currency, 'Ccy', 'the currency is missing');
  if (typeof currency !== 'string') return problem(AmountFault.currency, 'Ccy', `a currency is an ISO 4217 code, not ${shown(currency)}`);
  const exponent = currencyExponent(currency);
  if (exponent !== undefined) return { exponent };
  const refused = Object.hasOwn(refusedCurrencies, currency) ? refusedCurrencies[currency] : undefined;
  return problem(AmountFault.currency, 'Ccy', refused ? `${currency} is not accepted for payments: ${refused}` : `${shown(currency)} is not an active ISO 4217 currency`);
}

function readMinorUnits(decimal: unknown, currency: string, exponent: number): { readonly minor: bigint; readonly problem?: undefined } | { readonly problem: AmountProblem } {
  if (decimal === undefined) return problem(AmountFault.notDecimal, 'value', 'the amount is missing');
  if (typeof decimal !== 'string') return problem(AmountFault.notDecimal, 'value', `an amount is a decimal string, not ${shown(decimal)}`);
  if (/^[+-]/.test(decimal)) return problem(AmountFault.signed, 'value', `${shown(decimal)} has a sign; an amount is unsigned`);
  const match = unsignedDecimal.exec(decimal);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) return problem(AmountFault.notDecimal, 'value', `${shown(decimal)} is not a decimal amount`);
  // Trailing zeros carry no value, so `1000.0` JPY is exactly 1000.
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    return problem(AmountFault.decimals, 'value', `${decimal} ${currency} has ${plural(significant.length, 'decimal')} but ${currency} has ${exponent}`);
  }
  return { minor: BigInt((whole || '0') + significant.padEnd(exponent, '0')) };
}

/**
 * Money from a decimal string and a currency: `money('1000.5', 'EUR')` is
 * `{ minor: 100050n, currency: 'EUR', exponent: 2 }`.
 *
 * @param decimal an unsigned decimal such as `1000.50`; trailing zeros beyond the exponent are accepted (`1000.0` JPY)
 * @param currency an active ISO 4217 code
 * @throws InvalidAmountError (path `decimal` or `currency`) for an unknown or inactive currency, text that is not
 * a decimal, a sign, or more significant decimals than the currency's exponent
 */
export function money(decimal: string, currency: string): Money {
  const unit = readExponent(currency);
  if (unit.problem) throw new InvalidAmountError('currency', unit.problem.message);
  const value = readMinorUnits(decimal, currency, unit.exponent);
  if (value.problem) throw new InvalidAmountError('decimal', value.problem.message);
  return create(value.minor, currency, unit.exponent);
}

/**
 * Reads an amount in the JSON form, `{ value: '1000.50', Ccy: 'EUR' }`, and
 * says what is wrong with it instead of throwing. It is the one amount parser
 * of the platform: {@link moneyFromAmount} (what settlement reads amounts
 * with) throws what it reports, and the business rules at the door report it
 * as a violation, so that no amount passes one and fails the other.
 * Whitespace around the value is ignored, as XML Schema does for a decimal.
 */
export function readAmount(amount: unknown): AmountReading {
  if (!isObject(amount)) return problem(AmountFault.shape, 'amount', `an amount is { value, Ccy }, not ${shown(amount)}`);
  const unit = readExponent(amount.Ccy);
  if (unit.problem) return unit;
  const currency = amount.Ccy as string;
  const decimal = typeof amount.value === 'string' ? amount.value.replace(xmlWhitespace, '') : amount.value;
  const value = readMinorUnits(decimal, currency, unit.exponent);
  if (value.problem) return value;
  return { money: create(value.minor, currency, unit.exponent) };
}

/**
 * Money from an amount in the JSON form, `{ value: '1000.50', Ccy: 'EUR' }`.
 * Whitespace around the value is ignored, as XML Schema does for a decimal.
 *
 * @param path JSON path of the amount, named by the error (`$` by default)
 * @throws InvalidAmountError naming `path` (or `path.Ccy` for the currency), for what {@link readAmount} reports
 */
export function moneyFromAmount(amount: unknown, path = '$'): Money {
  const reading = readAmount(amount);
  if (reading.problem) throw new InvalidAmountError(reading.problem.field === 'Ccy' ? `${path}.Ccy` : path, reading.problem.message);
  return reading.money;
}

/** The decimal text of an amount with exactly `exponent` decimals: `1000.50`, `1000` for JPY, `1.000` for KWD; `-5.00` when negative. */
export function formatMoney(amount: Money): string {
  const negative = amount.minor < 0n;
  const digits = (negative ? -amount.minor : amount.minor).toString().padStart(amount.exponent + 1, '0');
  const whole = digits.slice(0, digits.length - amount.exponent);
  const fraction = digits.slice(digits.length - amount.exponent);
  return `${negative ? '-' : ''}${whole}${amount.exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * The JSON form of an amount, `{ value: '1000.50', Ccy: 'EUR' }`, with exactly
 * `exponent` decimals, ready to be written into a message.
 *
 * @throws InvalidAmountError for a negative amount, which no ISO 20022 amount element can hold
 */
export function toAmount(amount: Money): { value: string; Ccy: string } {
  if (amount.minor < 0n) throw new InvalidAmountError('amount', `${formatMoney(amount)} ${amount.currency} is negative; an ISO 20022 amount is not`);
  return { value: formatMoney(amount), Ccy: amount.currency };
}

function sameCurrency(a: Money, b: Money, verb: string): void {
  if (a.currency === b.currency && a.exponent === b.exponent) return;
  const unit = (m: Money): string => (a.currency === b.currency ? `${m.currency} with exponent ${m.exponent}` : m.currency);
  throw new CurrencyMismatchError(
    a.currency,
    b.currency,
    `cannot ${verb} ${formatMoney(a)} ${unit(a)} and ${formatMoney(b)} ${unit(b)}: the currencies differ`,
  );
}

/**
 * `a + b`.
 *
 * @throws CurrencyMismatchError when the currencies (or exponents) differ
 */
export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  return create(a.minor + b.minor, a.currency, a.exponent);
}

/**
 * `a - b`; the result may be negative (a difference, not an amount to send).
 *
 * @throws CurrencyMismatchError when the currencies (or exponents) differ
 */
export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract');
  return create(a.minor - b.minor, a.currency, a.exponent);
}

/**
 * Compares two amounts like a sort comparator: -1 when `a < b`, 0 when equal, 1 when `a > b`.
 *
 * @throws CurrencyMismatchError when the currencies (or exponents) differ
 */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  return a.minor === b.minor ? 0 : a.minor < b.minor ? -1 : 1;
}

/**
 * The exact sum of a non-empty list of amounts in one currency.
 *
 * @throws InvalidAmountError (path `items`) for an empty list, which has no currency;
 * CurrencyMismatchError when the currencies (or exponents) differ
 */
export function sumMoney(items: readonly Money[]): Money {
  const [first, ...rest] = items;
  if (first === undefined) throw new InvalidAmountError('items', 'an empty list has no currency, so it has no sum');
  return rest.reduce(addMoney, first);
}
