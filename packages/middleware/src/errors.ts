import type { Problem, ProblemSource } from './problem';

/** Base class for every error raised by `@mxflow/middleware`. */
export class MiddlewareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MiddlewareError';
  }
}

/**
 * The RFC 6750 error code a resource server returns for each rejection:
 * `invalid_token` maps to 401, `insufficient_scope` to 403.
 */
export const BearerErrorCode = {
  InvalidToken: 'invalid_token',
  InsufficientScope: 'insufficient_scope',
  InvalidRequest: 'invalid_request',
} as const;
/** One of {@link BearerErrorCode}. */
export type BearerErrorCode = (typeof BearerErrorCode)[keyof typeof BearerErrorCode];

/** Realm written into every `WWW-Authenticate` challenge. */
export const BEARER_REALM = 'mxflow';

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

/** A `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3). */
export function bearerChallenge(code?: BearerErrorCode, description?: string, scope?: string): string {
  const params = [`realm=${quoted(BEARER_REALM)}`];
  if (code) params.push(`error=${quoted(code)}`);
  if (description) params.push(`error_description=${quoted(description)}`);
  if (scope) params.push(`scope=${quoted(scope)}`);
  return `Bearer ${params.join(', ')}`;
}

/** A bearer token was rejected; the caller answers with {@link TokenRejectedError.code}. */
export class TokenRejectedError extends MiddlewareError implements ProblemSource {
  readonly code: BearerErrorCode;
  constructor(message: string, code: BearerErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRejectedError';
    this.code = code;
  }

  toProblem(): Problem {
    return {
      type: 'invalid-token',
      title: 'Unauthorized',
      status: 401,
      detail: 'The access token is invalid or has expired.',
      headers: { 'WWW-Authenticate': bearerChallenge(this.code, 'The access token is invalid or has expired') },
    };
  }
}

/** The request carries no `Authorization: Bearer` header (RFC 6750: a challenge without an error code). */
export class MissingTokenError extends TokenRejectedError {
  constructor(message = 'no bearer token', options?: { cause?: unknown }) {
    super(message, BearerErrorCode.InvalidRequest, options);
    this.name = 'MissingTokenError';
  }

  override toProblem(): Problem {
    return {
      type: 'missing-token',
      title: 'Unauthorized',
      status: 401,
      detail: 'The request needs an OAuth 2.0 access token in the Authorization header (Bearer).',
      errors: [{ path: 'Authorization', message: 'missing or not a Bearer token' }],
      headers: { 'WWW-Authenticate': bearerChallenge() },
    };
  }
}

/** Bad signature, wrong issuer or audience, wrong `typ`, malformed token, or no matching key. */
export class InvalidTokenError extends TokenRejectedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, BearerErrorCode.InvalidToken, options);
    this.name = 'InvalidTokenError';
  }
}

/** The token's `exp` is in the past. */
export class TokenExpiredError extends TokenRejectedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, BearerErrorCode.InvalidToken, options);
    this.name = 'TokenExpiredError';
  }
}

/** The token is genuine but its `scope` claim (or the client's mapping) lacks the required scope. */
export class InsufficientScopeError extends TokenRejectedError {
  readonly requiredScope: string;
  constructor(requiredScope: string, options?: { cause?: unknown }) {
    super(`token lacks scope ${requiredScope}`, BearerErrorCode.InsufficientScope, options);
    this.name = 'InsufficientScopeError';
    this.requiredScope = requiredScope;
  }

  override toProblem(): Problem {
    return {
      type: 'insufficient-scope',
      title: 'Forbidden',
      status: 403,
      detail: `This operation needs the scope ${this.requiredScope}.`,
      headers: { 'WWW-Authenticate': bearerChallenge(this.code, 'The access token lacks the required scope', this.requiredScope) },
    };
  }
}

/**
 * The JWKS could not be fetched. This is an infrastructure failure, not a
 * verdict on the token: answer 503 and let the caller retry.
 */
export class JwksUnavailableError extends MiddlewareError implements ProblemSource {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }

  toProblem(): Problem {
    return { type: 'service-unavailable', title: 'Service Unavailable', status: 503, detail: 'Try again later.', headers: { 'Retry-After': '1' } };
  }
}

/** The token is genuine, but its client is not allowed to act: unknown to the mapping table, or not active. */
export class ClientNotAllowedError extends MiddlewareError implements ProblemSource {
  readonly clientId: string;
  constructor(clientId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientNotAllowedError';
    this.clientId = clientId;
  }

  toProblem(): Problem {
    return {
      type: 'client-not-allowed',
      title: 'Forbidden',
      status: 403,
      detail: 'This client is not registered as an active participant.',
      headers: { 'WWW-Authenticate': bearerChallenge(BearerErrorCode.InsufficientScope, 'The client is not an active participant') },
    };
  }
}

/** The client has no entry in the mapping table. */
export class ClientNotMappedError extends ClientNotAllowedError {
  constructor(clientId: string, options?: { cause?: unknown }) {
    super(clientId, `client ${clientId} is not mapped to an entity`, options);
    this.name = 'ClientNotMappedError';
  }
}

/** The client's mapping is not ACTIVE. */
export class ClientInactiveError extends ClientNotAllowedError {
  readonly status: string;
  constructor(clientId: string, status: string, options?: { cause?: unknown }) {
    super(clientId, `client ${clientId} is ${status}`, options);
    this.name = 'ClientInactiveError';
    this.status = status;
  }
}

/**
 * A person signed in through a participant's console client, but is not a
 * member of that participant's user group: the client's entity is not theirs
 * to act for.
 */
export class PersonNotInGroupError extends ClientNotAllowedError {
  readonly username: string;
  readonly entityId: string;
  constructor(clientId: string, username: string, entityId: string, options?: { cause?: unknown }) {
    super(clientId, `${username} signed in through client ${clientId} of ${entityId}, but is not in the group ${entityId}`, options);
    this.name = 'PersonNotInGroupError';
    this.username = username;
    this.entityId = entityId;
  }

  toProblem(): Problem {
    return {
      type: 'person-not-in-group',
      title: 'Forbidden',
      status: 403,
      detail: 'You may act only for a participant whose user group you are a member of; ask the platform operator to add you to it.',
      headers: { 'WWW-Authenticate': bearerChallenge(BearerErrorCode.InsufficientScope, 'The user may not act for this participant') },
    };
  }
}

/** A middleware runs without what an earlier one should have set (a wiring mistake). */
export class MiddlewareOrderError extends MiddlewareError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MiddlewareOrderError';
  }
}
