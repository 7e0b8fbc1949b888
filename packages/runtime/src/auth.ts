import { createTokenVerifier, type TokenVerifier } from '@mxflow/middleware';
import { TokenFlavour, type AuthConfig } from './env';

/**
 * The access-token verifier for the configured issuer: RFC 9068 tokens with
 * an audience, or Cognito access tokens. Its keys are fetched at once, while
 * the rest of the handler's module initialises.
 */
export function verifierFor(config: AuthConfig): TokenVerifier {
  const verifier = createTokenVerifier({
    issuer: config.authIssuer,
    jwksUri: config.authJwksUri,
    ...(config.tokenFlavour === TokenFlavour.cognito ? { type: null, tokenUse: 'access' } : { audience: config.authAudience }),
  });
  verifier.warm();
  return verifier;
}
