import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import { SigningKeyError } from './errors';

/** A private RSA signing key in JWK form, with `kid`, `alg` and `use` set. */
export type SigningJwk = JsonWebKey & { kty: 'RSA'; kid: string; alg: 'RS256'; use: 'sig'; d: string };

async function finish(jwk: JsonWebKey): Promise<SigningJwk> {
  const kid = await calculateJwkThumbprint({ kty: 'RSA', e: jwk.e, n: jwk.n });
  return { ...jwk, kty: 'RSA', kid, alg: 'RS256', use: 'sig' } as SigningJwk;
}

/** Generates a fresh 2048-bit RSA signing key. */
export async function generateSigningKey(): Promise<SigningJwk> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return finish(privateKey.export({ format: 'jwk' }));
}

/**
 * Loads the signing key from `path`, or generates one and writes it there
 * (mode 0600) so tokens stay verifiable across restarts.
 *
 * @throws SigningKeyError when the file exists but is not a private RSA JWK
 */
export async function loadOrCreateSigningKey(path: string): Promise<SigningJwk> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new SigningKeyError(`cannot read ${path}`, { cause: error });
  }
  if (text === undefined) {
    const key = await generateSigningKey();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    return key;
  }
  let parsed: JsonWebKey;
  try {
    parsed = JSON.parse(text) as JsonWebKey;
  } catch (error) {
    throw new SigningKeyError(`${path} is not JSON`, { cause: error });
  }
  if (parsed.kty !== 'RSA' || typeof parsed.d !== 'string' || typeof parsed.n !== 'string') {
    throw new SigningKeyError(`${path} does not hold a private RSA JWK`);
  }
  return finish(parsed);
}
