import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { computeChecksum } from '../src/index';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a hand-built request, for framings and headers the SDK would never get wrong. */
function raw(endpoint: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}${path}`, { method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function awsChunked(parts: string[], trailer: string): Buffer {
  const framed = parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('');
  return Buffer.from(`${framed}0\r\n${trailer}\r\n\r\n`);
}

describe('payload integrity', () => {
  let h: Harness;
  let Bucket: string;
  beforeAll(async () => {
    h = await startHarness();
    Bucket = bucketName('integrity');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(() => h.close());

  it('answers BadDigest to a PUT whose x-amz-checksum-sha256 does not match the body', async () => {
    const wrong = createHash('sha256').update('something else').digest('base64');
    expect(await s3ErrorOf(h.s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'payload', ChecksumSHA256: wrong })))).toEqual({
      code: 'BadDigest',
      status: 400,
    });
    expect(await s3ErrorOf(h.s3.send(new HeadObjectCommand({ Bucket, Key: 'bad' })))).toMatchObject({ status: 404 });
  });

  it('returns the stored SHA-256 on GET and HEAD when checksum mode is enabled, and only then', async () => {
    const sha = createHash('sha256').update('payload').digest('base64');
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'sha', Body: 'payload', ChecksumAlgorithm: 'SHA256' }));
    expect(put.ChecksumSHA256).toBe(sha);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'sha', ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe('payload');
    expect(got.ChecksumSHA256).toBe(sha);
    expect((await h.s3.send(new HeadObjectCommand({ Bucket, Key: 'sha', ChecksumMode: 'ENABLED' }))).ChecksumSHA256).toBe(sha);
    expect((await h.s3.send(new HeadObjectCommand({ Bucket, Key: 'sha' }))).ChecksumSHA256).toBeUndefined();
  });

  it('decodes the SDK default aws-chunked upload with its CRC32 trailer', async () => {
    const parts = ['<Document>', 'x'.repeat(70_000), '</Document>'];
    const text = parts.join('');
    await h.s3.send(
      new PutObjectCommand({ Bucket, Key: 'streamed.xml', Body: Readable.from(parts.map((p) => Buffer.from(p))), ContentLength: text.length }),
    );
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.xml', ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe(text);
    expect(got.ETag).toBe(`"${createHash('md5').update(text).digest('hex')}"`);
    expect(got.ChecksumCRC32).toBe(computeChecksum('crc32', Buffer.from(text)));
  });

  it.each([
    ['a matching CRC32 trailer', 'crc32', true],
    ['a wrong CRC32 trailer', 'crc32', false],
    ['a matching CRC32C trailer', 'crc32c', true],
    ['a wrong SHA-256 trailer', 'sha256', false],
  ] as const)('answers an aws-chunked PUT with %s', async (_what, algorithm, matches) => {
    const body = 'hello, trailer';
    const value = computeChecksum(algorithm, Buffer.from(matches ? body : 'not the body'));
    const res = await raw(
      h.server.endpoint,
      'PUT',
      `/${Bucket}/trailer-${algorithm}-${matches}`,
      {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': String(body.length),
        'x-amz-trailer': `x-amz-checksum-${algorithm}`,
      },
      awsChunked(['hello, ', 'trailer'], `x-amz-checksum-${algorithm}:${value}`),
    );
    if (matches) {
      expect(res.status).toBe(200);
      const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: `trailer-${algorithm}-${matches}` }));
      expect(await got.Body!.transformToString()).toBe(body);
    } else {
      expect(res.status).toBe(400);
      expect(res.body).toContain('<Code>BadDigest</Code>');
    }
  });

  it('answers IncompleteBody when the decoded length disagrees with x-amz-decoded-content-length', async () => {
    const res = await raw(
      h.server.endpoint,
      'PUT',
      `/${Bucket}/short`,
      { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '99' },
      awsChunked(['abc'], ''),
    );
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>IncompleteBody</Code>');
  });

  it.each([
    ['a mismatched Content-MD5', 'BadDigest', { 'content-md5': createHash('md5').update('other').digest('base64') }],
    ['a malformed Content-MD5', 'InvalidDigest', { 'content-md5': 'nope' }],
    ['a mismatched x-amz-content-sha256', 'XAmzContentSHA256Mismatch', { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }],
  ])('answers %s with %s', async (_what, code, headers) => {
    const res = await raw(h.server.endpoint, 'PUT', `/${Bucket}/digest`, headers, Buffer.from('body'));
    expect(res.status).toBe(400);
    expect(res.body).toContain(`<Code>${code}</Code>`);
  });

  it('gives an object stored without a checksum a CRC64NVME that the SDK validates on GET', async () => {
    const res = await raw(h.server.endpoint, 'PUT', `/${Bucket}/plain`, { 'content-type': 'text/plain' }, Buffer.from('no checksum given'));
    expect(res.status).toBe(200);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'plain', ChecksumMode: 'ENABLED' }));
    expect(await got.Body!.transformToString()).toBe('no checksum given');
    expect(got.ChecksumCRC64NVME).toBe(computeChecksum('crc64nvme', Buffer.from('no checksum given')));
  });

  it.each([
    ['bytes=0-4', 206, 'hello', 'bytes 0-4/11'],
    ['bytes=6-', 206, 'world', 'bytes 6-10/11'],
    ['bytes=-3', 206, 'rld', 'bytes 8-10/11'],
  ])('serves Range %s', async (Range, status, text, contentRange) => {
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'range', Body: 'hello world' }));
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'range', Range }));
    expect(got.$metadata.httpStatusCode).toBe(status);
    expect(got.ContentRange).toBe(contentRange);
    expect(await got.Body!.transformToString()).toBe(text);
  });

  it('answers an unsatisfiable Range with 416 InvalidRange', async () => {
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'range', Body: 'hello world' }));
    expect(await s3ErrorOf(h.s3.send(new GetObjectCommand({ Bucket, Key: 'range', Range: 'bytes=50-60' })))).toEqual({
      code: 'InvalidRange',
      status: 416,
    });
  });
});
