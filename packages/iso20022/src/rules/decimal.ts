/**
 * Exact decimal arithmetic on the lexical form of `xs:decimal`, without
 * floating point: a value is an integer `units` scaled by 10^-`scale`.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const lexical = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** Parses an `xs:decimal` lexical value (`"1000.50"`, `"+.5"`); `undefined` when it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = lexical.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  const magnitude = BigInt((whole || '0') + fraction);
  return { units: sign === '-' ? -magnitude : magnitude, scale: fraction.length };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Exact sum of decimals. */
export function sumDecimals(values: readonly Decimal[]): Decimal {
  const scale = Math.max(0, ...values.map((value) => value.scale));
  return { units: values.reduce((total, value) => total + rescale(value, scale), 0n), scale };
}

/** Compares two decimals numerically: negative, zero or positive like a sort comparator. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const difference = rescale(a, scale) - rescale(b, scale);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Canonical text of a decimal: no exponent, no trailing fraction zeros (`"1500.5"`, `"0"`). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
