import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import { bucketName, daysFromNow, s3ErrorOf, startHarness, type Harness } from './helpers';

describe('object lock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function lockBucket(defaultRetention?: { Mode: 'COMPLIANCE' | 'GOVERNANCE'; Days?: number; Years?: number }) {
    const Bucket = bucketName('lock');
    await h.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    if (defaultRetention) {
      await h.s3.send(
        new PutObjectLockConfigurationCommand({
          Bucket,
          ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: defaultRetention } },
        }),
      );
    }
    return Bucket;
  }

  it.each([
    ['Days', { Mode: 'COMPLIANCE' as const, Days: 3 }, 3],
    ['Years', { Mode: 'GOVERNANCE' as const, Years: 1 }, 365],
  ])('locks each new version from the default retention given in %s', async (_unit, rule, minDays) => {
    const Bucket = await lockBucket(rule);
    const config = await h.s3.send(new GetObjectLockConfigurationCommand({ Bucket }));
    expect(config.ObjectLockConfiguration?.Rule?.DefaultRetention).toEqual(rule);
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    const retention = await h.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k', VersionId: put.VersionId }));
    expect(retention.Retention?.Mode).toBe(rule.Mode);
    const until = retention.Retention!.RetainUntilDate!.getTime();
    expect(until).toBeGreaterThanOrEqual(daysFromNow(minDays).getTime() - 60_000);
    expect(until).toBeLessThanOrEqual(daysFromNow(minDays + 1).getTime());
  });

  it('locks a version from the object-lock headers of its PUT', async () => {
    const Bucket = await lockBucket();
    const until = daysFromNow(2);
    await h.s3.send(
      new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }),
    );
    const got = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' }));
    await got.Body!.transformToString();
    expect(got.ObjectLockMode).toBe('COMPLIANCE');
    expect(got.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());
  });

  it('answers 404 NoSuchObjectLockConfiguration for a version without retention', async () => {
    const Bucket = await lockBucket();
    await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    expect(await s3ErrorOf(h.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k' })))).toEqual({
      code: 'NoSuchObjectLockConfiguration',
      status: 404,
    });
  });

  it('refuses object-lock headers on a bucket without Object Lock', async () => {
    const Bucket = bucketName('nolock');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    expect(
      await s3ErrorOf(
        h.s3.send(
          new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: daysFromNow(1) }),
        ),
      ),
    ).toEqual({ code: 'InvalidRequest', status: 400 });
  });

  it('refuses Object Lock configuration on a bucket without versioning, and accepts it once versioning is on', async () => {
    const Bucket = bucketName('later');
    await h.s3.send(new CreateBucketCommand({ Bucket }));
    const config = { Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' as const } };
    expect(await s3ErrorOf(h.s3.send(new PutObjectLockConfigurationCommand(config)))).toEqual({
      code: 'InvalidBucketState',
      status: 409,
    });
    await h.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await h.s3.send(new PutObjectLockConfigurationCommand(config));
    expect((await h.s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
  });

  it.each([
    ['no integrity header', {}, 400],
    ['Content-MD5', { 'content-md5': createHash('md5').update('x').digest('base64') }, 200],
  ])('answers a PUT under default retention with %s with %i', async (_what, headers, status) => {
    const Bucket = await lockBucket({ Mode: 'GOVERNANCE', Days: 1 });
    const res = await fetch(`${h.server.endpoint}/${Bucket}/k`, { method: 'PUT', headers, body: 'x' });
    expect(res.status).toBe(status);
    if (status === 400) expect(await res.text()).toContain('<Code>InvalidRequest</Code>');
    else await res.arrayBuffer();
  });

  it('refuses a retain-until date in the past', async () => {
    const Bucket = await lockBucket();
    expect(
      await s3ErrorOf(
        h.s3.send(
          new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: daysFromNow(-1) }),
        ),
      ),
    ).toEqual({ code: 'InvalidArgument', status: 400 });
  });

  describe.each([
    ['COMPLIANCE' as const, false, 'AccessDenied'],
    ['COMPLIANCE' as const, true, 'AccessDenied'],
    ['GOVERNANCE' as const, false, 'AccessDenied'],
    ['GOVERNANCE' as const, true, undefined],
  ])('a %s-locked version, bypass header %s', (mode, bypass, expected) => {
    let Bucket: string;
    let VersionId: string | undefined;
    beforeEach(async () => {
      Bucket = await lockBucket();
      const put = await h.s3.send(
        new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockMode: mode, ObjectLockRetainUntilDate: daysFromNow(5) }),
      );
      VersionId = put.VersionId;
    });

    it(expected ? 'cannot be deleted by versionId' : 'can be deleted by versionId', async () => {
      const del = h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId, BypassGovernanceRetention: bypass || undefined }));
      if (expected) {
        expect(await s3ErrorOf(del)).toEqual({ code: expected, status: 403 });
        const still = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId }));
        expect(await still.Body!.transformToString()).toBe('x');
      } else {
        await del;
        expect(await s3ErrorOf(h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId })))).toEqual({
          code: 'NoSuchVersion',
          status: 404,
        });
      }
    });

    it(expected ? 'cannot have its retention shortened' : 'can have its retention shortened', async () => {
      const put = h.s3.send(
        new PutObjectRetentionCommand({
          Bucket,
          Key: 'k',
          VersionId,
          Retention: { Mode: mode, RetainUntilDate: daysFromNow(1) },
          BypassGovernanceRetention: bypass || undefined,
        }),
      );
      if (expected) expect(await s3ErrorOf(put)).toEqual({ code: expected, status: 403 });
      else await put;
      const retention = await h.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k', VersionId }));
      const days = expected ? 5 : 1;
      expect(Math.round((retention.Retention!.RetainUntilDate!.getTime() - Date.now()) / 86_400_000)).toBe(days);
    });

    it('can have its retention extended', async () => {
      const until = daysFromNow(30);
      await h.s3.send(
        new PutObjectRetentionCommand({ Bucket, Key: 'k', VersionId, Retention: { Mode: mode, RetainUntilDate: until } }),
      );
      const retention = await h.s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k', VersionId }));
      expect(retention.Retention).toEqual({ Mode: mode, RetainUntilDate: until });
    });

    it(expected ? 'survives a multi-delete of its version' : 'is removed by a multi-delete of its version', async () => {
      const result = await h.s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: [{ Key: 'k', VersionId }] },
          BypassGovernanceRetention: bypass || undefined,
        }),
      );
      if (expected) {
        expect(result.Errors).toEqual([expect.objectContaining({ Key: 'k', VersionId, Code: expected })]);
        expect(result.Deleted).toBeUndefined();
      } else {
        expect(result.Deleted).toEqual([expect.objectContaining({ Key: 'k', VersionId })]);
      }
    });
  });

  it('refuses to turn COMPLIANCE retention into GOVERNANCE', async () => {
    const Bucket = await lockBucket({ Mode: 'COMPLIANCE', Days: 2 });
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    expect(
      await s3ErrorOf(
        h.s3.send(
          new PutObjectRetentionCommand({
            Bucket,
            Key: 'k',
            VersionId: put.VersionId,
            Retention: { Mode: 'GOVERNANCE', RetainUntilDate: daysFromNow(10) },
            BypassGovernanceRetention: true,
          }),
        ),
      ),
    ).toEqual({ code: 'AccessDenied', status: 403 });
  });

  it('lets a locked key take a delete marker while its version stays', async () => {
    const Bucket = await lockBucket({ Mode: 'COMPLIANCE', Days: 1 });
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    const del = await h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    const old = await h.s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }));
    expect(await old.Body!.transformToString()).toBe('x');
  });

  it('keeps a version under legal hold from deletion until the hold is released', async () => {
    const Bucket = await lockBucket();
    const put = await h.s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', ObjectLockLegalHoldStatus: 'ON' }));
    const del = () => h.s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: put.VersionId }));
    expect(await s3ErrorOf(del())).toEqual({ code: 'AccessDenied', status: 403 });
    await h.s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'k', VersionId: put.VersionId, LegalHold: { Status: 'OFF' } }));
    await del();
    expect(await s3ErrorOf(h.s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toMatchObject({ status: 404 });
  });
});
