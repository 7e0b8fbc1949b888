import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';

/**
 * A token with exactly the claims and `kid` of `genuine`, signed with a key
 * the issuer never had: what an attacker can mint when nothing checks signatures.
 */
export async function forge(genuine: string): Promise<string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const header = decodeProtectedHeader(genuine);
  return new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: header.kid }).sign(privateKey);
}
