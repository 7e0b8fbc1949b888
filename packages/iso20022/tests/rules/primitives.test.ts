import { bicProblem, compareDecimals, dateProblem, formatDecimal, ibanProblem, isUuidV4, parseDecimal, sumDecimals } from '../../src/rules';
import { activeCurrencies, currencyExponent, refusedCurrencies } from '../../src/reference';

describe('ibanProblem', () => {
  it.each(['DE89370400440532013000', 'GB29NWBK60161331926819', 'FR7630006000011234567890189', 'NL20INGB0001234567', 'BE68539007547034', 'CH2400239000012345678', 'IT60X0542811101000000123456'])(
    'accepts %s',
    (iban) => expect(ibanProblem(iban)).toBeUndefined(),
  );
  it.each([
    ['DE89370400440532013001', 'MOD 97-10'],
    ['GB29NWBK6016133192681', 'has 21 characters'],
    ['ZZ29NWBK60161331926819', 'does not issue IBANs'],
    ['de89370400440532013000', 'is not an IBAN'],
  ])('refuses %s (%s)', (iban, reason) => expect(ibanProblem(iban)).toContain(reason));
});

describe('bicProblem', () => {
  it.each(['DEUTDEFF', 'DEUTDEFF500', 'BNPAFRPPXXX', 'CHASUS33', 'HSBCHKHHHKH'])('accepts %s', (bic) => expect(bicProblem(bic)).toBeUndefined());
  it.each(['DEUTDEF', 'DEUTDEFF5', 'DEUTXXFF', 'DEUTDEFO', 'deutdeff'])('refuses %s', (bic) => expect(bicProblem(bic)).toBeDefined());
});

describe('dateProblem', () => {
  it.each(['2026-11-27', '2024-02-29', '2026-11-27T09:30:00.000Z', '2026-11-27T09:30:00+01:00', '2026-12-31T24:00:00'])('accepts %s', (value) =>
    expect(dateProblem(value)).toBeUndefined(),
  );
  it.each(['2026-02-30', '2026-00-10', '2026-06-31', '1900-02-29', '2026-11-27T25:00:00Z', '2026-11-27T10:00:61Z', '2026-11-27T10:00:00+15:00', '27/11/2026'])(
    'refuses %s',
    (value) => expect(dateProblem(value)).toBeDefined(),
  );
});

describe('isUuidV4', () => {
  it('accepts a random UUID from the platform', () => expect(isUuidV4(crypto.randomUUID())).toBe(true));
  it.each(['4c6e2a7d-3b1f-1e8a-9c2d-6f0b1a2e3d4c', '4c6e2a7d-3b1f-4e8a-7c2d-6f0b1a2e3d4c', '4c6e2a7d3b1f4e8a9c2d6f0b1a2e3d4c'])('refuses %s', (value) =>
    expect(isUuidV4(value)).toBe(false),
  );
});

describe('decimal arithmetic', () => {
  it('adds amounts that floating point gets wrong', () => {
    const sum = sumDecimals(['0.1', '0.2'].map((text) => parseDecimal(text)!));
    expect(formatDecimal(sum)).toBe('0.3');
    expect(compareDecimals(sum, parseDecimal('0.30')!)).toBe(0);
  });
  it('keeps every digit of large amounts', () => {
    const sum = sumDecimals(['999999999999999999.99', '0.01'].map((text) => parseDecimal(text)!));
    expect(formatDecimal(sum)).toBe('1000000000000000000');
  });
  it.each([['+.5', '0.5'], ['-1.50', '-1.5'], ['007', '7']])('reads %s as %s', (text, canonical) => expect(formatDecimal(parseDecimal(text)!)).toBe(canonical));
  it.each(['', '.', '1e3', '1,5'])('refuses %j', (text) => expect(parseDecimal(text)).toBeUndefined());
});

describe('currency table', () => {
  it.each([['EUR', 2], ['JPY', 0], ['KWD', 3], ['BHD', 3], ['CLP', 0], ['USD', 2]])('gives %s the exponent %i', (code, exponent) =>
    expect(currencyExponent(code)).toBe(exponent),
  );
  it.each(Object.keys(refusedCurrencies))('leaves %s out of the active currencies', (code) => expect(currencyExponent(code)).toBeUndefined());
  it('holds only three-letter codes with exponents 0 to 3', () => {
    for (const [code, exponent] of Object.entries(activeCurrencies)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3]).toContain(exponent);
    }
  });
});
