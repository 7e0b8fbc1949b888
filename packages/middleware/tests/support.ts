import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK } from 'jose';
import { startLocalCloud, type LocalCloud } from '@mxflow/local-stack';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Starts an in-memory local cloud whose names start with `prefix`. */
export function startCloud(prefix: string): Promise<LocalCloud> {
  return startLocalCloud({
    infraDir: path.join(REPO_ROOT, 'infra'),
    seedFile: path.join(REPO_ROOT, 'packages/local-stack/seed/participants.json'),
    namePrefix: prefix,
  });
}

/** Asks the local OAuth server for a client_credentials access token. */
export async function fetchToken(cloud: LocalCloud, clientId: string, scope: string): Promise<string> {
  const client = [...cloud.seed.participants, ...cloud.seed.operators].find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`no seeded client ${clientId}`);
  const response = await fetch(cloud.endpoints.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: cloud.endpoints.audience }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token endpoint answered ${response.status}`);
  return body.access_token;
}

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
