import { statusLabel, statusMeaning } from '../src/lib/statuses';

describe('what an answered request was answered with', () => {
  it('shows ANSW with the code of its answer, and any other status alone', () => {
    expect(statusLabel('ANSW', 'RJCR')).toBe('ANSW · RJCR');
    expect(statusLabel('ANSW')).toBe('ANSW');
    expect(statusLabel('ACSC', 'ignored')).toBe('ACSC');
  });

  it.each([
    ['camt.056', 'CNCL', 'Answered CNCL (camt.029): the payment was cancelled as requested'],
    ['camt.056', 'RJCR', 'Answered RJCR (camt.029): the cancellation was refused'],
    ['pacs.028', 'ACSC', 'Answered ACSC (pacs.002): the payment asked about settled'],
    ['pacs.028', 'RJCT', 'Answered RJCT (pacs.002): the payment asked about was rejected, or is not one of the asker’s'],
    ['pain.001', 'PART', 'Answered PART (pain.002): some transfers settled, the others were rejected'],
    ['pain.001', 'ACSC', 'Answered ACSC (pain.002): every transfer settled'],
  ])('says what a %s answered %s means', (messageType, answer, meaning) => {
    expect(statusMeaning('ANSW', answer, messageType)).toBe(meaning);
  });

  it('falls back to the code where it knows no meaning, and to the status meaning without an answer', () => {
    expect(statusMeaning('ANSW', 'XXXX', 'camt.056')).toBe('Answered XXXX (camt.029)');
    expect(statusMeaning('ANSW', 'ACSC')).toBe('Answered ACSC');
    expect(statusMeaning('ANSW')).toBe('Answered');
    expect(statusMeaning('RJCT', 'RJCR', 'camt.056')).toBe('Rejected');
  });
});
