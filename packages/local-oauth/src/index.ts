export { startLocalOAuth } from './server';
export type { ClientRegistry, LocalOAuth, LocalOAuthOptions, RegisteredClient } from './server';
export { generateClientSecret, hashClientSecret, isClientSecretHash, verifyClientSecret } from './secrets';
export { createTokenVerifier, scopesOf } from './verify';
export type { AccessTokenClaims, TokenVerifier, TokenVerifierOptions } from './verify';
export { loadClientSeed, parseClientSeed, PAYMENT_SCOPES, DEFAULT_AUDIENCE, ClientAuthMethod } from './seed';
export type { ClientSeed } from './seed';
export { generateSigningKey, loadOrCreateSigningKey } from './keys';
export type { SigningJwk } from './keys';
export {
  LocalOAuthError,
  ClientSeedError,
  SigningKeyError,
  TokenRejectedError,
  InvalidTokenError,
  TokenExpiredError,
  InsufficientScopeError,
  JwksUnavailableError,
  BearerErrorCode,
} from './errors';
