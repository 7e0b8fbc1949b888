import { createRequire } from 'node:module';

interface Service {
  functions?: Record<string, { events?: Record<string, unknown>[] }>;
  provider: { apiGateway?: Record<string, unknown> };
  custom?: { routeExposure?: Record<string, unknown> };
}
const { exposeRoutes, groupOf } = createRequire(import.meta.url)('../serverless/route-exposure.cjs') as {
  exposeRoutes: (service: Service) => number;
  groupOf: (path: string) => string;
};

const ids = { restApiId: 'rest', restApiRootResourceId: 'root', restApiV1ResourceId: 'v1', authorizerId: 'auth' };
const service = (groups: Record<string, string>, settings: Record<string, string> = ids): Service => ({
  functions: {
    submit: { events: [{ httpApi: { method: 'POST', path: '/v1/messages' } }] },
    entities: { events: [{ httpApi: { method: 'GET', path: '/v1/admin/entities/{id}' } }, { schedule: 'rate(1 minute)' }] },
  },
  provider: {},
  custom: { routeExposure: { groups, ...settings } },
});

describe('route exposure', () => {
  it('knows the group of every route path', () => {
    expect(['/v1/messages', '/v1/messages/validate', '/v1/transactions/{id}', '/v1/liquidity/postings', '/v1/admin/audit'].map(groupOf)).toEqual([
      'messages',
      'messages',
      'transactions',
      'transactions',
      'admin',
    ]);
    expect(() => groupOf('/v2/other')).toThrow(/no route group/);
    expect(() => groupOf('/v1/messagesx')).toThrow(/no route group/);
  });

  it('leaves the routes of public groups on the HTTP API', () => {
    const all = service({ messages: 'public', admin: 'public' });
    expect(exposeRoutes(all)).toBe(0);
    expect(all.functions?.entities.events?.[0]).toEqual({ httpApi: { method: 'GET', path: '/v1/admin/entities/{id}' } });
    expect(all.provider.apiGateway).toBeUndefined();
  });

  it('moves the routes of a private group to the REST API, with the authorizer and the scope of its group', () => {
    const moved = service({ messages: 'public', admin: 'private' });
    expect(exposeRoutes(moved)).toBe(1);
    expect(moved.functions?.entities.events).toEqual([
      { http: { method: 'get', path: 'v1/admin/entities/{id}', authorizer: { type: 'COGNITO_USER_POOLS', authorizerId: 'auth', scopes: ['payments/admin'] } } },
      { schedule: 'rate(1 minute)' },
    ]);
    expect(moved.functions?.submit.events?.[0]).toHaveProperty('httpApi');
    expect(moved.provider.apiGateway).toEqual({ restApiId: 'rest', restApiRootResourceId: 'root', restApiResources: { '/v1': 'v1' } });
  });

  it('refuses a private group without the REST API of the stage, and an exposure that is neither', () => {
    expect(() => exposeRoutes(service({ admin: 'private' }, { ...ids, restApiId: '' }))).toThrow(/restApiId is empty/);
    expect(() => exposeRoutes(service({ admin: 'hidden' }))).toThrow(/public or private/);
  });
});
