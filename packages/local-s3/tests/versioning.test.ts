import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { bucketName, s3ErrorOf, startHarness, type Harness } from './helpers';

describe('versioning', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function versionedBucket(): Promise<string> {
    const Bucket = bucketName('versioned');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    await h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    return Bucket;
  }

  it('reports no status until versioning is configured, then Enabled', async () => {
    const Bucket = bucketName('plain');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    expect((await h.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await h.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
  });

  it('enables versioning on a bucket created with Object Lock', async () => {
    const Bucket = bucketName('locked');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    expect((await h.s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect(
      await s3ErrorOf(
        h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } })),
      ),
    ).toEqual({ code: 'InvalidBucketState', status: 409 });
  });

  it('creates a new version for each plain PUT and keeps the old ones readable', async () => {
    const Bucket = await versionedBucket();
    const first = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    const second = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    expect(first.VersionId).toBeTruthy();
    expect(second.VersionId).toBeTruthy();
    expect(second.VersionId).not.toBe(first.VersionId);
    const latest = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    expect(await latest.Body!.transformToString()).toBe('two');
    expect(latest.VersionId).toBe(second.VersionId);
    const old = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: first.VersionId }));
    expect(await old.Body!.transformToString()).toBe('one');
  });

  it('answers a DELETE without versionId with a delete marker and hides the key', async () => {
    const Bucket = await versionedBucket();
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'kept' }));
    const del = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeTruthy();
    expect(await s3ErrorOf(h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toEqual({
      code: 'NoSuchKey',
      status: 404,
    });
    const old = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }));
    expect(await old.Body!.transformToString()).toBe('kept');
    expect(
      await s3ErrorOf(h.s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId }))),
    ).toMatchObject({ status: 405 });
  });

  it('restores the previous version when the delete marker itself is deleted', async () => {
    const Bucket = await versionedBucket();
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'back' }));
    const marker = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    const removed = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId }));
    expect(removed.DeleteMarker).toBe(true);
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    expect(await got.Body!.transformToString()).toBe('back');
  });

  it('lists versions and delete markers newest first, marking the latest', async () => {
    const Bucket = await versionedBucket();
    const v1 = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: '1' }));
    const v2 = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: '22' }));
    const dm = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'b', Body: '3' }));
    const listed = await h.s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([['a', dm.VersionId, true]]);
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['a', v2.VersionId, false, 2],
      ['a', v1.VersionId, false, 1],
      ['b', expect.any(String), true, 1],
    ]);
  });

  it('pages through versions with key and version-id markers', async () => {
    const Bucket = await versionedBucket();
    for (const body of ['1', '2', '3']) await h.s3.send(new PutObjectCommand({ Bucket, Key: 'p', Body: body }));
    const seen: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await h.s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, KeyMarker, VersionIdMarker }));
      seen.push(...(r.Versions ?? []).map((v) => v.VersionId!));
      if (!r.IsTruncated) break;
      KeyMarker = r.NextKeyMarker;
      VersionIdMarker = r.NextVersionIdMarker;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('writes null versions while suspended, keeping the versions made before', async () => {
    const Bucket = await versionedBucket();
    const kept = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'versioned' }));
    await h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const first = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'null-1' }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'null-2' }));
    expect(first.VersionId).toBe('null');
    const listed = await h.s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.Size, v.IsLatest])).toEqual([
      ['null', 6, true],
      [kept.VersionId, 9, false],
    ]);
    const del = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del).toMatchObject({ DeleteMarker: true, VersionId: 'null' });
    const after = await h.s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(after.DeleteMarkers?.map((m) => m.VersionId)).toEqual(['null']);
    expect(after.Versions?.map((v) => v.VersionId)).toEqual([kept.VersionId]);
  });

  it('replaces the null version on a bucket that never had versioning', async () => {
    const Bucket = bucketName('unversioned');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    expect(put.VersionId).toBeUndefined();
    const listed = await h.s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual(['null']);
    const del = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBeUndefined();
    expect((await h.s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toBeUndefined();
  });
});
