import { hrefOf, parseRoute } from '../src/lib/routes';

describe('the console routes', () => {
  it.each([
    ['', { page: 'transactions' }],
    ['#/', { page: 'transactions' }],
    ['#/transactions', { page: 'transactions' }],
    ['#/transactions/3f2a-1', { page: 'transaction', id: '3f2a-1' }],
    ['#/transactions/a%2Fb', { page: 'transaction', id: 'a/b' }],
    ['#/liquidity', { page: 'liquidity' }],
    ['#/dead-letters', { page: 'dead-letters' }],
    ['#/participants', { page: 'participants' }],
    ['#/reconciliation', { page: 'reconciliation' }],
    ['#/submit?x=1', { page: 'submit' }],
    ['#/nowhere', { page: 'transactions' }],
  ])('reads %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('writes the fragment a route is read back from', () => {
    for (const route of [{ page: 'transaction', id: 'a/b c' }, { page: 'dead-letters' }, { page: 'reconciliation' }] as const) {
      expect(parseRoute(hrefOf(route))).toEqual(route);
    }
  });
});
