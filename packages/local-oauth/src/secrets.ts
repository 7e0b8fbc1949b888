/**
 * Client secrets the platform issues itself (the local world): made here,
 * shown once, and kept only as a salted SHA-256 hash.
 *
 * A fast hash is enough: the secret is 256 random bits, so no guessing
 * attack on a stolen hash gets anywhere, and a token request does not spend
 * the tens of milliseconds of CPU a password KDF (scrypt) would. Secrets a
 * person chose would need the KDF; the platform never accepts those.
 *
 * This subpath imports `node:crypto` only, so that the admin API can issue
 * secrets without pulling in the OAuth server.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SCHEME = 'sha256';
const SALT_BYTES = 16;
const SECRET_BYTES = 32;

/** A new client secret: 32 random bytes, base64url (43 characters). Show it once; store {@link hashClientSecret} of it. */
export function generateClientSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

const digest = (salt: Buffer, secret: string): Buffer => createHash('sha256').update(salt).update(secret, 'utf8').digest();

/** The stored form of a secret: `sha256.<salt>.<digest>`, both base64url. A new salt each call. */
export function hashClientSecret(secret: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  return `${SCHEME}.${salt.toString('base64url')}.${digest(salt, secret).toString('base64url')}`;
}

/** Whether `secret` is the one `stored` was made from; false for a malformed `stored`. Constant time in the secret. */
export function verifyClientSecret(secret: string, stored: string): boolean {
  const [scheme, salt, expected, ...rest] = stored.split('.');
  if (scheme !== SCHEME || !salt || !expected || rest.length) return false;
  const want = Buffer.from(expected, 'base64url');
  const got = digest(Buffer.from(salt, 'base64url'), secret);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Whether `value` has the form {@link hashClientSecret} gives. */
export const isClientSecretHash = (value: string): boolean => /^sha256\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/.test(value);
