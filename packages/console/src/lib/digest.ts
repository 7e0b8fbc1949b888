/** The SHA-256 of exact bytes, and the `Repr-Digest` header (RFC 9530) that the archive sends with them. */

/** The SHA-256 of `bytes`, base64 (as `Repr-Digest` carries it) and hex (as people compare it). */
export async function sha256(bytes: ArrayBuffer | Uint8Array): Promise<{ base64: string; hex: string }> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return { base64: btoa(binary), hex: Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('') };
}

/** The base64 SHA-256 a `Repr-Digest` header names (`sha-256=:…:`), or `undefined` when it names none. */
export function reprDigestSha256(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const member of header.split(',')) {
    const match = /^\s*sha-256\s*=\s*:([A-Za-z0-9+/=]+):\s*$/i.exec(member);
    if (match) return match[1];
  }
  return undefined;
}
