import { createHash } from 'node:crypto';
import { reprDigestSha256, sha256 } from '../src/lib/digest';

describe('the digest of archived bytes', () => {
  it('computes the SHA-256 of the exact bytes in base64 and hex', async () => {
    // Bytes that are not valid UTF-8 must not be changed on the way.
    const bytes = new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x00, 0x3c, 0x2f, 0x61, 0x3e]);
    const expected = createHash('sha256').update(bytes);
    const digest = await sha256(bytes.buffer);
    expect(digest.base64).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(digest.hex).toBe(expected.digest('hex'));
  });

  it('reads the SHA-256 of a Repr-Digest header', () => {
    expect(reprDigestSha256('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(reprDigestSha256('sha-512=:AAAA:, sha-256=:X1k=:')).toBe('X1k=');
    expect(reprDigestSha256('sha-512=:AAAA:')).toBeUndefined();
    expect(reprDigestSha256(null)).toBeUndefined();
  });
});
