import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientStatus, type ClientMapping, type MappingDirectory } from '@mxflow/store';
import { InternalKey, internalOf, type Caller } from '../context';
import { ClientInactiveError, ClientNotMappedError, InsufficientScopeError, MissingTokenError, PersonNotInGroupError } from '../errors';
import { headerOf } from '../http';
import { scopesOf, type AccessTokenClaims, type TokenVerifier } from './verify';

/** Options of {@link auth}. */
export interface AuthOptions {
  /** Verifies the bearer token (signature, issuer, audience, expiry, scope). */
  readonly verifier: TokenVerifier;
  /**
   * Resolves the token's client to its entity. One that keeps mappings for a
   * while (`forget`) is asked again, afresh, before a refusal.
   */
  readonly directory: MappingDirectory & { forget?(clientId: string): void };
  /** Scope the token and the client's mapping must both grant; none by default. */
  readonly requiredScope?: string;
}

const defaults = {
  requiredScope: undefined as string | undefined,
};

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/;

/** The user groups of a person's token (`cognito:groups`). */
function groupsOf(claims: Record<string, unknown>): string[] {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
}

/**
 * Authenticates the caller of an HTTP API request.
 *
 * Verifies the bearer token itself, signature included: the services put no
 * API Gateway authorizer in front, so that every refusal is problem+json in
 * AWS and on one machine alike. Then resolves the token's `client_id` to an entity through the
 * mapping table and refuses clients that are unknown, not ACTIVE, or not
 * allowed the required scope. The caller's scopes are those the token
 * carries AND the mapping allows: a claim of `payments/admin` grants nothing
 * to a client the mapping does not allow it. A person's token (Cognito's hosted UI: it has
 * a `username`) acts for the client's entity only when the person is in the
 * user group of that entity (`cognito:groups`); a machine client's token has
 * no username. Sets `context.caller` (and the token's `context.claims`) and
 * `request.internal['middleware.caller']`.
 *
 * @example
 * middy(lambdaHandler).use(auth({ verifier, directory, requiredScope: 'payments/write' }))
 */
export function auth(options: AuthOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const { verifier, directory, requiredScope } = { ...defaults, ...options };

  const before = async (request: Request<APIGatewayProxyEventV2>): Promise<void> => {
    const match = BEARER.exec(headerOf(request.event, 'authorization')?.trim() ?? '');
    if (!match) throw new MissingTokenError();
    const claims = await verifier.verify(match[1], requiredScope);
    let caller: Caller;
    try {
      caller = callerFrom(claims, await directory.find(claims.client_id), requiredScope);
    } catch (refusal) {
      // A kept mapping may be older than the change that allows the client now: refuse on a fresh read only.
      if (!directory.forget) throw refusal;
      directory.forget(claims.client_id);
      caller = callerFrom(claims, await directory.find(claims.client_id), requiredScope);
    }
    internalOf(request)[InternalKey.caller] = caller;
    Object.assign(request.context, { caller, claims });
  };

  return { before };
}

/**
 * The caller a verified token stands for, by the client's mapping: refused
 * when the client is unknown, not ACTIVE, not allowed `requiredScope`, or a
 * person not in the entity's group. Its scopes are the token's that the
 * mapping allows.
 *
 * @throws ClientNotMappedError, ClientInactiveError, InsufficientScopeError or PersonNotInGroupError
 */
export function callerFrom(claims: AccessTokenClaims, mapping: ClientMapping | undefined, requiredScope?: string): Caller {
  if (!mapping) throw new ClientNotMappedError(claims.client_id);
  if (mapping.status !== ClientStatus.ACTIVE) throw new ClientInactiveError(claims.client_id, mapping.status);
  if (requiredScope !== undefined && !mapping.scopes.includes(requiredScope)) throw new InsufficientScopeError(requiredScope);
  const { username } = claims;
  if (typeof username === 'string' && !groupsOf(claims).includes(mapping.entityId)) throw new PersonNotInGroupError(claims.client_id, username, mapping.entityId);
  // Every right comes from the mapping: a token's scopes narrow what the client is allowed, never widen it.
  return {
    clientId: claims.client_id,
    entityId: mapping.entityId,
    scopes: scopesOf(claims).filter((scope) => mapping.scopes.includes(scope)),
    mappingVersion: mapping.version ?? 0,
  };
}
