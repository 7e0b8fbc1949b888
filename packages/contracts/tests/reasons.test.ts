import { CancellationRejection, Reason } from '../src';
import { reasonMeaning } from '../src/reasons';

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
