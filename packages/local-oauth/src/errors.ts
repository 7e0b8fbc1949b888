/** Base class for every error raised by `@mxflow/local-oauth`. */
export class LocalOAuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalOAuthError';
  }
}

/** The client seed is not an array of `{ clientId, clientSecret, scopes }`, or names an unknown scope. */
export class ClientSeedError extends LocalOAuthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClientSeedError';
  }
}

/** The signing key file exists but does not hold a private RSA JWK. */
export class SigningKeyError extends LocalOAuthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/**
 * The RFC 6750 error code a resource server returns for each rejection:
 * `invalid_token` maps to 401, `insufficient_scope` to 403.
 */
export const BearerErrorCode = {
  InvalidToken: 'invalid_token',
  InsufficientScope: 'insufficient_scope',
} as const;
/** One of {@link BearerErrorCode}. */
export type BearerErrorCode = (typeof BearerErrorCode)[keyof typeof BearerErrorCode];

/** A bearer token was rejected; the caller answers with {@link TokenRejectedError.code}. */
export class TokenRejectedError extends LocalOAuthError {
  readonly code: BearerErrorCode;
  constructor(message: string, code: BearerErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenRejectedError';
    this.code = code;
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

/** The token is genuine but its `scope` claim lacks the required scope (or has none at all). */
export class InsufficientScopeError extends TokenRejectedError {
  readonly requiredScope: string;
  constructor(requiredScope: string, options?: { cause?: unknown }) {
    super(`token lacks scope ${requiredScope}`, BearerErrorCode.InsufficientScope, options);
    this.name = 'InsufficientScopeError';
    this.requiredScope = requiredScope;
  }
}

/**
 * The JWKS could not be fetched. This is an infrastructure failure, not a
 * verdict on the token: answer 503 and let the caller retry.
 */
export class JwksUnavailableError extends LocalOAuthError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JwksUnavailableError';
  }
}
