import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { InsufficientScopeError, InvalidTokenError, JwksUnavailableError, TokenExpiredError } from './errors';

/** Where to fetch keys and what `iss` and `aud` a token must carry. */
export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Seconds of clock skew tolerated on `exp`/`iat`/`nbf` (default 5). */
  clockToleranceSec?: number;
  /** Accepted signing algorithms (default `['RS256']`). */
  algorithms?: string[];
}

/** The claims of a verified access token. */
export interface AccessTokenClaims extends JWTPayload {
  client_id: string;
  /** Space-separated scopes; absent when none of the requested scopes was granted. */
  scope?: string;
  exp: number;
}

/** Verifies bearer access tokens against a JWKS. */
export interface TokenVerifier {
  /**
   * Checks signature, `typ` (at+jwt), issuer, audience, expiry, and that the
   * `scope` claim contains `requiredScope` when one is given.
   *
   * @throws InvalidTokenError / TokenExpiredError (answer 401 `invalid_token`)
   * @throws InsufficientScopeError (answer 403 `insufficient_scope`)
   * @throws JwksUnavailableError when the keys cannot be fetched (answer 503)
   */
  verify(token: string, requiredScope?: string): Promise<AccessTokenClaims>;
}

/** Splits a `scope` claim into its scopes. */
export function scopesOf(claims: Pick<AccessTokenClaims, 'scope'>): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

/**
 * Creates a verifier for access tokens issued by the local OAuth server (or
 * any RFC 9068 issuer, such as Cognito behind the same claims). Keys are
 * fetched once and cached; an unknown `kid` triggers a refetch.
 *
 * @example
 * const verifier = createTokenVerifier({ issuer, audience, jwksUri });
 * const claims = await verifier.verify(bearer, 'payments/write');
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri));
  const algorithms = options.algorithms ?? ['RS256'];
  const clockTolerance = options.clockToleranceSec ?? 5;

  return {
    async verify(token, requiredScope) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms,
          typ: 'at+jwt',
          clockTolerance,
          requiredClaims: ['exp', 'client_id'],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw new TokenExpiredError('token has expired', { cause: error });
        // jose raises the bare JOSEError only when the JWKS response is not 200 or not JSON.
        if (
          error instanceof joseErrors.JWKSTimeout ||
          error instanceof joseErrors.JWKSInvalid ||
          (error instanceof joseErrors.JOSEError && error.constructor === joseErrors.JOSEError)
        ) {
          throw new JwksUnavailableError(`cannot use the keys at ${options.jwksUri}`, { cause: error });
        }
        if (error instanceof joseErrors.JOSEError) {
          throw new InvalidTokenError(`token rejected: ${error.message}`, { cause: error });
        }
        // Anything else is a failed fetch of the JWKS (connection refused, DNS), not a bad token.
        throw new JwksUnavailableError(`cannot fetch ${options.jwksUri}`, { cause: error });
      }
      const claims = payload as AccessTokenClaims;
      if (requiredScope !== undefined && !scopesOf(claims).includes(requiredScope)) {
        throw new InsufficientScopeError(requiredScope);
      }
      return claims;
    },
  };
}
