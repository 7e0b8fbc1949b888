import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

const MiB = 1024 * 1024;
const first = Buffer.alloc(5 * MiB, 'a');
const second = Buffer.from('the tail');

async function uploadParts(s3: S3Client, Bucket: string, Key: string, UploadId: string, bodies: Buffer[]): Promise<CompletedPart[]> {
  const parts: CompletedPart[] = [];
  for (const [i, Body] of bodies.entries()) {
    const r = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
    parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
  }
  return parts;
}

describe('multipart uploads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function bucket(options: { lock?: boolean } = {}): Promise<string> {
    const Bucket = bucketName('mpu');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: options.lock }));
    return Bucket;
  }

  it('assembles the parts into one object with a multipart ETag', async () => {
    const Bucket = await bucket({ lock: true });
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big.xml', ContentType: 'application/xml', Metadata: { tx: '1' } }));
    const parts = await uploadParts(h.s3, Bucket, 'big.xml', UploadId!, [first, second]);
    const done = await h.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big.xml', UploadId, MultipartUpload: { Parts: parts } }));
    const expectedEtag = createHash('md5')
      .update(Buffer.concat([createHash('md5').update(first).digest(), createHash('md5').update(second).digest()]))
      .digest('hex');
    expect(done.ETag).toBe(`"${expectedEtag}-2"`);
    expect(done.VersionId).toBeTruthy();
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'big.xml' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([first, second]))).toBe(true);
    expect(got).toMatchObject({ ETag: done.ETag, ContentType: 'application/xml', Metadata: { tx: '1' }, VersionId: done.VersionId });
    expect(await s3ErrorOf(h.s3.send(new ListPartsCommand({ Bucket, Key: 'big.xml', UploadId })))).toEqual({ code: 'NoSuchUpload', status: 404 });
  });

  it('lists in-progress uploads and their parts, and forgets an aborted one', async () => {
    const Bucket = await bucket();
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    await uploadParts(h.s3, Bucket, 'k', UploadId!, [second]);
    const uploads = await h.s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['k', UploadId]]);
    const parts = await h.s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, second.length]]);
    await h.s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'k', UploadId }));
    expect((await h.s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads).toBeUndefined();
    expect(
      await s3ErrorOf(h.s3.send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 2, Body: second }))),
    ).toEqual({ code: 'NoSuchUpload', status: 404 });
  });

  it.each([
    ['a part under 5 MiB before the last', [second, second], (p: CompletedPart[]) => p, 'EntityTooSmall'],
    ['a wrong ETag', [second], (p: CompletedPart[]) => [{ ...p[0], ETag: '"00000000000000000000000000000000"' }], 'InvalidPart'],
    ['a part never uploaded', [second], () => [{ PartNumber: 7, ETag: '"00000000000000000000000000000000"' }], 'InvalidPart'],
    ['parts out of order', [first, second], (p: CompletedPart[]) => [p[1], p[0]], 'InvalidPartOrder'],
  ])('refuses to complete with %s', async (_what, bodies, pick, code) => {
    const Bucket = await bucket();
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const parts = await uploadParts(h.s3, Bucket, 'k', UploadId!, bodies);
    expect(
      await s3ErrorOf(h.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, MultipartUpload: { Parts: pick(parts) } }))),
    ).toEqual({ code, status: 400 });
  });

  it('answers 412 to a completion with If-None-Match on an existing key and keeps the upload', async () => {
    const Bucket = await bucket();
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'already here' }));
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const parts = await uploadParts(h.s3, Bucket, 'k', UploadId!, [second]);
    const complete = () =>
      h.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: parts } }));
    expect(await s3ErrorOf(complete())).toEqual({ code: 'PreconditionFailed', status: 412 });
    expect((await h.s3.send(new ListPartsCommand({ Bucket, Key: 'k', UploadId }))).Parts).toHaveLength(1);
  });

  async function archiveBucket(exemptMultipartSteps: boolean): Promise<string> {
    const Bucket = await bucket({ lock: true });
    await h.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1 } } },
      }),
    );
    const Condition: Record<string, Record<string, string>> = { Null: { 's3:if-none-match': 'true' } };
    if (exemptMultipartSteps) Condition.Bool = { 's3:ObjectCreationOperation': 'true' };
    await h.s3.send(
      new PutBucketPolicyCommand({
        Bucket,
        Policy: JSON.stringify({
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${Bucket}/*`, Condition }],
        }),
      }),
    );
    return Bucket;
  }

  it('denies starting an upload under an If-None-Match policy that does not exempt the multipart steps', async () => {
    const Bucket = await archiveBucket(false);
    expect(await s3ErrorOf(h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' })))).toEqual({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('applies the If-None-Match policy and default retention to the completion', async () => {
    const Bucket = await archiveBucket(true);
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const parts = await uploadParts(h.s3, Bucket, 'k', UploadId!, [second]);
    const complete = (IfNoneMatch?: string) =>
      h.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, IfNoneMatch, MultipartUpload: { Parts: parts } }));
    expect(await s3ErrorOf(complete())).toEqual({ code: 'AccessDenied', status: 403 });
    const done = await complete('*');
    const retention = await h.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k', VersionId: done.VersionId }));
    expect(retention.Retention?.Mode).toBe('COMPLIANCE');
  });

  it('gives an upload created with a checksum algorithm a composite checksum the SDK accepts', async () => {
    const Bucket = await bucket();
    const { UploadId } = await h.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k', ChecksumAlgorithm: 'SHA256' }));
    const parts: CompletedPart[] = [];
    for (const [i, Body] of [first, second].entries()) {
      const r = await h.s3.send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'SHA256' }));
      parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumSHA256: r.ChecksumSHA256 });
    }
    const done = await h.s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'k', UploadId, MultipartUpload: { Parts: parts } }));
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.ChecksumSHA256!, 'base64')));
    expect(done.ChecksumSHA256).toBe(`${createHash('sha256').update(joined).digest('base64')}-2`);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
    expect((await got.Body!.transformToByteArray()).length).toBe(first.length + second.length);
    expect(got.ChecksumSHA256).toBe(done.ChecksumSHA256);
  });

  it('keeps an in-progress upload across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-s3-mpu-'));
    try {
      const before = await startHarness({ dataDir });
      let UploadId: string | undefined;
      let parts: CompletedPart[];
      try {
        await before.s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
        UploadId = (await before.s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'k' }))).UploadId;
        parts = await uploadParts(before.s3, 'mpu', 'k', UploadId!, [first]);
      } finally {
        await before.close();
      }
      const after = await startHarness({ dataDir });
      try {
        const tail = await after.s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'k', UploadId, PartNumber: 2, Body: second }));
        parts.push({ PartNumber: 2, ETag: tail.ETag });
        await after.s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'k', UploadId, MultipartUpload: { Parts: parts } }));
        const got = await after.s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'k' }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([first, second]))).toBe(true);
      } finally {
        await after.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
