import { CancellationRejection, Reason } from '../src';
import { fitText } from '../src/text';
import { reasonMeaning, reasonWords } from '../src/reasons';

describe('reasonMeaning', () => {
  it('names every reason code the platform gives', () => {
    for (const code of [...Object.values(Reason), ...Object.values(CancellationRejection)]) {
      const meaning = reasonMeaning(code);
      expect(meaning?.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(meaning?.definition.length).toBeGreaterThan(5);
    }
  });

  it('gives the ISO name of a code', () => {
    expect(reasonMeaning('AM04')?.name).toBe('InsufficientFunds');
    expect(reasonMeaning('AB05')?.name).toBe('TimeoutCreditorAgent');
  });

  it('knows nothing of an unknown code or an inherited property', () => {
    expect(reasonMeaning('ZZ99')).toBeUndefined();
    expect(reasonMeaning('toString')).toBeUndefined();
  });
});

describe('reasonWords', () => {
  it('says a name once when the definition only repeats it', () => {
    expect(reasonWords('AM05')).toEqual({ name: 'Duplication' });
    expect(reasonWords('RR04')).toEqual({ name: 'RegulatoryReason' });
  });

  it('keeps a definition that says more than the name', () => {
    expect(reasonWords('AM04')).toEqual({ name: 'InsufficientFunds', definition: 'Amount of funds available to cover the specified message amount is insufficient.' });
  });

  it('knows nothing of an unknown code', () => {
    expect(reasonWords('ZZ99')).toBeUndefined();
  });
});

describe('fitText', () => {
  const uuid = '3c0d9a74-c4b4-4c81-ac2e-5b1f0e2d9a77';

  it('keeps a text that fits', () => {
    expect(fitText(`UETR ${uuid} is taken by transaction ${uuid}`)).toBe(`UETR ${uuid} is taken by transaction ${uuid}`);
  });

  it('cuts a long text at the last word that fits, never inside an id', () => {
    const text = `the UETR ${uuid} was already used by this participant (transaction ${uuid})`;
    expect(text.length).toBeGreaterThan(105);
    const fitted = fitText(text);
    expect(fitted).toBe(`the UETR ${uuid} was already used by this participant (transaction…`);
    expect(fitted.length).toBeLessThanOrEqual(105);
  });

  it.each([
    ['a text of exactly the limit', 'a'.repeat(50) + ' ' + 'b'.repeat(54), 'a'.repeat(50) + ' ' + 'b'.repeat(54)],
    ['one word over the limit', 'x'.repeat(120), 'x'.repeat(104) + '…'],
    ['words ending on a separator', `${'w '.repeat(51)}(transaction ${uuid})`, `${'w '.repeat(51).trimEnd()}…`],
  ])('fits %s into 105 characters', (_case, text, fitted) => {
    expect(fitText(text)).toBe(fitted);
    expect(fitText(text).length).toBeLessThanOrEqual(105);
  });
});
