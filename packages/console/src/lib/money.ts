/**
 * Money as the API gives it: decimal text and a currency. Shown with the
 * currency's own ISO 4217 exponent, and summed in bigint minor units; never
 * through a JS number, except to plot it.
 */
import { money } from '@mxflow/iso20022/money';
import { AmountError } from './errors';

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** The ISO 4217 exponent of a currency (2 for EUR, 0 for JPY, 3 for BHD), or `undefined` for a code the platform does not know. */
export function exponentOf(currency: string): number | undefined {
  try {
    return money('0', currency).exponent;
  } catch {
    return undefined;
  }
}

function parts(value: string): { negative: boolean; whole: string; fraction: string } {
  const match = DECIMAL.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new AmountError(`'${value}' is not decimal text`);
  const whole = match[2].replace(/^0+(?=\d)/, '') || '0';
  const fraction = match[3] ?? '';
  const negative = match[1] === '-' && /[1-9]/.test(whole + fraction);
  return { negative, whole, fraction };
}

/**
 * Signed decimal text (`-125.5`, `1000.00`) as minor units of `currency`.
 *
 * @throws AmountError when the text is not decimal, or has more significant decimals than the currency
 */
export function toMinor(value: string, currency: string): bigint {
  const { negative, whole, fraction } = parts(value);
  const exponent = exponentOf(currency) ?? fraction.length;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > exponent) throw new AmountError(`'${value}' has more than ${exponent} decimals for ${currency}`);
  const minor = BigInt(whole + fraction.padEnd(exponent, '0').slice(0, exponent));
  return negative ? -minor : minor;
}

/** Minor units of `currency` as decimal text with exactly its exponent's decimals: `-5.00`, `1000` JPY, `1.000` BHD. */
export function fromMinor(minor: bigint, currency: string, exponent = exponentOf(currency) ?? 2): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Decimal text for people: thousands grouped, padded (never rounded) to the
 * currency's exponent: `1,000,000.00` EUR, `1,500` JPY, `12.500` BHD. Text
 * the platform did not write (more decimals than the currency has) is shown
 * as it is rather than changed.
 */
export function formatAmount(value: string, currency: string): string {
  let normalised: string;
  try {
    normalised = fromMinor(toMinor(value, currency), currency, exponentOf(currency) ?? parts(value).fraction.length);
  } catch {
    return value;
  }
  const negative = normalised.startsWith('-');
  const [whole, fraction] = (negative ? normalised.slice(1) : normalised).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A number for a chart axis: minor units scaled by the exponent. Only for plotting; a float is never money here. */
export function plotValue(minor: bigint, exponent: number): number {
  return Number(minor) / 10 ** exponent;
}
