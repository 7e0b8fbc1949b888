import { owner } from './buckets';
import { authorize, conditionContext, requireBucket, sendXml, type RequestContext } from './context';
import { ChecksumAlgorithm, type ChecksumName } from './checksums';
import { S3ApiError, s3Errors } from './errors';
import { compareKeys, sortedKeys, type BucketState, type VersionMeta } from './store';
import { renderElement } from './xml';


function maxKeysParam(ctx: RequestContext): number {
  const text = ctx.query.get('max-keys');
  if (text === null) return 1000;
  if (!/^\d+$/.test(text)) throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), 1000);
}

function encodingParam(ctx: RequestContext): ((s: string) => string) {
  const encoding = ctx.query.get('encoding-type');
  if (encoding === null) return (s) => s;
  if (encoding !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  // S3's url encoding keeps '/' readable.
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

/** A listing entry: one key, or a common prefix standing for every key under it. */
type Entry = { kind: 'key'; key: string } | { kind: 'prefix'; prefix: string };

/** The identity an entry is paged by: its key, or its common prefix. */
function entryId(e: Entry): string {
  return e.kind === 'key' ? e.key : e.prefix;
}

/**
 * Walks `keys` (sorted) under `prefix`, rolling keys up at `delimiter`, skipping entries at or before
 * `after` (a key or a common prefix), and keeping keys accepted by `include`. Returns up to `max` entries
 * and whether more remain.
 */
function walk(
  keys: string[],
  options: { prefix: string; delimiter: string; after?: string; startAfter?: string; max: number; include: (key: string) => boolean },
): { entries: Entry[]; truncated: boolean } {
  const entries: Entry[] = [];
  for (const key of keys) {
    if (!key.startsWith(options.prefix)) continue;
    if (options.startAfter !== undefined && compareKeys(key, options.startAfter) <= 0) continue;
    if (!options.include(key)) continue;
    let entry: Entry = { kind: 'key', key };
    if (options.delimiter) {
      const at = key.indexOf(options.delimiter, options.prefix.length);
      if (at >= 0) entry = { kind: 'prefix', prefix: key.slice(0, at + options.delimiter.length) };
    }
    const id = entryId(entry);
    if (options.after !== undefined && compareKeys(id, options.after) <= 0) continue;
    const last = entries[entries.length - 1];
    if (last && last.kind === 'prefix' && entry.kind === 'prefix' && last.prefix === entry.prefix) continue;
    // With max-keys=0 S3 answers an empty, untruncated page rather than one a client could loop on.
    if (entries.length === options.max) return { entries, truncated: options.max > 0 };
    entries.push(entry);
  }
  return { entries, truncated: false };
}

function isLive(state: BucketState, key: string): boolean {
  const latest = state.objects.get(key)?.[0];
  return latest !== undefined && !latest.deleteMarker;
}

function contents(version: VersionMeta, encode: (s: string) => string, withOwner: boolean) {
  const algorithms = Object.keys(version.checksums).map((n) => ChecksumAlgorithm[n as ChecksumName]);
  return {
    Key: encode(version.key),
    LastModified: version.lastModified,
    ETag: version.etag,
    ChecksumAlgorithm: algorithms.length ? algorithms : undefined,
    ChecksumType: algorithms.length ? 'FULL_OBJECT' : undefined,
    Size: version.size,
    StorageClass: 'STANDARD',
    Owner: withOwner ? owner : undefined,
  };
}

function listContext(ctx: RequestContext) {
  return conditionContext(ctx, {
    's3:prefix': ctx.query.get('prefix') ?? undefined,
    's3:delimiter': ctx.query.get('delimiter') ?? undefined,
    's3:max-keys': ctx.query.get('max-keys') ?? undefined,
  });
}

/** The continuation token is opaque to clients; here it carries the last entry returned. */
function decodeToken(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith('v1:')) {
    throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  }
  return decoded.slice(3);
}

/** GET /bucket?list-type=2 */
export async function listObjectsV2(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListBucket'], `arn:aws:s3:::${ctx.bucket}`, listContext(ctx));
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const token = ctx.query.get('continuation-token') ?? undefined;
  const startAfter = ctx.query.get('start-after') ?? undefined;
  const max = maxKeysParam(ctx);
  const encode = encodingParam(ctx);
  const { entries, truncated } = walk(sortedKeys(state), {
    prefix,
    delimiter,
    after: token !== undefined ? decodeToken(token) : undefined,
    startAfter,
    max,
    include: (key) => isLive(state, key),
  });
  const last = entries[entries.length - 1];
  const withOwner = ctx.query.get('fetch-owner') === 'true';
  sendXml(ctx, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    Delimiter: delimiter ? encode(delimiter) : undefined,
    MaxKeys: max,
    EncodingType: ctx.query.get('encoding-type') ?? undefined,
    KeyCount: entries.length,
    IsTruncated: truncated,
    ContinuationToken: token,
    NextContinuationToken: truncated && last ? Buffer.from(`v1:${entryId(last)}`).toString('base64url') : undefined,
    StartAfter: startAfter !== undefined ? encode(startAfter) : undefined,
    Contents: entries.flatMap((e) => (e.kind === 'key' ? [contents(state.objects.get(e.key)![0], encode, withOwner)] : [])),
    CommonPrefixes: entries.flatMap((e) => (e.kind === 'prefix' ? [{ Prefix: encode(e.prefix) }] : [])),
  });
}

/** GET /bucket (ListObjects, version 1) */
export async function listObjects(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListBucket'], `arn:aws:s3:::${ctx.bucket}`, listContext(ctx));
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? undefined;
  const max = maxKeysParam(ctx);
  const encode = encodingParam(ctx);
  const { entries, truncated } = walk(sortedKeys(state), {
    prefix,
    delimiter,
    after: marker,
    max,
    include: (key) => isLive(state, key),
  });
  const last = entries[entries.length - 1];
  sendXml(ctx, 'ListBucketResult', {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    Marker: encode(marker ?? ''),
    NextMarker: truncated && last && delimiter ? encode(entryId(last)) : undefined,
    MaxKeys: max,
    Delimiter: delimiter ? encode(delimiter) : undefined,
    EncodingType: ctx.query.get('encoding-type') ?? undefined,
    IsTruncated: truncated,
    Contents: entries.flatMap((e) => (e.kind === 'key' ? [contents(state.objects.get(e.key)![0], encode, true)] : [])),
    CommonPrefixes: entries.flatMap((e) => (e.kind === 'prefix' ? [{ Prefix: encode(e.prefix) }] : [])),
  });
}

/** GET /bucket?versions: versions and delete markers, keys ascending, each key's versions newest first. */
export async function listObjectVersions(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListBucketVersions'], `arn:aws:s3:::${ctx.bucket}`, listContext(ctx));
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker') ?? '';
  if (versionIdMarker && !keyMarker) {
    throw new S3ApiError('InvalidArgument', 400, 'A version-id marker cannot be specified without a key marker.');
  }
  const max = maxKeysParam(ctx);
  const encode = encodingParam(ctx);
  let body = '';
  let count = 0;
  let truncated = false;
  let nextKeyMarker: string | undefined;
  let nextVersionIdMarker: string | undefined;
  let lastPrefix: string | undefined;
  const prefixes: string[] = [];
  outer: for (const key of sortedKeys(state)) {
    if (!key.startsWith(prefix)) continue;
    const cmp = keyMarker ? compareKeys(key, keyMarker) : 1;
    if (cmp < 0 || (cmp === 0 && !versionIdMarker)) continue;
    if (delimiter) {
      const at = key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = key.slice(0, at + delimiter.length);
        if (common === lastPrefix || (keyMarker && compareKeys(common, keyMarker) <= 0)) continue;
        if (count === max) {
          truncated = true;
          break;
        }
        prefixes.push(common);
        lastPrefix = common;
        nextKeyMarker = common;
        nextVersionIdMarker = undefined;
        count++;
        continue;
      }
    }
    const versions = state.objects.get(key)!;
    let start = 0;
    if (cmp === 0) {
      start = versions.findIndex((v) => v.versionId === versionIdMarker) + 1;
      if (start === 0) continue;
    }
    for (let i = start; i < versions.length; i++) {
      if (count === max) {
        truncated = true;
        break outer;
      }
      const v = versions[i];
      const common = {
        Key: encode(v.key),
        VersionId: v.versionId,
        IsLatest: i === 0,
        LastModified: v.lastModified,
      };
      body += v.deleteMarker
        ? renderElement('DeleteMarker', { Owner: owner, ...common })
        : renderElement('Version', {
            ...common,
            ETag: v.etag,
            Size: v.size,
            StorageClass: 'STANDARD',
            Owner: owner,
            ChecksumAlgorithm: Object.keys(v.checksums).map((n) => ChecksumAlgorithm[n as ChecksumName]),
            ChecksumType: Object.keys(v.checksums).length ? 'FULL_OBJECT' : undefined,
          });
      nextKeyMarker = v.key;
      nextVersionIdMarker = v.versionId;
      count++;
    }
  }
  sendXml(ctx, 'ListVersionsResult', {
    Name: ctx.bucket,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: truncated && nextKeyMarker !== undefined ? encode(nextKeyMarker) : undefined,
    NextVersionIdMarker: truncated ? nextVersionIdMarker : undefined,
    MaxKeys: max,
    Delimiter: delimiter ? encode(delimiter) : undefined,
    EncodingType: ctx.query.get('encoding-type') ?? undefined,
    IsTruncated: truncated,
    '#raw': body,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
  });
}
