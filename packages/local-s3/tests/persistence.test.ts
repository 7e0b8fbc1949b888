import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  ListObjectVersionsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
} from '@aws-sdk/client-s3';
import { s3ErrorOf, startHarness } from './helpers';

describe('persistence', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-s3-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps buckets, configuration, versions, metadata and retention across a restart', async () => {
    const Bucket = 'archive';
    const Policy = JSON.stringify({
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject*', Resource: `arn:aws:s3:::${Bucket}/*` }],
    });
    const first = await startHarness({ dataDir });
    let v1: string | undefined;
    let v2: string | undefined;
    try {
      await first.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
      await first.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 } } },
        }),
      );
      v1 = (await first.s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.xml', Body: 'one', ContentType: 'application/xml', Metadata: { tx: 't-1' } }))).VersionId;
      v2 = (await first.s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.xml', Body: 'two' }))).VersionId;
      await first.s3.send(new PutObjectCommand({ Bucket, Key: 'gone.xml', Body: 'x' }));
      await first.s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone.xml' }));
      await first.s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
    } finally {
      await first.close();
    }

    const second = await startHarness({ dataDir });
    try {
      expect(second.server.port).not.toBe(0);
      expect((await second.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
      expect(
        (await second.s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration?.Rule?.DefaultRetention,
      ).toEqual({ Mode: 'COMPLIANCE', Days: 7 });
      expect((await second.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(Policy);
      const old = await second.s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.xml', VersionId: v1 }));
      expect(await old.Body!.transformToString()).toBe('one');
      expect(old.ContentType).toBe('application/xml');
      expect(old.Metadata).toEqual({ tx: 't-1' });
      const latest = await second.s3.send(new GetObjectCommand({ Bucket, Key: 'a/b.xml' }));
      expect(await latest.Body!.transformToString()).toBe('two');
      expect(latest.VersionId).toBe(v2);
      expect((await second.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'a/b.xml', VersionId: v1 }))).Retention?.Mode).toBe('COMPLIANCE');
      expect(await s3ErrorOf(second.s3.send(new GetObjectCommand({ Bucket, Key: 'gone.xml' })))).toEqual({ code: 'NoSuchKey', status: 404 });
      expect(await s3ErrorOf(second.s3.send(new DeleteObjectCommand({ Bucket, Key: 'a/b.xml', VersionId: v1 })))).toEqual({
        code: 'AccessDenied',
        status: 403,
      });
      // New versions keep sorting after the ones written before the restart.
      const v3 = (await second.s3.send(new PutObjectCommand({ Bucket, Key: 'a/b.xml', Body: 'three' }))).VersionId;
      const versions = await second.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'a/' }));
      expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v3, v2, v1]);
    } finally {
      await second.close();
    }
  });

  it('leaves no temporary files behind after writes', async () => {
    const h = await startHarness({ dataDir });
    try {
      await h.s3.send(new CreateBucketCommand({ Bucket: 'tidy' }));
      await h.s3.send(new PutObjectCommand({ Bucket: 'tidy', Key: 'k', Body: 'one' }));
      await h.s3.send(new PutObjectCommand({ Bucket: 'tidy', Key: 'k', Body: 'two' }));
    } finally {
      await h.close();
    }
    const files = (await readdir(dataDir, { recursive: true })).map(String);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    // The replaced null version's body is gone: one body, one metadata file.
    expect(files.filter((f) => f.endsWith('.data'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.json') && !f.endsWith('bucket.json'))).toHaveLength(1);
  });
});
