import { lastClosedDay, nextCutoff, parseCutoff, statementMsgId } from '../src/domain/statements';

describe('parseCutoff', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['00:00', 0],
    ['17:30', (17 * 60 + 30) * 60_000],
    ['23:59:59', ((23 * 60 + 59) * 60 + 59) * 1000],
  ])('reads %p', (text, ms) => {
    expect(parseCutoff(text)).toBe(ms);
  });

  it.each(['24:00', '7:30', '17:60', 'noon'])('refuses %p, naming the setting', (text) => {
    expect(() => parseCutoff(text)).toThrow(`STATEMENT_CUTOFF '${text}'`);
  });
});

describe('lastClosedDay', () => {
  it('closes the day at midnight by default: just after it, yesterday is the last closed day', () => {
    expect(lastClosedDay(new Date('2026-12-07T00:00:05.000Z'), 0)).toEqual({ date: '2026-12-06', from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' });
    expect(lastClosedDay(new Date('2026-12-07T23:59:59.999Z'), 0)).toEqual({ date: '2026-12-06', from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' });
  });

  it('closes the day at its cut-off: a day runs from the cut-off before to its own', () => {
    const cutoff = parseCutoff('17:00');
    expect(lastClosedDay(new Date('2026-12-07T16:59:59.000Z'), cutoff)).toEqual({ date: '2026-12-06', from: '2026-12-05T17:00:00.000Z', to: '2026-12-06T17:00:00.000Z' });
    expect(lastClosedDay(new Date('2026-12-07T17:00:00.000Z'), cutoff)).toEqual({ date: '2026-12-07', from: '2026-12-06T17:00:00.000Z', to: '2026-12-07T17:00:00.000Z' });
  });

  it('says when the next day closes', () => {
    expect(nextCutoff(new Date('2026-12-07T16:59:59.000Z'), parseCutoff('17:00'))).toBe('2026-12-07T17:00:00.000Z');
    expect(nextCutoff(new Date('2026-12-07T17:00:00.000Z'), parseCutoff('17:00'))).toBe('2026-12-08T17:00:00.000Z');
  });
});

describe('statementMsgId', () => {
  it('is the same for the same day, participant and currency, and within Max35Text', () => {
    const day = lastClosedDay(new Date('2026-12-07T01:00:00.000Z'), 0);
    const id = statementMsgId(day, 'ent-alpha', 'EUR');
    expect(id).toBe(statementMsgId(day, 'ent-alpha', 'EUR'));
    expect(id).not.toBe(statementMsgId(day, 'ent-beta', 'EUR'));
    expect(id).not.toBe(statementMsgId(day, 'ent-alpha', 'USD'));
    expect(id.length).toBeLessThanOrEqual(35);
    expect(id.startsWith('EOD20261206EUR')).toBe(true);
  });
});
