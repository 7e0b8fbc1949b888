import {
  authorize,
  conditionContext,
  header,
  receiveBody,
  requireBucket,
  requireIntegrity,
  send,
  sendXml,
  type RequestContext,
} from './context';
import { S3ApiError, s3Errors } from './errors';
import { parseBucketPolicy } from './policy';
import { RetentionMode, type BucketMeta, type DefaultRetention } from './store';
import { child, childText, parseXml } from './xml';

const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'local' };

/** The owner every listing reports: there is only one account here. */
export const owner = OWNER;

function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

/** GET / */
export async function listBuckets(ctx: RequestContext): Promise<void> {
  const buckets = [...ctx.store.buckets.values()]
    .map((b) => b.meta)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  sendXml(ctx, 'ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt })) },
  });
}

/** PUT /bucket: `x-amz-bucket-object-lock-enabled: true` also enables versioning, as in S3. */
export async function createBucket(ctx: RequestContext): Promise<void> {
  await receiveBody(ctx);
  if (!isValidBucketName(ctx.bucket)) {
    throw new S3ApiError('InvalidBucketName', 400, 'The specified bucket is not valid.', {
      fields: { BucketName: ctx.bucket },
    });
  }
  await ctx.store.exclusive(ctx.bucket, async () => {
    if (ctx.store.buckets.has(ctx.bucket)) {
      throw new S3ApiError(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        { fields: { BucketName: ctx.bucket } },
      );
    }
    const lock = header(ctx, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
    const meta: BucketMeta = {
      name: ctx.bucket,
      createdAt: new Date().toISOString(),
      objectLockEnabled: lock,
      ...(lock ? { versioning: 'Enabled' as const } : {}),
    };
    await ctx.store.saveBucket(meta);
  });
  send(ctx, 200, { location: `/${ctx.bucket}` });
}

/** HEAD /bucket */
export async function headBucket(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListBucket'], bucketArn(ctx.bucket), conditionContext(ctx));
  send(ctx, 200, { 'x-amz-bucket-region': ctx.region, 'x-amz-access-point-alias': 'false' });
}

/** DELETE /bucket: only when no version or delete marker is left. */
export async function deleteBucket(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:DeleteBucket'], bucketArn(ctx.bucket), conditionContext(ctx));
  await ctx.store.exclusive(ctx.bucket, async () => {
    if (state.objects.size > 0) {
      throw new S3ApiError('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
        fields: { BucketName: ctx.bucket },
      });
    }
    await ctx.store.deleteBucket(ctx.bucket);
  });
  send(ctx, 204, {});
}

/** GET /bucket?location */
export async function getBucketLocation(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:GetBucketLocation'], bucketArn(ctx.bucket), conditionContext(ctx));
  // us-east-1 is reported as an empty constraint, as S3 does.
  sendXml(ctx, 'LocationConstraint', {}, 200);
}

/** PUT /bucket?versioning */
export async function putBucketVersioning(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:PutBucketVersioning'], bucketArn(ctx.bucket), conditionContext(ctx));
  const { body } = await receiveBody(ctx);
  const doc = parseXml(body.toString('utf8'));
  const status = childText(doc, 'Status');
  if (doc.name !== 'VersioningConfiguration' || (status !== 'Enabled' && status !== 'Suspended')) {
    throw s3Errors.malformedXml();
  }
  await ctx.store.exclusive(ctx.bucket, async () => {
    if (state.meta.objectLockEnabled && status === 'Suspended') {
      throw s3Errors.invalidBucketState(
        'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
      );
    }
    await ctx.store.saveBucket({ ...state.meta, versioning: status });
  });
  send(ctx, 200, {});
}

/** GET /bucket?versioning: no Status until versioning was first configured. */
export async function getBucketVersioning(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:GetBucketVersioning'], bucketArn(ctx.bucket), conditionContext(ctx));
  sendXml(ctx, 'VersioningConfiguration', { Status: state.meta.versioning });
}

function parsePositiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw s3Errors.malformedXml();
  const value = Number(text);
  if (value <= 0) throw s3Errors.invalidArgument('Default retention period must be a positive integer value');
  return value;
}

/** PUT /bucket?object-lock: enables Object Lock (versioning must be on) and sets the default retention. */
export async function putObjectLockConfiguration(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:PutBucketObjectLockConfiguration'], bucketArn(ctx.bucket), conditionContext(ctx));
  const received = await receiveBody(ctx);
  requireIntegrity(received);
  const doc = parseXml(received.body.toString('utf8'));
  if (doc.name !== 'ObjectLockConfiguration' || childText(doc, 'ObjectLockEnabled') !== 'Enabled') {
    throw s3Errors.malformedXml();
  }
  let defaultRetention: DefaultRetention | undefined;
  const rule = child(doc, 'Rule');
  if (rule) {
    const retention = child(rule, 'DefaultRetention');
    if (!retention) throw s3Errors.malformedXml();
    const mode = childText(retention, 'Mode');
    if (mode !== RetentionMode.COMPLIANCE && mode !== RetentionMode.GOVERNANCE) throw s3Errors.malformedXml();
    const days = parsePositiveInt(childText(retention, 'Days'));
    const years = parsePositiveInt(childText(retention, 'Years'));
    if ((days === undefined) === (years === undefined)) throw s3Errors.malformedXml();
    defaultRetention = { mode, ...(days !== undefined ? { days } : { years }) };
  }
  await ctx.store.exclusive(ctx.bucket, async () => {
    if (!state.meta.objectLockEnabled && state.meta.versioning !== 'Enabled') {
      throw s3Errors.invalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    }
    const { defaultRetention: _previous, ...rest } = state.meta;
    await ctx.store.saveBucket({ ...rest, objectLockEnabled: true, ...(defaultRetention ? { defaultRetention } : {}) });
  });
  send(ctx, 200, {});
}

/** GET /bucket?object-lock */
export async function getObjectLockConfiguration(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:GetBucketObjectLockConfiguration'], bucketArn(ctx.bucket), conditionContext(ctx));
  if (!state.meta.objectLockEnabled) {
    throw new S3ApiError(
      'ObjectLockConfigurationNotFoundError',
      404,
      'Object Lock configuration does not exist for this bucket',
      { fields: { BucketName: ctx.bucket } },
    );
  }
  const r = state.meta.defaultRetention;
  sendXml(ctx, 'ObjectLockConfiguration', {
    ObjectLockEnabled: 'Enabled',
    Rule: r ? { DefaultRetention: { Mode: r.mode, Days: r.days, Years: r.years } } : undefined,
  });
}

/** PUT /bucket?policy: the document is checked, then stored as given. */
export async function putBucketPolicy(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const { body } = await receiveBody(ctx);
  const text = body.toString('utf8');
  parseBucketPolicy(text);
  await ctx.store.exclusive(ctx.bucket, () => ctx.store.saveBucket({ ...state.meta, policy: text }));
  send(ctx, 204, {});
}

/** GET /bucket?policy */
export async function getBucketPolicy(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  if (!state.meta.policy) {
    throw new S3ApiError('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', {
      fields: { BucketName: ctx.bucket },
    });
  }
  send(ctx, 200, { 'content-type': 'application/json' }, state.meta.policy);
}

/** DELETE /bucket?policy */
export async function deleteBucketPolicy(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  await ctx.store.exclusive(ctx.bucket, async () => {
    const { policy: _policy, ...rest } = state.meta;
    await ctx.store.saveBucket(rest);
  });
  send(ctx, 204, {});
}
