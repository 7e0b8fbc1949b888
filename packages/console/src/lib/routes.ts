/** The console's pages, addressed by the URL's fragment so that no server needs to know them. */

/** A page and its parameters. */
export type Route =
  | { readonly page: 'transactions' }
  | { readonly page: 'transaction'; readonly id: string }
  | { readonly page: 'liquidity' }
  | { readonly page: 'dead-letters' }
  | { readonly page: 'participants' }
  | { readonly page: 'reconciliation' }
  | { readonly page: 'submit' };

/** The route of a fragment (`#/transactions/<id>`); anything unknown is the transactions list. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0];
  const segments = path.split('/').filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  const [first, second] = segments;
  if (first === 'transactions' && second) return { page: 'transaction', id: second };
  if (first === 'liquidity' || first === 'dead-letters' || first === 'participants' || first === 'reconciliation' || first === 'submit') return { page: first };
  return { page: 'transactions' };
}

/** The fragment of a route, for an `href`. */
export function hrefOf(route: Route): string {
  return route.page === 'transaction' ? `#/transactions/${encodeURIComponent(route.id)}` : `#/${route.page}`;
}
