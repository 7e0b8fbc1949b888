import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';

/** A JWKS endpoint of a key pair of our own, to issue tokens shaped as another issuer (Cognito) would. */
export interface OwnIssuer {
  readonly jwksUri: string;
  readonly privateKey: KeyObject;
  readonly kid: string;
  close(): Promise<void>;
}

/** Serves the public half of a new RSA key as a JWKS. */
export async function startOwnIssuer(): Promise<OwnIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'own-key';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    privateKey,
    kid,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
