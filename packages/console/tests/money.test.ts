import { exponentOf, formatAmount, fromMinor, toMinor } from '../src/lib/money';

describe('money of the console', () => {
  it.each([
    ['EUR', 2],
    ['JPY', 0],
    ['BHD', 3],
    ['KWD', 3],
  ])('knows the exponent of %s is %i', (currency, exponent) => {
    expect(exponentOf(currency)).toBe(exponent);
  });

  it('knows no exponent for a code that is not a currency', () => {
    expect(exponentOf('XYZ')).toBeUndefined();
  });

  it.each([
    ['1000.5', 'EUR', '1,000.50'],
    ['1000000.00', 'EUR', '1,000,000.00'],
    ['125', 'EUR', '125.00'],
    ['1500', 'JPY', '1,500'],
    ['1500.0', 'JPY', '1,500'],
    ['12.5', 'BHD', '12.500'],
    ['0.001', 'BHD', '0.001'],
    ['-5', 'EUR', '−5.00'],
    ['-0.00', 'EUR', '0.00'],
    ['.5', 'EUR', '0.50'],
    ['9007199254740993.01', 'EUR', '9,007,199,254,740,993.01'],
  ])('shows %s %s as %s', (value, currency, shown) => {
    expect(formatAmount(value, currency)).toBe(shown);
  });

  it('shows text with more decimals than the currency has as it is, rather than rounding it', () => {
    expect(formatAmount('1.005', 'EUR')).toBe('1.005');
    expect(formatAmount('12.5', 'JPY')).toBe('12.5');
  });

  it('shows text that is not decimal as it is', () => {
    expect(formatAmount('lots', 'EUR')).toBe('lots');
  });

  it('reads signed decimal text into minor units without a float', () => {
    expect(toMinor('-125.5', 'EUR')).toBe(-12550n);
    expect(toMinor('9007199254740993.01', 'EUR')).toBe(900719925474099301n);
    expect(toMinor('+7', 'JPY')).toBe(7n);
    expect(toMinor('1.250', 'BHD')).toBe(1250n);
  });

  it('refuses decimals the currency does not have', () => {
    expect(() => toMinor('1.001', 'EUR')).toThrow('more than 2 decimals for EUR');
    expect(() => toMinor('1.5', 'JPY')).toThrow('more than 0 decimals for JPY');
    expect(() => toMinor('1,50', 'EUR')).toThrow('not decimal text');
  });

  it('writes minor units back with the exponent of the currency', () => {
    expect(fromMinor(-5n, 'EUR')).toBe('-0.05');
    expect(fromMinor(1500n, 'JPY')).toBe('1500');
    expect(fromMinor(7n, 'BHD')).toBe('0.007');
  });
});
