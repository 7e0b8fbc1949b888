import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { remoteKeySet } from './jwks';
import { InsufficientScopeError, InvalidTokenError, JwksUnavailableError, TokenExpiredError } from '../errors';

/** Where to fetch keys and what a token must carry. */
export interface TokenVerifierOptions {
  issuer: string;
  /**
   * Required `aud`. Omit it for issuers whose access tokens carry no audience
   * (Cognito puts the app client in `client_id` instead).
   */
  audience?: string;
  jwksUri: string;
  /** Seconds of clock skew tolerated on `exp`/`iat`/`nbf` (default 5). */
  clockToleranceSec?: number;
  /** Accepted signing algorithms (default `['RS256']`). */
  algorithms?: string[];
  /** Required JOSE `typ` header (default `at+jwt`, RFC 9068); `null` accepts any (Cognito sets none). */
  type?: string | null;
  /** Required `token_use` claim (Cognito: `access`), so an ID token is never taken for an access token. */
  tokenUse?: string;
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
   * Checks signature, `typ`, issuer, audience, expiry, and that the `scope`
   * claim contains `requiredScope` when one is given.
   *
   * @throws InvalidTokenError / TokenExpiredError (answer 401 `invalid_token`)
   * @throws InsufficientScopeError (answer 403 `insufficient_scope`)
   * @throws JwksUnavailableError when the keys cannot be fetched (answer 503)
   */
  verify(token: string, requiredScope?: string): Promise<AccessTokenClaims>;
  /** Starts fetching the keys now (at a Lambda's initialisation), so that the first token finds them; never fails. */
  warm(): void;
}

/** Splits a `scope` claim into its scopes. */
export function scopesOf(claims: Pick<AccessTokenClaims, 'scope'>): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

/**
 * Creates a verifier for RFC 9068 access tokens (the local OAuth server) or
 * Cognito access tokens (`audience` omitted, `type: null`, `tokenUse: 'access'`).
 * Keys are fetched once and cached; an unknown `kid` triggers a refetch
 * (`remoteKeySet`).
 *
 * @example
 * const verifier = createTokenVerifier({ issuer, audience, jwksUri });
 * const claims = await verifier.verify(bearer, 'payments/write');
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = remoteKeySet(new URL(options.jwksUri));
  const type = options.type === undefined ? 'at+jwt' : options.type;
  const verifyOptions: JWTVerifyOptions = {
    issuer: options.issuer,
    algorithms: options.algorithms ?? ['RS256'],
    clockTolerance: options.clockToleranceSec ?? 5,
    requiredClaims: ['exp', 'client_id'],
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(type === null ? {} : { typ: type }),
  };

  return {
    async verify(token, requiredScope) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys.getKey, verifyOptions));
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
      if (typeof payload.client_id !== 'string' || payload.client_id === '') {
        throw new InvalidTokenError('token rejected: client_id is not a non-empty string');
      }
      if (options.tokenUse !== undefined && payload.token_use !== options.tokenUse) {
        throw new InvalidTokenError(`token rejected: token_use is not ${options.tokenUse}`);
      }
      const claims = payload as AccessTokenClaims;
      if (requiredScope !== undefined && !scopesOf(claims).includes(requiredScope)) {
        throw new InsufficientScopeError(requiredScope);
      }
      return claims;
    },
    warm: () => keys.warm(),
  };
}
