import { routeTable } from '../src';

class NoRouteError extends Error {}

describe('routeTable', () => {
  const handler = routeTable<{ routeKey: string }, string, string>(
    { 'GET /v1/things': (_event, context) => `list for ${context}`, 'POST /v1/things': () => 'created' },
    (routeKey) => new NoRouteError(routeKey),
  );

  it('hands each event to the handler of its route key', () => {
    expect(handler({ routeKey: 'GET /v1/things' }, 'alpha')).toBe('list for alpha');
    expect(handler({ routeKey: 'POST /v1/things' }, 'alpha')).toBe('created');
  });

  it('throws what it is given for a route key it lacks, an inherited name included', () => {
    expect(() => handler({ routeKey: 'DELETE /v1/things' }, 'alpha')).toThrow(NoRouteError);
    expect(() => handler({ routeKey: 'toString' }, 'alpha')).toThrow(NoRouteError);
  });
});
