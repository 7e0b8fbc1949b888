import {
  CopyObjectCommand,
  type CopyObjectCommandInput,
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

/** The archive bucket's policy as mxflow deploys it: no PUT without If-None-Match, no delete at all. */
function archivePolicy(bucket: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyOverwrite',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { Null: { 's3:if-none-match': 'true' } },
      },
      {
        Sid: 'DenyDelete',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:DeleteObject*'],
        Resource: [`arn:aws:s3:::${bucket}/*`],
      },
    ],
  });
}

describe('write-once archive', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function archiveBucket(): Promise<string> {
    const Bucket = bucketName('archive');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    await h.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 10 } } },
      }),
    );
    await h.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: archivePolicy(Bucket) }));
    return Bucket;
  }

  const key = 'incoming/2026/11/27/6f1c64b3-6d0e-4b43-9d43-5c0d5b1c2a11/pacs.008.xml';

  it('answers a second If-None-Match PUT of an existing key with 412 PreconditionFailed', async () => {
    const Bucket = bucketName('cond');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'first', IfNoneMatch: '*' }));
    expect(await s3ErrorOf(h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'second', IfNoneMatch: '*' })))).toEqual({
      code: 'PreconditionFailed',
      status: 412,
    });
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('first');
  });

  it('accepts an If-None-Match PUT when the latest version is a delete marker', async () => {
    const Bucket = bucketName('cond');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'first', IfNoneMatch: '*' }));
    await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'again', IfNoneMatch: '*' }));
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('again');
  });

  it('lets exactly one of many concurrent If-None-Match PUTs win', async () => {
    const Bucket = bucketName('race');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: `w${i}`, IfNoneMatch: '*' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('stores the policy as given and removes it', async () => {
    const Bucket = await archiveBucket();
    expect((await h.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(archivePolicy(Bucket));
    await h.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect(await s3ErrorOf(h.s3.send(new GetBucketPolicyCommand({ Bucket })))).toEqual({ code: 'NoSuchBucketPolicy', status: 404 });
  });

  it.each([
    ['not JSON', '{nope'],
    ['without Statement', '{"Version":"2012-10-17"}'],
    ['with a bad Effect', '{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}'],
  ])('refuses a policy %s as MalformedPolicy', async (_what, Policy) => {
    const Bucket = bucketName('badpolicy');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    expect(await s3ErrorOf(h.s3.send(new PutBucketPolicyCommand({ Bucket, Policy })))).toEqual({ code: 'MalformedPolicy', status: 400 });
  });

  it('denies a plain PUT on an archive key', async () => {
    const Bucket = await archiveBucket();
    expect(await s3ErrorOf(h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Document/>' })))).toEqual({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('accepts the first If-None-Match PUT on an archive key and answers 412 to the second', async () => {
    const Bucket = await archiveBucket();
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Document/>', IfNoneMatch: '*' }));
    expect(put.VersionId).toBeTruthy();
    expect(await s3ErrorOf(h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Other/>', IfNoneMatch: '*' })))).toEqual({
      code: 'PreconditionFailed',
      status: 412,
    });
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('<Document/>');
    expect(got.ObjectLockMode).toBe('COMPLIANCE');
  });

  it.each([
    ['without versionId', false, false],
    ['with versionId', true, false],
    ['with versionId and the governance bypass', true, true],
  ])('denies a DELETE %s on an archive key', async (_what, withVersion, bypass) => {
    const Bucket = await archiveBucket();
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Document/>', IfNoneMatch: '*' }));
    const del = h.s3.send(
      new DeleteObjectCommand({
        Bucket,
        Key: key,
        VersionId: withVersion ? put.VersionId : undefined,
        BypassGovernanceRetention: bypass || undefined,
      }),
    );
    expect(await s3ErrorOf(del)).toEqual({ code: 'AccessDenied', status: 403 });
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('<Document/>');
  });

  it('denies a DELETE of a key that does not exist, as S3 evaluates the policy first', async () => {
    const Bucket = await archiveBucket();
    expect(await s3ErrorOf(h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'outgoing/nothing.xml' })))).toEqual({
      code: 'AccessDenied',
      status: 403,
    });
  });

  it('reports every key of a multi-delete on an archive bucket as AccessDenied', async () => {
    const Bucket = await archiveBucket();
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Document/>', IfNoneMatch: '*' }));
    const result = await h.s3.send(
      new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: key }, { Key: key, VersionId: put.VersionId }] } }),
    );
    expect(result.Errors?.map((e) => e.Code)).toEqual(['AccessDenied', 'AccessDenied']);
    expect(result.Deleted).toBeUndefined();
  });

  it.each([
    ['without a condition header', {}, 'AccessDenied'],
    ['with If-None-Match', { IfNoneMatch: '*' }, 'NotImplemented'],
  ])('refuses a copy into the archive %s, as S3 does', async (_what, condition, code) => {
    const Bucket = await archiveBucket();
    await h.s3.send(new PutObjectCommand({ Bucket, Key: key, Body: '<Document/>', IfNoneMatch: '*' }));
    const copy = h.s3.send(
      new CopyObjectCommand({ Bucket, Key: 'outgoing/copy.xml', CopySource: `${Bucket}/${key}`, ...condition } as CopyObjectCommandInput),
    );
    expect(await s3ErrorOf(copy)).toMatchObject({ code });
  });

  it('still allows writes outside the policy resource', async () => {
    const Bucket = await archiveBucket();
    const scoped = JSON.stringify({
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:Put*', Resource: `arn:aws:s3:::${Bucket}/incoming/*` }],
    });
    await h.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: scoped }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'outgoing/x.xml', Body: 'ok' }));
    expect(await s3ErrorOf(h.s3.send(new PutObjectCommand({ Bucket, Key: 'incoming/x.xml', Body: 'no', IfNoneMatch: '*' })))).toEqual({
      code: 'AccessDenied',
      status: 403,
    });
  });
});
