import { request } from 'node:http';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

describe('buckets and objects', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers the health path with 200', async () => {
    const res = await fetch(`${h.server.endpoint}/_health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('creates, heads, lists and deletes a bucket', async () => {
    const Bucket = bucketName('life');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    expect((await h.s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(200);
    const listed = await h.s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.find((b) => b.Name === Bucket)?.CreationDate).toBeInstanceOf(Date);
    await h.s3.send(new DeleteBucketCommand({ Bucket }));
    expect(await s3ErrorOf(h.s3.send(new HeadBucketCommand({ Bucket })))).toMatchObject({ status: 404 });
  });

  it.each([
    ['an existing bucket', 'BucketAlreadyOwnedByYou', 409],
    ['an invalid name', 'InvalidBucketName', 400],
  ])('refuses to create a bucket with %s', async (what, code, status) => {
    const Bucket = what === 'an existing bucket' ? bucketName('twice') : 'Not_Valid';
    if (what === 'an existing bucket') await h.s3.send(new CreateBucketCommand({ Bucket }));
    expect(await s3ErrorOf(h.s3.send(new CreateBucketCommand({ Bucket })))).toEqual({ code, status });
  });

  it('refuses to delete a bucket that still holds versions', async () => {
    const Bucket = bucketName('full');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    await h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(await s3ErrorOf(h.s3.send(new DeleteBucketCommand({ Bucket })))).toEqual({ code: 'BucketNotEmpty', status: 409 });
  });

  it.each([
    ['GetObject', (b: string) => new GetObjectCommand({ Bucket: b, Key: 'k' })],
    ['PutObject', (b: string) => new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x' })],
    ['ListObjectsV2', (b: string) => new ListObjectsV2Command({ Bucket: b })],
  ])('answers %s on a missing bucket with NoSuchBucket', async (_op, command) => {
    expect(await s3ErrorOf(h.s3.send(command('missing-bucket') as GetObjectCommand))).toEqual({ code: 'NoSuchBucket', status: 404 });
  });

  it('answers errors with an S3 XML document carrying Code, Message, Resource and RequestId', async () => {
    const Bucket = bucketName('errors');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const res = await fetch(`${h.server.endpoint}/${Bucket}/no/such/key.xml`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    const requestId = res.headers.get('x-amz-request-id');
    expect(requestId).toMatch(/^[0-9A-F]{16}$/);
    const body = await res.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error>/);
    expect(body).toContain('<Code>NoSuchKey</Code>');
    expect(body).toContain('<Message>The specified key does not exist.</Message>');
    expect(body).toContain('<Key>no/such/key.xml</Key>');
    expect(body).toContain(`<Resource>/${Bucket}/no/such/key.xml</Resource>`);
    expect(body).toContain(`<RequestId>${requestId}</RequestId>`);
  });

  it('answers a HEAD error with its status and no body', async () => {
    const res = await fetch(`${h.server.endpoint}/missing-bucket/k`, { method: 'HEAD' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });

  it('answers an unimplemented sub-resource with 501 NotImplemented', async () => {
    const Bucket = bucketName('ni');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const res = await fetch(`${h.server.endpoint}/${Bucket}?acl`);
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('<Code>NotImplemented</Code>');
  });

  it.each([
    'plain.xml',
    'with space/and+plus.xml',
    'unicode/zahlung-ü-€-😀.xml',
    'percent%20literal/x?y#z.xml',
    '/leading-slash.xml',
  ])('round-trips the key %s through PUT, GET and listing', async (Key) => {
    const Bucket = bucketName('keys');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body!.transformToString()).toBe(Key);
    expect((await h.s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key)).toEqual([Key]);
  });

  it.each([
    [1024, undefined],
    [1025, 'KeyTooLongError'],
  ])('answers a %i-byte key with %s', async (length, code) => {
    const Bucket = bucketName('long');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const put = h.s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(length), Body: 'x' }));
    if (code) expect(await s3ErrorOf(put)).toEqual({ code, status: 400 });
    else expect((await put).ETag).toBeTruthy();
  });

  it('keeps content type, representation headers and user metadata', async () => {
    const Bucket = bucketName('meta');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    await h.s3.send(
      new PutObjectCommand({
        Bucket,
        Key: 'm.xml',
        Body: '<x/>',
        ContentType: 'application/xml',
        CacheControl: 'no-store',
        ContentDisposition: 'attachment; filename="m.xml"',
        Metadata: { 'transaction-id': 'tx-1', 'message-type': 'pacs.008' },
      }),
    );
    const head = await h.s3.send(new HeadObjectCommand({ Bucket, Key: 'm.xml' }));
    expect(head).toMatchObject({
      ContentType: 'application/xml',
      CacheControl: 'no-store',
      ContentDisposition: 'attachment; filename="m.xml"',
      ContentLength: 4,
      Metadata: { 'transaction-id': 'tx-1', 'message-type': 'pacs.008' },
    });
    expect(head.ContentEncoding).toBeUndefined();
  });

  it('answers Expect: 100-continue and then takes the body', async () => {
    const Bucket = bucketName('expect');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const events: string[] = [];
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${h.server.endpoint}/${Bucket}/k`, {
        method: 'PUT',
        headers: { expect: '100-continue', 'content-length': '5', connection: 'close' },
      });
      req.on('continue', () => {
        events.push('continue');
        req.end('hello');
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(events).toEqual(['continue']);
    expect(status).toBe(200);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('hello');
  });

  it('accepts a 3 MiB body', async () => {
    const Bucket = bucketName('big');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'big', Body: body }));
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'big' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('answers EntityTooLarge above the configured object size', async () => {
    const small = await startHarness({ maxObjectSize: 1024 });
    try {
      await small.s3.send(new CreateBucketCommand({ Bucket: 'small' }));
      expect(await s3ErrorOf(small.s3.send(new PutObjectCommand({ Bucket: 'small', Key: 'k', Body: Buffer.alloc(2048) })))).toEqual({
        code: 'EntityTooLarge',
        status: 400,
      });
    } finally {
      await small.close();
    }
  });

  it('copies an object with its metadata and gives the copy its own version', async () => {
    const Bucket = bucketName('copy');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    const src = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'src.xml', Body: '<a/>', ContentType: 'application/xml', Metadata: { k: 'v' } }));
    const copy = await h.s3.send(new CopyObjectCommand({ Bucket, Key: 'dst.xml', CopySource: `${Bucket}/src.xml` }));
    expect(copy.CopySourceVersionId).toBe(src.VersionId);
    expect(copy.CopyObjectResult?.ETag).toBe(src.ETag);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'dst.xml' }));
    expect(await got.Body!.transformToString()).toBe('<a/>');
    expect(got).toMatchObject({ ContentType: 'application/xml', Metadata: { k: 'v' }, VersionId: copy.VersionId });
  });
});
