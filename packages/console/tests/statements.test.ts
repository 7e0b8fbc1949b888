import { isBusinessDay, previousBusinessDay, statementContentPath, statementFileName, statementsPath } from '../src/lib/statements';

const item = { date: '2026-12-06', currency: 'EUR', messageType: 'camt.053', archiveKey: 'statements/2026/12/06/ent-alpha/EUR/camt.053.xml' };

describe('previousBusinessDay', () => {
  it.each([
    ['2026-12-07T17:14:26.000Z', '2026-12-06'],
    ['2026-12-07T00:00:00.000Z', '2026-12-06'],
    ['2026-12-07T23:59:59.999Z', '2026-12-06'],
    ['2027-01-01T08:00:00.000Z', '2026-12-31'],
    ['2028-03-01T12:00:00.000Z', '2028-02-29'],
  ])('gives the UTC day before %s', (now, day) => {
    expect(previousBusinessDay(new Date(now))).toBe(day);
  });

  it('counts in UTC, whatever the local time zone calls the day', () => {
    // 23:30 UTC is already the next day east of Greenwich; the business day is UTC's.
    expect(previousBusinessDay(new Date('2026-12-07T23:30:00.000Z'))).toBe('2026-12-06');
  });
});

describe('isBusinessDay', () => {
  it.each(['2026-12-06', '2028-02-29', '2026-01-01'])('takes %s', (day) => {
    expect(isBusinessDay(day)).toBe(true);
  });

  it.each(['', '2026-02-30', '2026-13-01', '2027-02-29', '26-12-06', '2026-12-6', '2026-12-06T00:00:00Z', 'yesterday'])('refuses %p', (day) => {
    expect(isBusinessDay(day)).toBe(false);
  });
});

describe('statementsPath', () => {
  it('asks for the caller’s own statements of a day', () => {
    expect(statementsPath('2026-12-06')).toBe('/v1/statements?date=2026-12-06');
  });

  it('names the participant for the operator, encoded', () => {
    expect(statementsPath('2026-12-06', 'ent-alpha')).toBe('/v1/statements?date=2026-12-06&participant=ent-alpha');
    expect(statementsPath('2026-12-06', 'a&b=c')).toBe('/v1/statements?date=2026-12-06&participant=a%26b%3Dc');
  });
});

describe('statementContentPath', () => {
  it('follows the link the API gives', () => {
    expect(statementContentPath({ ...item, links: { content: '/v1/statements/2026-12-06/EUR?participant=ent-alpha' } }, 'ent-beta')).toBe('/v1/statements/2026-12-06/EUR?participant=ent-alpha');
  });

  it('makes the path the API serves statements at when it gives no link', () => {
    expect(statementContentPath(item)).toBe('/v1/statements/2026-12-06/EUR');
    expect(statementContentPath(item, 'ent-alpha')).toBe('/v1/statements/2026-12-06/EUR?participant=ent-alpha');
  });
});

describe('statementFileName', () => {
  it('names the file after the message, the day and the currency', () => {
    expect(statementFileName(item)).toBe('camt.053-2026-12-06-EUR.xml');
  });
});
