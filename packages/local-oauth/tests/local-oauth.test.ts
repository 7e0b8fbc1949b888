import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import {
  ClientSeedError,
  InsufficientScopeError,
  InvalidTokenError,
  JwksUnavailableError,
  TokenExpiredError,
  createTokenVerifier,
  generateClientSecret,
  hashClientSecret,
  isClientSecretHash,
  loadClientSeed,
  loadOrCreateSigningKey,
  parseClientSeed,
  startLocalOAuth,
  verifyClientSecret,
  type ClientRegistry,
  type LocalOAuth,
  type RegisteredClient,
} from '../src/index';

const AUDIENCE = 'https://api.mxflow.local';
const CLIENTS = [
  { clientId: 'bank-a', clientSecret: 'bank-a-secret', scopes: ['payments/write', 'payments/read'] },
  { clientId: 'ops', clientSecret: 'ops-secret-123', scopes: ['payments/admin'], authMethod: 'client_secret_post' as const },
];

interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

async function requestToken(
  oauth: LocalOAuth,
  clientId: string,
  clientSecret: string,
  params: Record<string, string>,
  viaPost = false,
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...params });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (viaPost) {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  }
  const response = await fetch(oauth.tokenUrl, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function accessToken(oauth: LocalOAuth, scope: string): Promise<string> {
  const { status, body } = await requestToken(oauth, 'bank-a', 'bank-a-secret', { scope, resource: AUDIENCE });
  expect(status).toBe(200);
  return body.access_token as string;
}

describe('startLocalOAuth', () => {
  let dir: string;
  let keyFile: string;
  let oauth: LocalOAuth;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxflow-oauth-'));
    keyFile = join(dir, 'keys', 'signing-key.json');
    oauth = await startLocalOAuth({ port: 0, clients: CLIENTS, audience: AUDIENCE, keyFile });
  });

  afterAll(async () => {
    await oauth?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('issues an RS256 at+jwt with iss, aud, scope, client_id and exp', async () => {
    const { status, body } = await requestToken(oauth, 'bank-a', 'bank-a-secret', {
      scope: 'payments/write payments/read',
      resource: AUDIENCE,
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'payments/write payments/read' });
    const token = body.access_token as string;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(oauth.jwksUri)), {
      issuer: oauth.issuer,
      audience: AUDIENCE,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      iss: oauth.issuer,
      aud: AUDIENCE,
      scope: 'payments/write payments/read',
      client_id: 'bank-a',
    });
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000 + 3500);
  });

  it('accepts client_secret_post for a client registered with it', async () => {
    const { status, body } = await requestToken(
      oauth,
      'ops',
      'ops-secret-123',
      { scope: 'payments/admin', resource: AUDIENCE },
      true,
    );
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ client_id: 'ops', scope: 'payments/admin' });
  });

  it('answers 401 invalid_client to a wrong secret', async () => {
    const { status, body } = await requestToken(oauth, 'bank-a', 'not-the-secret', {
      scope: 'payments/write',
      resource: AUDIENCE,
    });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('answers invalid_scope when a client asks for a known scope it was not given', async () => {
    const { status, body } = await requestToken(oauth, 'bank-a', 'bank-a-secret', {
      scope: 'payments/admin',
      resource: AUDIENCE,
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_scope');
  });

  it.each([
    ['Basic credentials', 'bank-a', 'bank-a-secret', false, 'payments/write payments/read'],
    ['client_secret_post', 'ops', 'ops-secret-123', true, 'payments/admin'],
  ])("grants every scope of the client to a request that names none, as Cognito does (%s)", async (_how, clientId, secret, viaPost, scope) => {
    const { status, body } = await requestToken(oauth, clientId, secret, { resource: AUDIENCE }, viaPost);
    expect(status).toBe(200);
    expect(body.scope).toBe(scope);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ client_id: clientId, scope });
  });

  it('still answers 401 invalid_client to a wrong secret that names no scope', async () => {
    const { status, body } = await requestToken(oauth, 'bank-a', 'not-the-secret', { resource: AUDIENCE });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('issues a token without a scope claim for an unknown scope', async () => {
    const token = await accessToken(oauth, 'payments/everything');
    const payload = decodeJwt(token);
    expect(payload.client_id).toBe('bank-a');
    expect(payload).not.toHaveProperty('scope');
  });

  it('refuses a resource other than the API audience', async () => {
    const { status, body } = await requestToken(oauth, 'bank-a', 'bank-a-secret', {
      scope: 'payments/read',
      resource: 'https://elsewhere.example',
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_target');
  });

  it('rejects a token re-signed with another key', async () => {
    const genuine = decodeJwt(await accessToken(oauth, 'payments/write'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { kid } = decodeProtectedHeader(await accessToken(oauth, 'payments/read'));
    const forged = await new SignJWT({ ...genuine, scope: 'payments/write payments/admin' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid })
      .sign(privateKey);

    await expect(
      jwtVerify(forged, createRemoteJWKSet(new URL(oauth.jwksUri)), { issuer: oauth.issuer, audience: AUDIENCE }),
    ).rejects.toThrow('signature verification failed');
    const verifier = createTokenVerifier({ issuer: oauth.issuer, audience: AUDIENCE, jwksUri: oauth.jwksUri });
    await expect(verifier.verify(forged, 'payments/admin')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  describe('createTokenVerifier', () => {
    it('returns the claims when the token carries the required scope', async () => {
      const verifier = createTokenVerifier({ issuer: oauth.issuer, audience: AUDIENCE, jwksUri: oauth.jwksUri });
      const claims = await verifier.verify(await accessToken(oauth, 'payments/write'), 'payments/write');
      expect(claims).toMatchObject({ client_id: 'bank-a', scope: 'payments/write' });
    });

    it.each([
      ['a missing scope', 'payments/read', AUDIENCE, undefined, InsufficientScopeError],
      ['a token with no scope claim', 'payments/everything', AUDIENCE, undefined, InsufficientScopeError],
      ['another audience', 'payments/write', 'https://other.mxflow.local', undefined, InvalidTokenError],
      ['another issuer', 'payments/write', AUDIENCE, 'http://127.0.0.1:1', InvalidTokenError],
    ])('rejects %s', async (_case, scope, audience, issuer, errorClass) => {
      const verifier = createTokenVerifier({ issuer: issuer ?? oauth.issuer, audience, jwksUri: oauth.jwksUri });
      await expect(verifier.verify(await accessToken(oauth, scope), 'payments/write')).rejects.toBeInstanceOf(
        errorClass,
      );
    });

    it('rejects an expired token signed with the real key', async () => {
      const key = await loadOrCreateSigningKey(keyFile);
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ client_id: 'bank-a', scope: 'payments/write' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid })
        .setIssuer(oauth.issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(await importJWK(key, 'RS256'));
      const verifier = createTokenVerifier({ issuer: oauth.issuer, audience: AUDIENCE, jwksUri: oauth.jwksUri });
      await expect(verifier.verify(expired)).rejects.toBeInstanceOf(TokenExpiredError);
    });

    it('reports an unreachable JWKS as unavailable, not as a bad token', async () => {
      const token = await accessToken(oauth, 'payments/write');
      const verifier = createTokenVerifier({
        issuer: oauth.issuer,
        audience: AUDIENCE,
        jwksUri: `${oauth.issuer}/no-such-jwks`,
      });
      await expect(verifier.verify(token, 'payments/write')).rejects.toBeInstanceOf(JwksUnavailableError);
    });
  });

  it('keeps verifying old tokens after a restart with the same key file', async () => {
    const token = await accessToken(oauth, 'payments/read');
    const restarted = await startLocalOAuth({ port: 0, clients: CLIENTS, audience: AUDIENCE, keyFile });
    try {
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(restarted.jwksUri)), {
        audience: AUDIENCE,
      });
      expect(payload.client_id).toBe('bank-a');
    } finally {
      await restarted.stop();
    }
  });

  it('signs with a new key on each start without a key file', async () => {
    const token = await accessToken(oauth, 'payments/read');
    const ephemeral = await startLocalOAuth({ port: 0, clients: CLIENTS, audience: AUDIENCE });
    try {
      await expect(
        jwtVerify(token, createRemoteJWKSet(new URL(ephemeral.jwksUri)), { audience: AUDIENCE }),
      ).rejects.toThrow('no applicable key found in the JSON Web Key Set');
    } finally {
      await ephemeral.stop();
    }
  });
});

describe('client seed', () => {
  it('loads a seed file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mxflow-seed-'));
    try {
      const file = join(dir, 'clients.json');
      await writeFile(file, JSON.stringify(CLIENTS));
      expect((await loadClientSeed(file)).map((client) => client.clientId)).toEqual(['bank-a', 'ops']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['not an array', { clientId: 'x' }, 'must be a JSON array'],
    ['a missing clientId', [{ clientSecret: 'long-enough', scopes: [] }], 'needs a clientId'],
    ['a short secret', [{ clientId: 'x', clientSecret: 'short', scopes: [] }], 'at least 8 characters'],
    ['an unknown scope', [{ clientId: 'x', clientSecret: 'long-enough', scopes: ['payments/all'] }], 'unknown scopes: payments/all'],
    [
      'a repeated clientId',
      [
        { clientId: 'x', clientSecret: 'long-enough', scopes: [] },
        { clientId: 'x', clientSecret: 'long-enough', scopes: [] },
      ],
      'repeats clientId x',
    ],
  ])('refuses %s', (_case, seed, message) => {
    expect(() => parseClientSeed(seed)).toThrow(ClientSeedError);
    expect(() => parseClientSeed(seed)).toThrow(message);
  });
});

describe('client secrets', () => {
  it('verifies a secret against its hash, and nothing else', () => {
    const secret = generateClientSecret();
    const stored = hashClientSecret(secret);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isClientSecretHash(stored)).toBe(true);
    expect(stored).not.toContain(secret);
    expect(verifyClientSecret(secret, stored)).toBe(true);
    expect(verifyClientSecret(`${secret}x`, stored)).toBe(false);
    expect(verifyClientSecret(secret, hashClientSecret(generateClientSecret()))).toBe(false);
    expect(verifyClientSecret(secret, 'plain-secret')).toBe(false);
  });

  it('salts each hash, so the same secret is stored differently twice', () => {
    const secret = generateClientSecret();
    const [first, second] = [hashClientSecret(secret), hashClientSecret(secret)];
    expect(first).not.toBe(second);
    expect(verifyClientSecret(secret, first) && verifyClientSecret(secret, second)).toBe(true);
  });
});

describe('clients registered at run time', () => {
  const registered = new Map<string, RegisteredClient>();
  const registry: ClientRegistry = { find: async (clientId) => registered.get(clientId) };
  let oauth: LocalOAuth;

  beforeAll(async () => {
    oauth = await startLocalOAuth({ port: 0, clients: CLIENTS, audience: AUDIENCE, registry });
  });

  afterAll(async () => {
    await oauth?.stop();
  });

  it('issues a token to a client registered after the start, with the scopes it was registered with', async () => {
    const secret = generateClientSecret();
    expect((await requestToken(oauth, 'bank-new', secret, { resource: AUDIENCE })).status).toBe(401);
    registered.set('bank-new', { clientId: 'bank-new', scopes: ['payments/read'], secretHash: hashClientSecret(secret) });

    const { status, body } = await requestToken(oauth, 'bank-new', secret, { resource: AUDIENCE });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string)).toMatchObject({ client_id: 'bank-new', scope: 'payments/read' });
    expect((await requestToken(oauth, 'bank-new', secret, { scope: 'payments/write', resource: AUDIENCE })).body.error).toBe('invalid_scope');
  });

  it('refuses the old secret at once after a rotation, and takes the new one', async () => {
    const [old, fresh] = [generateClientSecret(), generateClientSecret()];
    registered.set('bank-rot', { clientId: 'bank-rot', scopes: ['payments/write'], secretHash: hashClientSecret(old) });
    expect((await requestToken(oauth, 'bank-rot', old, { resource: AUDIENCE })).status).toBe(200);

    registered.set('bank-rot', { clientId: 'bank-rot', scopes: ['payments/write'], secretHash: hashClientSecret(fresh) });
    const refused = await requestToken(oauth, 'bank-rot', old, { resource: AUDIENCE });
    expect(refused).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await requestToken(oauth, 'bank-rot', fresh, { resource: AUDIENCE })).status).toBe(200);

    registered.delete('bank-rot');
    expect((await requestToken(oauth, 'bank-rot', fresh, { resource: AUDIENCE })).status).toBe(401);
  });

  it('lets a registered secret of a seeded client replace its seed secret', async () => {
    expect((await requestToken(oauth, 'bank-a', 'bank-a-secret', { resource: AUDIENCE })).status).toBe(200);
    const secret = generateClientSecret();
    registered.set('bank-a', { clientId: 'bank-a', scopes: ['payments/write', 'payments/read'], secretHash: hashClientSecret(secret) });
    try {
      expect((await requestToken(oauth, 'bank-a', 'bank-a-secret', { resource: AUDIENCE })).status).toBe(401);
      expect((await requestToken(oauth, 'bank-a', secret, { resource: AUDIENCE })).body.scope).toBe('payments/write payments/read');
    } finally {
      registered.delete('bank-a');
    }
    // Without a registered secret, the seed's works again.
    expect((await requestToken(oauth, 'bank-a', 'bank-a-secret', { resource: AUDIENCE })).status).toBe(200);
  });

  it('answers a registry failure as a server error, never with a token', async () => {
    const failing = await startLocalOAuth({ port: 0, clients: CLIENTS, audience: AUDIENCE, registry: { find: () => Promise.reject(new Error('table unreachable')) } });
    try {
      const { status, body } = await requestToken(failing, 'bank-a', 'bank-a-secret', { resource: AUDIENCE });
      expect(status).toBeGreaterThanOrEqual(500);
      expect(body).not.toHaveProperty('access_token');
    } finally {
      await failing.stop();
    }
  });
});
