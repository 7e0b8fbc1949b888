import { transactionQuery, utcInstant, withQuery } from '../src/lib/query';

describe('the query of the transactions list', () => {
  it('sends only the filters that are set, trimmed, with times as UTC', () => {
    const query = transactionQuery(
      { status: 'acsc', type: 'pacs.008', counterparty: ' ent-beta ', from: '2026-12-01T08:30', to: '2026-12-02T00:00:15', msgId: '', endToEndId: '   ', uetr: 'f1b2' },
      { limit: 50 },
    );
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      status: 'ACSC',
      type: 'pacs.008',
      counterparty: 'ent-beta',
      from: '2026-12-01T08:30:00.000Z',
      to: '2026-12-02T00:00:15.000Z',
      uetr: 'f1b2',
      limit: '50',
    });
  });

  it('passes the cursor on and encodes what it sends', () => {
    const query = transactionQuery({ msgId: 'M 1&2', participant: 'ent-alpha' }, { cursor: 'abc_-1' });
    expect(query).toBe('participant=ent-alpha&msgId=M+1%262&cursor=abc_-1');
  });

  it('leaves a full timestamp to the API to judge', () => {
    expect(utcInstant('2026-12-01T08:30:00.000+01:00')).toBe('2026-12-01T08:30:00.000+01:00');
    expect(utcInstant('2026-12-01T08:30:59.5')).toBe('2026-12-01T08:30:59.500Z');
  });

  it('writes a path without a query as it is', () => {
    expect(withQuery('/v1/transactions', '')).toBe('/v1/transactions');
    expect(withQuery('/v1/transactions', 'limit=5')).toBe('/v1/transactions?limit=5');
  });
});
