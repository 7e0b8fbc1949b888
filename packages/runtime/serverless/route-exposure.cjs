'use strict';
/**
 * Serverless plugin: exposes each route group on the API the stage chose.
 *
 * Every route is declared once, as an `httpApi` event (the public HTTP API,
 * and what the local gateway serves). A group that Terraform's
 * `route_groups` made private (SSM `/mxflow/<stage>/api/<group>/exposure`)
 * moves to the private REST API instead, reachable only through the VPC's
 * execute-api endpoint: before the events compile, its `httpApi` events
 * become `http` events on that REST API (`provider.apiGateway.restApiId`),
 * under its `/v1` resource, with the user pool's Cognito authorizer and the
 * group's scope. The handlers read both payloads alike (`restApiEvents`).
 *
 * Configuration, in `custom.routeExposure` (shared.yml):
 *   groups: { messages: public|private, transactions: …, admin: … }
 *   restApiId, restApiRootResourceId, restApiV1ResourceId, authorizerId
 */

/** Which group a route belongs to, by the first segments of its path. */
const GROUPS = [
  { group: 'messages', prefixes: ['/v1/messages'] },
  { group: 'transactions', prefixes: ['/v1/transactions', '/v1/liquidity', '/v1/statements'] },
  { group: 'admin', prefixes: ['/v1/admin'] },
];

/** The scope the REST API's authorizer requires of each group (the handlers check it again, with the client mapping). */
const SCOPES = { messages: 'payments/write', transactions: 'payments/read', admin: 'payments/admin' };

const EXPOSURES = ['public', 'private'];

class RouteExposureError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RouteExposureError';
  }
}

/** The group of a route path. @throws RouteExposureError for a path of no group. */
function groupOf(path) {
  const found = GROUPS.find(({ prefixes }) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)));
  if (!found) throw new RouteExposureError(`route ${path} belongs to no route group (${GROUPS.map(({ group }) => group).join(', ')})`);
  return found.group;
}

/**
 * Moves the routes of private groups to the REST API. Returns how many moved.
 *
 * @param {{ functions?: Record<string, { events?: object[] }>, provider: { apiGateway?: object }, custom?: { routeExposure?: object } }} service
 */
function exposeRoutes(service) {
  const settings = service.custom && service.custom.routeExposure;
  if (!settings) return 0;
  const groups = settings.groups || {};
  for (const [group, exposure] of Object.entries(groups)) {
    if (!EXPOSURES.includes(exposure)) throw new RouteExposureError(`route group ${group} is exposed '${exposure}': it is public or private`);
  }
  let moved = 0;
  for (const fn of Object.values(service.functions || {})) {
    fn.events = (fn.events || []).map((event) => {
      if (!event || !event.httpApi) return event;
      const { method, path } = event.httpApi;
      const group = groupOf(path);
      if ((groups[group] || 'public') !== 'private') return event;
      moved += 1;
      return {
        http: {
          method: method.toLowerCase(),
          path: path.replace(/^\//, ''),
          authorizer: { type: 'COGNITO_USER_POOLS', authorizerId: settings.authorizerId, scopes: [SCOPES[group]] },
        },
      };
    });
  }
  if (moved > 0) {
    for (const name of ['restApiId', 'restApiRootResourceId', 'restApiV1ResourceId', 'authorizerId']) {
      if (!settings[name]) throw new RouteExposureError(`a route group is private, but custom.routeExposure.${name} is empty: apply the Terraform of this stage first`);
    }
    service.provider.apiGateway = {
      ...service.provider.apiGateway,
      restApiId: settings.restApiId,
      restApiRootResourceId: settings.restApiRootResourceId,
      // Terraform owns /v1, which every service's routes share.
      restApiResources: { '/v1': settings.restApiV1ResourceId },
    };
  }
  return moved;
}

class RouteExposure {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = {
      'before:package:compileEvents': () => {
        const moved = exposeRoutes(this.serverless.service);
        if (moved > 0 && this.log) this.log.notice(`route exposure: ${moved} route(s) on the private REST API`);
      },
    };
  }
}

module.exports = RouteExposure;
module.exports.exposeRoutes = exposeRoutes;
module.exports.groupOf = groupOf;
module.exports.RouteExposureError = RouteExposureError;
