// Token verification belongs to the API, not to the local OAuth server: it
// lives in @mxflow/middleware and is re-exported here for existing callers.
export { createTokenVerifier, scopesOf } from '@mxflow/middleware';
export type { AccessTokenClaims, TokenVerifier, TokenVerifierOptions } from '@mxflow/middleware';
