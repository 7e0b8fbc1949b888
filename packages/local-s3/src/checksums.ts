import { createHash } from 'node:crypto';
import { S3ApiError, s3Errors } from './errors';

function crc32Table(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32 = crc32Table(0xedb88320);
const CRC32C = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, data: Uint8Array): Buffer {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), kept as two 32-bit halves so the
// per-byte loop stays in plain number arithmetic rather than BigInt.
const [CRC64_HI, CRC64_LO] = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
    hi[n] = Number(c >> 32n);
    lo[n] = Number(c & 0xffffffffn);
  }
  return [hi, lo];
})();

function crc64nvme(data: Uint8Array): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ data[i]) & 0xff;
    lo = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ CRC64_LO[idx]) >>> 0;
    hi = ((hi >>> 8) ^ CRC64_HI[idx]) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

/** The additional checksum algorithms S3 accepts, by their lower-case header suffix. */
export const ChecksumAlgorithm = {
  crc32: 'CRC32',
  crc32c: 'CRC32C',
  crc64nvme: 'CRC64NVME',
  sha1: 'SHA1',
  sha256: 'SHA256',
} as const;
/** Lower-case algorithm name as used in `x-amz-checksum-<name>`. */
export type ChecksumName = keyof typeof ChecksumAlgorithm;

/** True when `name` is an algorithm this server computes. */
export function isChecksumName(name: string): name is ChecksumName {
  return Object.hasOwn(ChecksumAlgorithm, name);
}

/** Base64 checksum of `data`, in the encoding S3 uses for `x-amz-checksum-*` headers. */
export function computeChecksum(name: ChecksumName, data: Uint8Array): string {
  switch (name) {
    case 'crc32':
      return crc32With(CRC32, data).toString('base64');
    case 'crc32c':
      return crc32With(CRC32C, data).toString('base64');
    case 'crc64nvme':
      return crc64nvme(data).toString('base64');
    case 'sha1':
      return createHash('sha1').update(data).digest('base64');
    case 'sha256':
      return createHash('sha256').update(data).digest('base64');
  }
}

/** A decoded `aws-chunked` body and the trailing headers that followed its last chunk. */
export interface DecodedChunkedBody {
  body: Buffer;
  trailers: Record<string, string>;
}

/**
 * Decodes an `aws-chunked` request body: `<hex-size>[;chunk-signature=...]\r\n<data>\r\n` repeated,
 * a zero-size chunk, then trailer lines `name:value\r\n` (the SDK's checksum trailer) and a blank line.
 * Chunk signatures are not verified: this server accepts any credentials.
 */
export function decodeAwsChunked(raw: Buffer): DecodedChunkedBody {
  const incomplete = () => new S3ApiError('IncompleteBody', 400, 'The request body terminated unexpectedly');
  const parts: Buffer[] = [];
  let pos = 0;
  const readLine = (): string => {
    const end = raw.indexOf('\r\n', pos, 'latin1');
    if (end < 0) throw incomplete();
    const line = raw.toString('latin1', pos, end);
    pos = end + 2;
    return line;
  };
  for (;;) {
    const header = readLine();
    const sizeText = header.split(';', 1)[0].trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw incomplete();
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    if (pos + size + 2 > raw.length) throw incomplete();
    parts.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw[pos] !== 0x0d || raw[pos + 1] !== 0x0a) throw incomplete();
    pos += 2;
  }
  const trailers: Record<string, string> = {};
  while (pos < raw.length) {
    const line = readLine();
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon < 0) throw incomplete();
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

/** Checks the request's `Content-MD5` (base64) against the body: InvalidDigest if malformed, BadDigest if different. */
export function verifyContentMd5(contentMd5: string | undefined, md5: Buffer): void {
  if (contentMd5 === undefined) return;
  const given = Buffer.from(contentMd5, 'base64');
  if (given.length !== 16 || given.toString('base64') !== contentMd5.trim()) {
    throw new S3ApiError('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.');
  }
  if (!given.equals(md5)) {
    throw s3Errors.badDigest('The Content-MD5 you specified did not match what we received.');
  }
}

/**
 * Verifies every `x-amz-checksum-*` value given in headers or trailers and returns the ones to store.
 * A mismatch answers BadDigest, with S3's wording.
 */
export function verifyChecksums(given: Record<string, string>, body: Buffer): Partial<Record<ChecksumName, string>> {
  const verified: Partial<Record<ChecksumName, string>> = {};
  for (const [header, value] of Object.entries(given)) {
    const name = header.slice('x-amz-checksum-'.length);
    if (!isChecksumName(name)) continue;
    const actual = computeChecksum(name, body);
    if (actual !== value) {
      throw s3Errors.badDigest(`The ${ChecksumAlgorithm[name]} you specified did not match the calculated checksum.`);
    }
    verified[name] = actual;
  }
  return verified;
}
