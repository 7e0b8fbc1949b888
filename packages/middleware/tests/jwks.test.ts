import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, errors as joseErrors, exportJWK, jwtVerify } from 'jose';
import { remoteKeySet } from '../src/auth/jwks';

/** A JWKS endpoint whose keys, status and delay the test sets; it counts its requests. */
interface KeyServer {
  readonly url: URL;
  requests: number;
  keys: object[];
  status: number;
  body?: string;
  delayMs: number;
  /** Sends the headers and half the body at once, the rest after `delayMs`. */
  stallBody: boolean;
  /** Sends the headers and half the body, then drops the connection. */
  cutBody: boolean;
  close(): Promise<void>;
}

async function startKeyServer(): Promise<KeyServer> {
  const state = { requests: 0, keys: [] as object[], status: 200, body: undefined as string | undefined, delayMs: 0, stallBody: false, cutBody: false };
  const server = http.createServer((request, response) => {
    state.requests += 1;
    if (state.stallBody || state.cutBody) {
      const body = JSON.stringify({ keys: state.keys });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.write(body.slice(0, 10));
      if (state.cutBody) setTimeout(() => response.socket?.destroy(), 20);
      else setTimeout(() => response.end(body.slice(10)), state.delayMs);
      return;
    }
    setTimeout(() => {
      response.statusCode = state.status;
      response.setHeader('content-type', 'application/json');
      response.end(state.body ?? JSON.stringify({ keys: state.keys }));
    }, state.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

interface Key {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: object;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const tokenOf = (key: Key) => new SignJWT({ client_id: 'c' }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).setExpirationTime('5m').sign(key.privateKey);

describe('remoteKeySet', () => {
  let server: KeyServer;
  let first: Key;
  let second: Key;

  beforeAll(async () => {
    [first, second] = await Promise.all([newKey('first'), newKey('second')]);
  });

  beforeEach(async () => {
    server = await startKeyServer();
    server.keys = [first.jwk];
  });

  afterEach(async () => {
    await server.close();
  });

  it('fetches the keys once and verifies every token signed with them', async () => {
    const keys = remoteKeySet(server.url);
    for (let i = 0; i < 3; i++) await expect(jwtVerify(await tokenOf(first), keys.getKey)).resolves.toMatchObject({ payload: { client_id: 'c' } });
    expect(server.requests).toBe(1);
  });

  it('fetches ahead when warmed, so that the first token finds the keys; two warm-ups make one request', async () => {
    const keys = remoteKeySet(server.url);
    keys.warm();
    keys.warm();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests).toBe(1);
    await jwtVerify(await tokenOf(first), keys.getKey);
    expect(server.requests).toBe(1);
  });

  it('fetches again for a key it does not have (a rotation), but not again within the cool-down', async () => {
    const keys = remoteKeySet(server.url, { cooldownMs: 0 });
    await jwtVerify(await tokenOf(first), keys.getKey);
    server.keys = [first.jwk, second.jwk];
    await expect(jwtVerify(await tokenOf(second), keys.getKey)).resolves.toBeDefined();
    expect(server.requests).toBe(2);

    const cooling = remoteKeySet(server.url, { cooldownMs: 60_000 });
    server.keys = [first.jwk];
    await jwtVerify(await tokenOf(first), cooling.getKey);
    server.keys = [first.jwk, second.jwk];
    await expect(jwtVerify(await tokenOf(second), cooling.getKey)).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    expect(server.requests).toBe(3);
  });

  it('fetches again when the keys are older than the cache age', async () => {
    const keys = remoteKeySet(server.url, { cacheMaxAgeMs: 0 });
    await jwtVerify(await tokenOf(first), keys.getKey);
    await jwtVerify(await tokenOf(first), keys.getKey);
    expect(server.requests).toBe(2);
  });

  it('reports the failures of the endpoint as jose does, and recovers once it answers', async () => {
    const keys = remoteKeySet(server.url, { timeoutMs: 100 });
    server.status = 500;
    const failure = await jwtVerify(await tokenOf(first), keys.getKey).catch((error: unknown) => error);
    // The bare JOSEError, as jose raises for a response that is not 200.
    expect((failure as Error).constructor).toBe(joseErrors.JOSEError);

    server.status = 200;
    server.body = 'not json';
    expect(((await jwtVerify(await tokenOf(first), keys.getKey).catch((error: unknown) => error)) as Error).constructor).toBe(joseErrors.JOSEError);

    server.body = JSON.stringify({ keys: 'none' });
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).rejects.toBeInstanceOf(joseErrors.JWKSInvalid);

    server.body = undefined;
    server.delayMs = 1_000;
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).rejects.toBeInstanceOf(joseErrors.JWKSTimeout);

    // A body that stops half-way fails too, rather than waiting forever.
    server.stallBody = true;
    const started = Date.now();
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(900);

    server.stallBody = false;
    server.cutBody = true;
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).rejects.toThrow();

    server.cutBody = false;
    server.delayMs = 0;
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).resolves.toBeDefined();
  });

  it('warms quietly when the endpoint is down; the first token then reports it', async () => {
    const keys = remoteKeySet(new URL('http://127.0.0.1:9/jwks'));
    keys.warm();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(jwtVerify(await tokenOf(first), keys.getKey)).rejects.toThrow(/ECONNREFUSED/);
  });
});
