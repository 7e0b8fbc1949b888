import { createTokenVerifier, type TokenVerifier } from '@mxflow/middleware';
import { TokenFlavour, type AuthConfig } from './env';

/** The access-token verifier for the configured issuer: RFC 9068 tokens with an audience, or Cognito access tokens. */
export function verifierFor(config: AuthConfig): TokenVerifier {
  return createTokenVerifier({
    issuer: config.authIssuer,
    jwksUri: config.authJwksUri,
    ...(config.tokenFlavour === TokenFlavour.cognito ? { type: null, tokenUse: 'access' } : { audience: config.authAudience }),
  });
}
