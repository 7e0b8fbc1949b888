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

// The bearer-token errors belong to the API's middleware; re-exported for existing callers.
export {
  BearerErrorCode,
  TokenRejectedError,
  InvalidTokenError,
  TokenExpiredError,
  InsufficientScopeError,
  JwksUnavailableError,
} from '@mxflow/middleware';
