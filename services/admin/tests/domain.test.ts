import type { Balance, ClientMapping, Entity } from '@mxflow/store';
import { ConflictError, InvalidRequestError } from '../src/domain/errors';
import { expectedVersion, parseBody, parseEntity, parseEntityChanges, parseLiquidity, parseMapping, parseMappingChanges, parsePage, parseThreshold, pathId } from '../src/domain/requests';
import { balanceView } from '@mxflow/store';
import { assertDeletable, entityState, entityView, statusChange } from '../src/domain/views';

const delta: Entity = { entityId: 'ent-delta', name: 'Delta', bic: 'DELTDEFFXXX', bics: ['DELTDEFFXXX', 'DELTDEFF100'], accounts: [], status: 'ACTIVE', version: 3 };
const eur = (minor: bigint): Balance => ({ entityId: 'ent-delta', minor, currency: 'EUR', exponent: 2, updatedAt: '2026-12-02T08:00:00.000Z' });

/** The field an InvalidRequestError names. */
function refusedField(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.path;
    throw error;
  }
  throw new Error('nothing was refused');
}

describe('parseBody', () => {
  it('reads a JSON object, base64 or not', () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}').toString('base64'), true)).toEqual({ a: 1 });
  });

  it.each([undefined, '', 'not json', '[1]', 'null'])('refuses %p, naming the body', (body) => {
    expect(refusedField(() => parseBody(body))).toBe('body');
  });
});

describe('parseEntity', () => {
  it('takes a new participant, upper-cases its BICs, compacts its accounts and makes it ACTIVE', () => {
    expect(parseEntity({ entityId: 'ent-x', name: 'X Bank', bic: 'xbnkdeff', bics: ['XBNKDEFF100'], accounts: ['DE02 1203 0000 0000 2020 51'] })).toEqual({
      entityId: 'ent-x',
      name: 'X Bank',
      bic: 'XBNKDEFF',
      bics: ['XBNKDEFF', 'XBNKDEFF100'],
      accounts: ['DE02120300000000202051'],
      status: 'ACTIVE',
    });
  });

  it.each([
    [{ name: 'X', bic: 'XBNKDEFF' }, 'entityId'],
    [{ entityId: 'ent x', name: 'X', bic: 'XBNKDEFF' }, 'entityId'],
    [{ entityId: 'ent-x', bic: 'XBNKDEFF' }, 'name'],
    [{ entityId: 'ent-x', name: 'X', bic: 'XBNK' }, 'bic'],
    [{ entityId: 'ent-x', name: 'X', bic: 'XBNKDEFF', bics: ['nope'] }, 'bics[0]'],
    [{ entityId: 'ent-x', name: 'X', bic: 'XBNKDEFF', accounts: 'DE02' }, 'accounts'],
    [{ entityId: 'ent-x', name: 'X', bic: 'XBNKDEFF', status: 'CLOSED' }, 'status'],
    [{ entityId: 'ent-x', name: 'X', bic: 'XBNKDEFF', colour: 'red' }, 'colour'],
  ])('refuses %p, naming %s', (body, field) => {
    expect(refusedField(() => parseEntity(body))).toBe(field);
  });
});

describe('parseEntityChanges', () => {
  it('keeps the current BICs when only the primary one changes', () => {
    expect(parseEntityChanges({ bic: 'NEWBDEFFXXX' }, delta)).toEqual({ bic: 'NEWBDEFFXXX', bics: ['DELTDEFFXXX', 'DELTDEFF100'] });
    expect(parseEntityChanges({ bics: ['DELTDEFF200'] }, delta)).toEqual({ bic: 'DELTDEFFXXX', bics: ['DELTDEFF200'] });
    expect(parseEntityChanges({ name: 'Delta AG', accounts: [] }, delta)).toEqual({ name: 'Delta AG', accounts: [] });
  });

  it('refuses a change of status (that is suspend and reinstate) and an empty change', () => {
    expect(refusedField(() => parseEntityChanges({ status: 'SUSPENDED' }, delta))).toBe('status');
    expect(refusedField(() => parseEntityChanges({ version: 3 }, delta))).toBe('body');
  });
});

describe('notifications', () => {
  const x = { entityId: 'ent-x', name: 'X Bank', bic: 'XBNKDEFF' };
  /** The InvalidRequestError a run throws. */
  function refusal(run: () => unknown): InvalidRequestError {
    try {
      run();
    } catch (error) {
      if (error instanceof InvalidRequestError) return error;
      throw error;
    }
    throw new Error('nothing was refused');
  }

  it('switches camt.054 notifications on for a new participant, once each, and leaves them off when absent or empty', () => {
    expect(parseEntity({ ...x, notifications: ['camt.054', 'camt.054'] })).toMatchObject({ notifications: ['camt.054'] });
    expect(parseEntity(x)).not.toHaveProperty('notifications');
    expect(parseEntity({ ...x, notifications: [] })).not.toHaveProperty('notifications');
  });

  it('changes them on an entity: on, and off with an empty list', () => {
    expect(parseEntityChanges({ notifications: ['camt.054'] }, delta)).toEqual({ notifications: ['camt.054'] });
    expect(parseEntityChanges({ notifications: [] }, { ...delta, notifications: ['camt.054'] })).toEqual({ notifications: [] });
    expect(parseEntityChanges({ name: 'Delta AG', notifications: [] }, delta)).toEqual({ name: 'Delta AG', notifications: [] });
  });

  it.each([
    [{ notifications: 'camt.054' }, 'notifications'],
    [{ notifications: null }, 'notifications'],
    [{ notifications: { camt: '054' } }, 'notifications'],
    [{ notifications: ['camt.053'] }, 'notifications[0]'],
    [{ notifications: ['camt.054', 'pacs.002'] }, 'notifications[1]'],
    [{ notifications: ['CAMT.054'] }, 'notifications[0]'],
    [{ notifications: ['camt.054.001.08'] }, 'notifications[0]'],
    [{ notifications: [' camt.054'] }, 'notifications[0]'],
    [{ notifications: [54] }, 'notifications[0]'],
    [{ notifications: [null] }, 'notifications[0]'],
  ])('refuses %j on create and on change, naming %s, with reason code NARR', (body, field) => {
    for (const run of [() => parseEntity({ ...x, ...body }), () => parseEntityChanges(body, delta)]) {
      const error = refusal(run);
      expect(error.path).toBe(field);
      expect(error.toProblem()).toMatchObject({ status: 400, errors: [{ path: field, reasonCode: 'NARR' }], extensions: { reasonCode: 'NARR' } });
    }
  });

  it('names the message types on offer when it refuses one', () => {
    expect(refusal(() => parseEntityChanges({ notifications: ['camt.053'] }, delta)).toProblem().detail).toBe(
      "notifications[0]: 'camt.053' is not a message type offered as a notification (offered: 'camt.054')",
    );
  });

  it('shows them in the view and the audit form, an empty list when off', () => {
    expect(entityView({ ...delta, notifications: ['camt.054'] }).notifications).toEqual(['camt.054']);
    expect(entityView(delta).notifications).toEqual([]);
    expect(entityState({ ...delta, notifications: ['camt.054'] })).toMatchObject({ notifications: ['camt.054'], version: 3 });
    expect(entityState(delta)).toMatchObject({ notifications: [] });
  });
});

describe('mappings', () => {
  it('takes a mapping with at least one scope, ACTIVE unless said otherwise', () => {
    expect(parseMapping({ clientId: 'delta-bank', scopes: ['payments/read', 'payments/read'] }, 'ent-delta')).toEqual<ClientMapping>({
      clientId: 'delta-bank',
      entityId: 'ent-delta',
      scopes: ['payments/read'],
      status: 'ACTIVE',
    });
    expect(refusedField(() => parseMapping({ clientId: 'delta-bank', scopes: [] }, 'ent-delta'))).toBe('scopes');
    expect(refusedField(() => parseMapping({ clientId: 'delta-bank', scopes: ['admin'] }, 'ent-delta'))).toBe('scopes[0]');
  });

  it('takes changes of entity, scopes and status', () => {
    expect(parseMappingChanges({ status: 'SUSPENDED', version: 2 })).toEqual({ status: 'SUSPENDED' });
    expect(refusedField(() => parseMappingChanges({}))).toBe('body');
    expect(refusedField(() => parseMappingChanges({ entityId: 'a b' }))).toBe('entityId');
  });
});

describe('expectedVersion', () => {
  it.each([
    ['"4"', undefined, 4],
    ['W/"4"', undefined, 4],
    [undefined, { version: 5 }, 5],
    [undefined, { version: '6' }, 6],
    [undefined, undefined, 3],
  ])('reads If-Match %p or the body %p, else the version read', (ifMatch, body, expected) => {
    expect(expectedVersion(ifMatch, body, 3)).toBe(expected);
  });

  it('refuses a version that is not a whole number', () => {
    expect(refusedField(() => expectedVersion('"x"', undefined, 1))).toBe('If-Match');
    expect(refusedField(() => expectedVersion(undefined, { version: -1 }, 1))).toBe('version');
  });
});

describe('parseLiquidity', () => {
  it('turns a withdrawal into a negative posting, in minor units of the currency', () => {
    expect(parseLiquidity({ type: 'withdrawal', amount: '125.5', currency: 'EUR', reference: 'w-1' })).toEqual({
      type: 'withdrawal',
      amount: { minor: 125_50n, currency: 'EUR', exponent: 2 },
      posting: { minor: -125_50n, currency: 'EUR', exponent: 2 },
      reference: 'w-1',
    });
    expect(parseLiquidity({ type: 'top-up', amount: '1000', currency: 'JPY', reference: 't-1' }).posting).toEqual({ minor: 1000n, currency: 'JPY', exponent: 0 });
  });

  it.each([
    [{ type: 'gift', amount: '1.00', currency: 'EUR', reference: 'r' }, 'type'],
    [{ type: 'top-up', amount: 1, currency: 'EUR', reference: 'r' }, 'amount'],
    [{ type: 'top-up', amount: '1.001', currency: 'EUR', reference: 'r' }, 'amount'],
    [{ type: 'top-up', amount: '-1.00', currency: 'EUR', reference: 'r' }, 'amount'],
    [{ type: 'top-up', amount: '0.00', currency: 'EUR', reference: 'r' }, 'amount'],
    [{ type: 'top-up', amount: '1.00', currency: 'eur', reference: 'r' }, 'currency'],
    [{ type: 'top-up', amount: '1.00', currency: 'XXY', reference: 'r' }, 'amount'],
    [{ type: 'top-up', amount: '1.00', currency: 'EUR' }, 'reference'],
    [{ type: 'top-up', amount: '1.00', currency: 'EUR', reference: 'a#b' }, 'reference'],
  ])('refuses %p, naming %s', (body, field) => {
    expect(refusedField(() => parseLiquidity(body))).toBe(field);
  });

  it('reads a threshold in the currency of the path', () => {
    expect(parseThreshold({ amount: '80' }, 'EUR')).toEqual({ minor: 80_00n, currency: 'EUR', exponent: 2 });
    expect(refusedField(() => parseThreshold({ amount: '80', currency: 'EUR' }, 'EUR'))).toBe('currency');
  });
});

describe('paths and pages', () => {
  it('checks ids and page sizes', () => {
    expect(pathId('ent-alpha')).toBe('ent-alpha');
    expect(refusedField(() => pathId('../x'))).toBe('id');
    expect(parsePage({ limit: '20', cursor: 'abc' })).toEqual({ limit: 20, cursor: 'abc' });
    expect(refusedField(() => parsePage({ limit: '201' }))).toBe('limit');
  });
});

describe('rules', () => {
  it('deletes only an entity whose balances are all zero and that has no clients', () => {
    expect(() => assertDeletable('ent-delta', [eur(0n)], [])).not.toThrow();
    expect(() => assertDeletable('ent-delta', [eur(0n), eur(1n)], [])).toThrow(ConflictError);
    expect(() => assertDeletable('ent-delta', [eur(-1n)], [])).toThrow(/-0.01 EUR/);
    expect(() => assertDeletable('ent-delta', [], [{ clientId: 'c', entityId: 'ent-delta', scopes: [], status: 'ACTIVE' }])).toThrow(/c; delete them first/);
  });

  it('changes the status only when it differs', () => {
    expect(statusChange(delta, 'SUSPENDED')).toEqual({ action: 'entity.suspend', status: 'SUSPENDED' });
    expect(statusChange({ ...delta, status: 'SUSPENDED' }, 'ACTIVE')).toEqual({ action: 'entity.reinstate', status: 'ACTIVE' });
    expect(statusChange(delta, 'ACTIVE')).toBeUndefined();
  });

  it('shows balances as decimal text with the exponent of the currency', () => {
    expect(balanceView(eur(75_00n), 80_00n)).toMatchObject({ amount: '75.00', threshold: '80.00' });
  });

  it('answers a withdrawal beyond the balance with AM04 in the problem', () => {
    const problem = new ConflictError('insufficient-funds', 'no', [{ path: 'amount', message: 'exceeds', reasonCode: 'AM04' }]).toProblem();
    expect(problem).toMatchObject({ status: 409, extensions: { reasonCode: 'AM04' } });
  });
});
