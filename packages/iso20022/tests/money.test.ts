import {
  addMoney,
  compareMoney,
  CurrencyMismatchError,
  ErrorCode,
  formatMoney,
  InvalidAmountError,
  Iso20022Error,
  money,
  moneyFromAmount,
  readAmount,
  subtractMoney,
  sumMoney,
  toAmount,
  type Money,
} from '../src/index';
import { thrownBy } from './support/thrown';

function expectInvalidAmount(call: () => unknown, path: string, message: string): void {
  const error = thrownBy(call);
  expect(error).toBeInstanceOf(InvalidAmountError);
  expect(error).toMatchObject({ name: 'InvalidAmountError', code: ErrorCode.INVALID_AMOUNT, path, message: `${path}: ${message}` });
}

describe('money', () => {
  it.each([
    ['1000.5', 'EUR', 100050n, 2],
    ['1000.50', 'EUR', 100050n, 2],
    ['0.01', 'EUR', 1n, 2],
    ['0', 'EUR', 0n, 2],
    ['12500', 'JPY', 12500n, 0],
    ['1000.0', 'JPY', 1000n, 0],
    ['1.234', 'BHD', 1234n, 3],
    ['250.5', 'KWD', 250500n, 3],
    ['.5', 'USD', 50n, 2],
    ['007.10', 'CHF', 710n, 2],
    ['999999999999999.99', 'EUR', 99999999999999999n, 2],
  ])('reads %s %s as %p minor units with exponent %p', (decimal, currency, minor, exponent) => {
    expect(money(decimal, currency)).toEqual({ minor, currency, exponent });
  });

  it('keeps amounts beyond the precision of a JS number exact', () => {
    expect(money('90071992547409.93', 'EUR').minor).toBe(9007199254740993n);
  });

  it.each([
    ['10.5', 'XAU', 'currency', 'XAU is not accepted for payments: gold'],
    ['10.5', 'XTS', 'currency', 'XTS is not accepted for payments: reserved for testing'],
    ['10.5', 'ABC', 'currency', "'ABC' is not an active ISO 4217 currency"],
    ['10.5', 'eur', 'currency', "'eur' is not an active ISO 4217 currency"],
    ['10.5', 'HRK', 'currency', "'HRK' is not an active ISO 4217 currency"],
    ['10.5', 'toString', 'currency', "'toString' is not an active ISO 4217 currency"],
    ['-10.50', 'EUR', 'decimal', "'-10.50' has a sign; an amount is unsigned"],
    ['+10.50', 'EUR', 'decimal', "'+10.50' has a sign; an amount is unsigned"],
    ['1e3', 'EUR', 'decimal', "'1e3' is not a decimal amount"],
    ['1,000.50', 'EUR', 'decimal', "'1,000.50' is not a decimal amount"],
    ['', 'EUR', 'decimal', "'' is not a decimal amount"],
    ['.', 'EUR', 'decimal', "'.' is not a decimal amount"],
    [' 10.50', 'EUR', 'decimal', "' 10.50' is not a decimal amount"],
    ['NaN', 'EUR', 'decimal', "'NaN' is not a decimal amount"],
    ['879.105', 'EUR', 'decimal', '879.105 EUR has 3 decimals but EUR has 2'],
    ['1000.5', 'JPY', 'decimal', '1000.5 JPY has 1 decimal but JPY has 0'],
    ['1.2345', 'KWD', 'decimal', '1.2345 KWD has 4 decimals but KWD has 3'],
  ])('refuses %p %p, naming %s', (decimal, currency, path, message) => {
    expect(thrownBy(() => money(decimal, currency))).toBeInstanceOf(Iso20022Error);
    expectInvalidAmount(() => money(decimal, currency), path, message);
  });

  it('refuses a number where a decimal string belongs', () => {
    expectInvalidAmount(() => money(10.5 as unknown as string, 'EUR'), 'decimal', 'an amount is a decimal string, not the number 10.5');
  });

  it('returns a frozen value', () => {
    expect(Object.isFrozen(money('1.00', 'EUR'))).toBe(true);
  });
});

describe('moneyFromAmount', () => {
  const path = '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt';

  it.each([
    [{ value: '12500.00', Ccy: 'EUR' }, { minor: 1250000n, currency: 'EUR', exponent: 2 }],
    [{ value: '1500000', Ccy: 'JPY' }, { minor: 1500000n, currency: 'JPY', exponent: 0 }],
    [{ value: '75.125', Ccy: 'BHD' }, { minor: 75125n, currency: 'BHD', exponent: 3 }],
    [{ value: '\n  3420.75 \t', Ccy: 'EUR' }, { minor: 342075n, currency: 'EUR', exponent: 2 }],
  ])('reads %p', (amount, expected) => {
    expect(moneyFromAmount(amount, path)).toEqual(expected);
  });

  it.each([
    [{ value: '3420.75', Ccy: 'XAU' }, `${path}.Ccy`, 'XAU is not accepted for payments: gold'],
    [{ value: '3420.75' }, `${path}.Ccy`, 'the currency is missing'],
    [{ value: '3420.75', Ccy: 978 }, `${path}.Ccy`, 'a currency is an ISO 4217 code, not the number 978'],
    [{ value: '879.105', Ccy: 'EUR' }, path, '879.105 EUR has 3 decimals but EUR has 2'],
    [{ value: 3420.75, Ccy: 'EUR' }, path, 'an amount is a decimal string, not the number 3420.75'],
    [{ Ccy: 'EUR' }, path, 'the amount is missing'],
    ['3420.75', path, "an amount is { value, Ccy }, not '3420.75'"],
    [[{ value: '1.00', Ccy: 'EUR' }], path, 'an amount is { value, Ccy }, not an array'],
    [undefined, path, 'an amount is { value, Ccy }, not undefined'],
  ])('refuses %p, naming %s', (amount, errorPath, message) => {
    expectInvalidAmount(() => moneyFromAmount(amount, path), errorPath, message);
  });

  it('names $ when no path is given', () => {
    expectInvalidAmount(() => moneyFromAmount({ value: '-1.00', Ccy: 'EUR' }), '$', "'-1.00' has a sign; an amount is unsigned");
  });

  it.each([
    [{ value: '12500.00', Ccy: 'EUR' }],
    [{ value: '0.01', Ccy: 'EUR' }],
    [{ value: '1500000', Ccy: 'JPY' }],
    [{ value: '0', Ccy: 'KRW' }],
    [{ value: '75.125', Ccy: 'BHD' }],
    [{ value: '0.005', Ccy: 'KWD' }],
    [{ value: '999999999999999.999', Ccy: 'OMR' }],
  ])('round-trips %p through toAmount', (amount) => {
    expect(toAmount(moneyFromAmount(amount))).toEqual(amount);
  });
});

describe('readAmount', () => {
  it('reads an amount as moneyFromAmount does', () => {
    expect(readAmount({ value: ' 75.125\n', Ccy: 'BHD' })).toEqual({ money: { minor: 75125n, currency: 'BHD', exponent: 3 } });
  });

  it.each([
    [{ value: '+1.00', Ccy: 'EUR' }, 'signed', 'value'],
    [{ value: '-0.00', Ccy: 'EUR' }, 'signed', 'value'],
    [{ value: '1.005', Ccy: 'EUR' }, 'decimals', 'value'],
    [{ value: '1e3', Ccy: 'EUR' }, 'not-decimal', 'value'],
    [{ value: 1, Ccy: 'EUR' }, 'not-decimal', 'value'],
    [{ value: '1.00', Ccy: 'XAU' }, 'currency', 'Ccy'],
    [{ value: '1.00' }, 'currency', 'Ccy'],
    ['1.00', 'shape', 'amount'],
  ])('reports %p as a %s fault of its %s, in the words moneyFromAmount throws', (amount, fault, field) => {
    const { problem } = readAmount(amount);
    expect(problem).toMatchObject({ fault, field });
    const errorPath = field === 'Ccy' ? '$.Amt.Ccy' : '$.Amt';
    expectInvalidAmount(() => moneyFromAmount(amount, '$.Amt'), errorPath, problem?.message ?? '');
  });
});

describe('toAmount and formatMoney', () => {
  it.each([
    ['1000.5', 'EUR', '1000.50'],
    ['.5', 'EUR', '0.50'],
    ['1000.0', 'JPY', '1000'],
    ['0', 'JPY', '0'],
    ['1', 'KWD', '1.000'],
    ['0.05', 'BHD', '0.050'],
  ])('writes %s %s with exactly the currency exponent of decimals: %s', (decimal, currency, written) => {
    expect(formatMoney(money(decimal, currency))).toBe(written);
    expect(toAmount(money(decimal, currency))).toEqual({ value: written, Ccy: currency });
  });

  it('formats a negative difference with a minus sign', () => {
    expect(formatMoney(subtractMoney(money('5', 'EUR'), money('10.25', 'EUR')))).toBe('-5.25');
  });

  it('refuses to write a negative amount into the JSON form', () => {
    const negative = subtractMoney(money('5', 'KWD'), money('10', 'KWD'));
    expectInvalidAmount(() => toAmount(negative), 'amount', '-5.000 KWD is negative; an ISO 20022 amount is not');
  });
});

describe('money arithmetic', () => {
  it.each([
    ['12500.00', '3420.75', 'EUR', '15920.75'],
    ['0.1', '0.2', 'EUR', '0.30'],
    ['1500000', '250', 'JPY', '1500250'],
    ['0.999', '0.001', 'KWD', '1.000'],
  ])('adds %s and %s %s to %s', (a, b, currency, sum) => {
    expect(formatMoney(addMoney(money(a, currency), money(b, currency)))).toBe(sum);
  });

  it.each([
    ['12500.00', '3420.75', 'EUR', '9079.25'],
    ['1500000', '250', 'JPY', '1499750'],
    ['1.000', '0.001', 'BHD', '0.999'],
  ])('computes %s minus %s %s as %s', (a, b, currency, difference) => {
    expect(formatMoney(subtractMoney(money(a, currency), money(b, currency)))).toBe(difference);
  });

  it.each([
    ['10.00', '10', 'EUR', 0],
    ['10.01', '10', 'EUR', 1],
    ['9.99', '10', 'EUR', -1],
    ['100', '1000', 'JPY', -1],
    ['0.001', '0', 'KWD', 1],
  ])('compares %s with %s %s as %p', (a, b, currency, order) => {
    expect(compareMoney(money(a, currency), money(b, currency))).toBe(order);
  });

  it('sorts amounts with compareMoney', () => {
    const amounts = ['879.10', '12500.00', '3420.75'].map((value) => money(value, 'EUR'));
    expect([...amounts].sort(compareMoney).map(formatMoney)).toEqual(['879.10', '3420.75', '12500.00']);
  });

  it('sums the transactions of the valid pacs.008 fixture to its total', () => {
    const total = sumMoney(['12500.00', '3420.75', '879.10'].map((value) => money(value, 'EUR')));
    expect(total).toEqual(money('16799.85', 'EUR'));
  });

  it('sums one amount to itself', () => {
    expect(sumMoney([money('75.125', 'BHD')])).toEqual(money('75.125', 'BHD'));
  });

  it('refuses to sum an empty list', () => {
    expectInvalidAmount(() => sumMoney([]), 'items', 'an empty list has no currency, so it has no sum');
  });

  const eur = money('10.00', 'EUR');
  const usd = money('10.00', 'USD');
  const eurWithThreeDecimals: Money = { minor: 10000n, currency: 'EUR', exponent: 3 };

  it.each([
    ['addMoney', () => addMoney(eur, usd), 'cannot add 10.00 EUR and 10.00 USD: the currencies differ'],
    ['subtractMoney', () => subtractMoney(eur, usd), 'cannot subtract 10.00 EUR and 10.00 USD: the currencies differ'],
    ['compareMoney', () => compareMoney(eur, usd), 'cannot compare 10.00 EUR and 10.00 USD: the currencies differ'],
    ['sumMoney', () => sumMoney([eur, eur, usd]), 'cannot add 20.00 EUR and 10.00 USD: the currencies differ'],
  ])('%s refuses to mix EUR and USD', (_name, call, message) => {
    const error = thrownBy(call);
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(error).toBeInstanceOf(Iso20022Error);
    expect(error).toMatchObject({ name: 'CurrencyMismatchError', code: ErrorCode.CURRENCY_MISMATCH, expected: 'EUR', actual: 'USD', message });
  });

  it('refuses to mix exponents of one currency', () => {
    const error = thrownBy(() => addMoney(eur, eurWithThreeDecimals));
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(error).toMatchObject({ expected: 'EUR', actual: 'EUR', message: 'cannot add 10.00 EUR with exponent 2 and 10.000 EUR with exponent 3: the currencies differ' });
  });

  it('leaves its operands unchanged', () => {
    const a = money('1.00', 'EUR');
    addMoney(a, money('2.00', 'EUR'));
    expect(a).toEqual({ minor: 100n, currency: 'EUR', exponent: 2 });
  });
});
