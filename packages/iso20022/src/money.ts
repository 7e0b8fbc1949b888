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

function exponentOf(currency: unknown, path: string): number {
  if (currency === undefined) throw new InvalidAmountError(path, 'the currency is missing');
  if (typeof currency !== 'string') throw new InvalidAmountError(path, `a currency is an ISO 4217 code, not ${shown(currency)}`);
  const exponent = currencyExponent(currency);
  if (exponent !== undefined) return exponent;
  const refused = Object.hasOwn(refusedCurrencies, currency) ? refusedCurrencies[currency] : undefined;
  throw new InvalidAmountError(path, refused ? `${currency} is not accepted for payments: ${refused}` : `${shown(currency)} is not an active ISO 4217 currency`);
}

function minorUnits(decimal: unknown, currency: string, exponent: number, path: string): bigint {
  if (decimal === undefined) throw new InvalidAmountError(path, 'the amount is missing');
  if (typeof decimal !== 'string') throw new InvalidAmountError(path, `an amount is a decimal string, not ${shown(decimal)}`);
  if (/^[+-]/.test(decimal)) throw new InvalidAmountError(path, `${shown(decimal)} has a sign; an amount is unsigned`);
  const match = unsignedDecimal.exec(decimal);
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) throw new InvalidAmountError(path, `${shown(decimal)} is not a decimal amount`);
  // Trailing zeros carry no value, so `1000.0` JPY is exactly 1000 (as the amount-decimals rule also holds).
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) {
    throw new InvalidAmountError(path, `${decimal} ${currency} has ${plural(significant.length, 'decimal')} but ${currency} has ${exponent}`);
  }
  return BigInt((whole || '0') + significant.padEnd(exponent, '0'));
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
  const exponent = exponentOf(currency, 'currency');
  return create(minorUnits(decimal, currency, exponent, 'decimal'), currency, exponent);
}

/**
 * Money from an amount in the JSON form, `{ value: '1000.50', Ccy: 'EUR' }`.
 * Whitespace around the value is ignored, as XML Schema does for a decimal.
 *
 * @param path JSON path of the amount, named by the error (`$` by default)
 * @throws InvalidAmountError naming `path` (or `path.Ccy` for the currency), for the reasons {@link money} gives
 */
export function moneyFromAmount(amount: unknown, path = '$'): Money {
  if (!isObject(amount)) throw new InvalidAmountError(path, `an amount is { value, Ccy }, not ${shown(amount)}`);
  const exponent = exponentOf(amount.Ccy, `${path}.Ccy`);
  const currency = amount.Ccy as string;
  const value = typeof amount.value === 'string' ? amount.value.replace(xmlWhitespace, '') : amount.value;
  return create(minorUnits(value, currency, exponent, path), currency, exponent);
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
