import { createHash } from 'node:crypto';
import {
  authorize,
  conditionContext,
  header,
  receiveBody,
  requireBucket,
  requireIntegrity,
  send,
  sendXml,
  type ReceivedBody,
  type RequestContext,
} from './context';
import { ChecksumAlgorithm, computeChecksum, type ChecksumName } from './checksums';
import { S3ApiError, s3Errors } from './errors';
import { newVersionId, RetentionMode, type BucketState, type VersionMeta } from './store';
import { child, childText, children, parseXml, renderElement } from './xml';

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** The `versionId` query parameter, checked for shape as S3 does. */
function versionIdParam(ctx: RequestContext): string | undefined {
  const id = ctx.query.get('versionId');
  if (id === null) return undefined;
  if (!/^[A-Za-z0-9._+/=-]{1,1024}$/.test(id)) {
    throw s3Errors.invalidArgument('Invalid version id specified', 'versionId', id);
  }
  return id;
}

/** S3 reports version ids only on buckets whose versioning was ever configured. */
export function versionHeader(state: BucketState, version: VersionMeta): string | undefined {
  return state.meta.versioning ? version.versionId : undefined;
}

function isLocked(version: VersionMeta, now = Date.now()): boolean {
  return version.retention !== undefined && Date.parse(version.retention.retainUntil) > now;
}

function bypassRequested(ctx: RequestContext): boolean {
  return header(ctx, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
}

function parseRetainUntil(text: string): string {
  const time = Date.parse(text);
  if (Number.isNaN(time)) {
    throw s3Errors.invalidArgument('The retain until date must be provided in ISO 8601 format', 'RetainUntilDate', text);
  }
  if (time <= Date.now()) throw s3Errors.invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', text);
  return new Date(time).toISOString();
}

function addRetentionPeriod(from: Date, days?: number, years?: number): string {
  const until = new Date(from.getTime());
  if (days !== undefined) until.setUTCDate(until.getUTCDate() + days);
  if (years !== undefined) until.setUTCFullYear(until.getUTCFullYear() + years);
  return until.toISOString();
}

/** Attributes of a version about to be written, before the bucket decides its id and retention. */
export interface NewObject {
  key: string;
  received: ReceivedBody;
  /** Set for multipart uploads, whose ETag is not the MD5 of the body. */
  etag?: string;
  checksumType?: 'COMPOSITE';
  /** Runs under the bucket's lock before the write (re-checks that must not race). */
  beforeWrite?: () => void;
  /** Runs under the bucket's lock once the version is stored. */
  afterWrite?: () => Promise<void>;
  contentType?: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  lockMode?: RetentionMode;
  retainUntil?: string;
  legalHold?: boolean;
}

export function lockHeaders(ctx: RequestContext, state: BucketState): Pick<NewObject, 'lockMode' | 'retainUntil' | 'legalHold'> {
  const mode = header(ctx, 'x-amz-object-lock-mode');
  const until = header(ctx, 'x-amz-object-lock-retain-until-date');
  const hold = header(ctx, 'x-amz-object-lock-legal-hold');
  if (mode === undefined && until === undefined && hold === undefined) return {};
  if (!state.meta.objectLockEnabled) throw s3Errors.invalidRequest('Bucket is missing Object Lock Configuration');
  if ((mode === undefined) !== (until === undefined)) {
    throw s3Errors.invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    );
  }
  if (mode !== undefined && mode !== RetentionMode.COMPLIANCE && mode !== RetentionMode.GOVERNANCE) {
    throw s3Errors.invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  }
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') {
    throw s3Errors.invalidArgument('Legal Hold must be either of \'ON\' or \'OFF\'', 'x-amz-object-lock-legal-hold', hold);
  }
  return {
    ...(mode !== undefined ? { lockMode: mode, retainUntil: parseRetainUntil(until!) } : {}),
    ...(hold !== undefined ? { legalHold: hold === 'ON' } : {}),
  };
}

export function userMetadata(ctx: RequestContext): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return metadata;
}

export function storedHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    let value = header(ctx, name);
    if (name === 'content-encoding' && value !== undefined) {
      // aws-chunked is transfer framing, not a property of the object.
      value = value.split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked').join(',');
    }
    if (value) headers[name] = value;
  }
  return headers;
}

/** Checks If-None-Match / If-Match of a write against the key's latest version. */
function checkWritePreconditions(ctx: RequestContext, latest: VersionMeta | undefined, key: string): void {
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifMatch = header(ctx, 'if-match');
  const live = latest && !latest.deleteMarker ? latest : undefined;
  if (ifNoneMatch !== undefined && live) throw s3Errors.preconditionFailed('If-None-Match');
  if (ifMatch !== undefined) {
    if (!live) throw s3Errors.noSuchKey(key);
    if (!etagMatches(ifMatch, live.etag)) throw s3Errors.preconditionFailed('If-Match');
  }
}

function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').some((c) => {
    const t = c.trim();
    return t === '*' || t === etag || `"${t}"` === etag;
  });
}

/** Writes a new version under the bucket's lock: preconditions, version id, retention, then storage. */
export async function writeVersion(ctx: RequestContext, state: BucketState, obj: NewObject): Promise<VersionMeta> {
  const lockApplies = obj.lockMode !== undefined || obj.legalHold !== undefined || state.meta.defaultRetention !== undefined;
  if (lockApplies && !obj.received.integrityProvided) {
    throw s3Errors.invalidRequest(
      'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters',
    );
  }
  return ctx.store.exclusive(ctx.bucket, async () => {
    if (ctx.store.buckets.get(ctx.bucket) !== state) throw s3Errors.noSuchBucket(ctx.bucket);
    obj.beforeWrite?.();
    const latest = state.objects.get(obj.key)?.[0];
    checkWritePreconditions(ctx, latest, obj.key);
    const now = new Date();
    let retention: VersionMeta['retention'];
    if (obj.lockMode !== undefined && obj.retainUntil !== undefined) {
      retention = { mode: obj.lockMode, retainUntil: obj.retainUntil };
    } else if (state.meta.defaultRetention) {
      const d = state.meta.defaultRetention;
      retention = { mode: d.mode, retainUntil: addRetentionPeriod(now, d.days, d.years) };
    }
    const checksums = { ...obj.received.checksums };
    // S3 computes a CRC64NVME for every new object that arrives without an additional checksum.
    if (Object.keys(checksums).length === 0) checksums.crc64nvme = computeChecksum('crc64nvme', obj.received.body);
    const version: VersionMeta = {
      key: obj.key,
      versionId: state.meta.versioning === 'Enabled' ? newVersionId() : 'null',
      seq: ctx.store.nextSeq(),
      deleteMarker: false,
      lastModified: now.toISOString(),
      etag: obj.etag ?? `"${obj.received.md5.toString('hex')}"`,
      size: obj.received.body.length,
      ...(obj.contentType !== undefined ? { contentType: obj.contentType } : {}),
      headers: obj.headers,
      metadata: obj.metadata,
      checksums,
      ...(obj.checksumType ? { checksumType: obj.checksumType } : {}),
      ...(retention ? { retention } : {}),
      ...(obj.legalHold !== undefined ? { legalHold: obj.legalHold } : {}),
    };
    await ctx.store.putVersion(ctx.bucket, version, obj.received.body);
    await obj.afterWrite?.();
    return version;
  });
}

/** `x-amz-checksum-*` response headers for stored checksums. */
export function checksumHeaders(version: Pick<VersionMeta, 'checksums' | 'checksumType'>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(version.checksums)) headers[`x-amz-checksum-${name}`] = value;
  if (Object.keys(headers).length) headers['x-amz-checksum-type'] = version.checksumType ?? 'FULL_OBJECT';
  return headers;
}

/**
 * Condition keys of a write. `creates` is false for the multipart steps that create no object
 * (CreateMultipartUpload, UploadPart), which S3 tells apart with `s3:ObjectCreationOperation`.
 */
export function writeConditionContext(ctx: RequestContext, state: BucketState, creates = true): Record<string, string | undefined> {
  return conditionContext(ctx, {
    's3:objectcreationoperation': String(creates),
    's3:if-none-match': header(ctx, 'if-none-match'),
    's3:if-match': header(ctx, 'if-match'),
    's3:object-lock-mode': header(ctx, 'x-amz-object-lock-mode'),
    's3:object-lock-retain-until-date': header(ctx, 'x-amz-object-lock-retain-until-date'),
    's3:object-lock-legal-hold': header(ctx, 'x-amz-object-lock-legal-hold'),
    's3:x-amz-server-side-encryption': header(ctx, 'x-amz-server-side-encryption'),
    's3:x-amz-storage-class': header(ctx, 'x-amz-storage-class'),
    's3:x-amz-metadata-directive': header(ctx, 'x-amz-metadata-directive'),
    's3:x-amz-copy-source': header(ctx, 'x-amz-copy-source'),
    's3:object-lock-remaining-retention-days': state.meta.defaultRetention
      ? String(state.meta.defaultRetention.days ?? (state.meta.defaultRetention.years ?? 0) * 365)
      : undefined,
  });
}

export function writeActions(obj: Pick<NewObject, 'lockMode' | 'legalHold'>): string[] {
  return [
    's3:PutObject',
    ...(obj.lockMode !== undefined ? ['s3:PutObjectRetention'] : []),
    ...(obj.legalHold !== undefined ? ['s3:PutObjectLegalHold'] : []),
  ];
}

export function checkIfNoneMatchValue(ctx: RequestContext): void {
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw s3Errors.notImplemented('A header you provided implies functionality that is not implemented');
  }
}

/** PUT /bucket/key */
export async function putObject(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  checkIfNoneMatchValue(ctx);
  const lock = lockHeaders(ctx, state);
  authorize(ctx, state, writeActions(lock), objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state));
  const received = await receiveBody(ctx);
  const version = await writeVersion(ctx, state, {
    key: ctx.key,
    received,
    contentType: header(ctx, 'content-type'),
    headers: storedHeaders(ctx),
    metadata: userMetadata(ctx),
    ...lock,
  });
  send(ctx, 200, {
    etag: version.etag,
    'x-amz-version-id': versionHeader(state, version),
    'x-amz-server-side-encryption': 'AES256',
    ...checksumHeaders({ ...version, checksums: received.checksums }),
  });
}

function parseCopySource(ctx: RequestContext): { bucket: string; key: string; versionId?: string } {
  const raw = header(ctx, 'x-amz-copy-source')!;
  const [pathPart, queryPart] = raw.split('?', 2);
  let path: string;
  try {
    path = decodeURIComponent(pathPart.startsWith('/') ? pathPart.slice(1) : pathPart);
  } catch (cause) {
    throw new S3ApiError('InvalidArgument', 400, 'Invalid copy source encoding', { cause });
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw s3Errors.invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', raw);
  }
  const versionId = queryPart ? new URLSearchParams(queryPart).get('versionId') ?? undefined : undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), ...(versionId ? { versionId } : {}) };
}

/** PUT /bucket/key with x-amz-copy-source. Retention comes from the destination, never the source. */
export async function copyObject(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const source = parseCopySource(ctx);
  const sourceState = ctx.store.buckets.get(source.bucket);
  if (!sourceState) throw s3Errors.noSuchBucket(source.bucket);
  authorize(
    ctx,
    sourceState,
    [source.versionId ? 's3:GetObjectVersion' : 's3:GetObject'],
    objectArn(source.bucket, source.key),
    conditionContext(ctx),
  );
  const lock = lockHeaders(ctx, state);
  authorize(ctx, state, writeActions(lock), objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state));
  // S3 has no conditional copy: with If-None-Match or If-Match a copy answers 501.
  if (header(ctx, 'if-none-match') !== undefined || header(ctx, 'if-match') !== undefined) {
    throw s3Errors.notImplemented();
  }
  await receiveBody(ctx);
  const versions = sourceState.objects.get(source.key) ?? [];
  const sourceVersion = source.versionId ? versions.find((v) => v.versionId === source.versionId) : versions[0];
  if (!sourceVersion) throw source.versionId ? s3Errors.noSuchVersion(source.key, source.versionId) : s3Errors.noSuchKey(source.key);
  if (sourceVersion.deleteMarker) {
    throw source.versionId ? s3Errors.invalidRequest('The source of a copy request may not specifically refer to a delete marker by version id.') : s3Errors.noSuchKey(source.key);
  }
  const body = await ctx.store.readBody(source.bucket, sourceVersion);
  const replace = header(ctx, 'x-amz-metadata-directive') === 'REPLACE';
  if (!replace && source.bucket === ctx.bucket && source.key === ctx.key && !source.versionId && state.meta.versioning !== 'Enabled') {
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const received: ReceivedBody = {
    body,
    md5: createHash('md5').update(body).digest(),
    checksums: Object.fromEntries(
      Object.keys(sourceVersion.checksums).map((n) => [n, computeChecksum(n as ChecksumName, body)]),
    ),
    integrityProvided: true,
  };
  const version = await writeVersion(ctx, state, {
    key: ctx.key,
    received,
    contentType: replace ? header(ctx, 'content-type') : sourceVersion.contentType,
    headers: replace ? storedHeaders(ctx) : sourceVersion.headers,
    metadata: replace ? userMetadata(ctx) : sourceVersion.metadata,
    ...lock,
  });
  sendXml(
    ctx,
    'CopyObjectResult',
    {
      LastModified: version.lastModified,
      ETag: version.etag,
      ...Object.fromEntries(
        Object.entries(version.checksums).map(([n, v]) => [`Checksum${ChecksumAlgorithm[n as ChecksumName]}`, v]),
      ),
    },
    200,
    {
      'x-amz-version-id': versionHeader(state, version),
      'x-amz-copy-source-version-id': sourceState.meta.versioning ? sourceVersion.versionId : undefined,
    },
  );
}

/** Finds the version a GET/HEAD/retention request targets, answering S3's errors for missing ones and delete markers. */
function targetVersion(ctx: RequestContext, state: BucketState, versionId: string | undefined): VersionMeta {
  const versions = state.objects.get(ctx.key) ?? [];
  if (versionId !== undefined) {
    const version = versions.find((v) => v.versionId === versionId);
    if (!version) throw s3Errors.noSuchVersion(ctx.key, versionId);
    if (version.deleteMarker) {
      throw s3Errors.methodNotAllowed({
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': version.versionId,
        'last-modified': new Date(version.lastModified).toUTCString(),
        allow: 'DELETE',
      });
    }
    return version;
  }
  const latest = versions[0];
  if (!latest) throw s3Errors.noSuchKey(ctx.key);
  if (latest.deleteMarker) {
    throw s3Errors.noSuchKey(ctx.key, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': latest.versionId });
  }
  return latest;
}

function secondsOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** Conditional GET/HEAD headers, in S3's order of precedence. */
function checkReadPreconditions(ctx: RequestContext, version: VersionMeta, headers: Record<string, string | undefined>): boolean {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifModifiedSince = header(ctx, 'if-modified-since');
  const ifUnmodifiedSince = header(ctx, 'if-unmodified-since');
  const modified = secondsOf(version.lastModified);
  if (ifMatch !== undefined && !etagMatches(ifMatch, version.etag)) throw s3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined) {
    const since = Date.parse(ifUnmodifiedSince);
    if (!Number.isNaN(since) && modified > Math.floor(since / 1000)) throw s3Errors.preconditionFailed('If-Unmodified-Since');
  }
  let notModified = false;
  if (ifNoneMatch !== undefined) notModified = etagMatches(ifNoneMatch, version.etag);
  else if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    notModified = !Number.isNaN(since) && modified <= Math.floor(since / 1000);
  }
  if (notModified) send(ctx, 304, { etag: headers.etag, 'last-modified': headers['last-modified'], 'x-amz-version-id': headers['x-amz-version-id'] });
  return !notModified;
}

function parseRange(range: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  // A malformed Range is ignored and the whole object is returned, as S3 does.
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

/** GET or HEAD /bucket/key (optionally ?versionId=, Range, conditional headers, checksum mode). */
export async function getObject(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  authorize(
    ctx,
    state,
    [versionId ? 's3:GetObjectVersion' : 's3:GetObject'],
    objectArn(ctx.bucket, ctx.key),
    conditionContext(ctx, { 's3:versionid': versionId }),
  );
  const version = targetVersion(ctx, state, versionId);
  const headers: Record<string, string | undefined> = {
    etag: version.etag,
    'last-modified': new Date(version.lastModified).toUTCString(),
    'content-type': version.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    'x-amz-version-id': versionHeader(state, version),
    'x-amz-server-side-encryption': 'AES256',
    ...version.headers,
  };
  for (const [name, value] of Object.entries(version.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (version.retention) {
    headers['x-amz-object-lock-mode'] = version.retention.mode;
    headers['x-amz-object-lock-retain-until-date'] = version.retention.retainUntil;
  }
  if (version.legalHold !== undefined) headers['x-amz-object-lock-legal-hold'] = version.legalHold ? 'ON' : 'OFF';
  if (!checkReadPreconditions(ctx, version, headers)) return;
  for (const [param, name] of [
    ['response-content-type', 'content-type'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
    ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
  ] as const) {
    const value = ctx.query.get(param);
    if (value !== null) headers[name] = value;
  }
  const range = parseRange(header(ctx, 'range'), version.size);
  if (range === 'unsatisfiable') {
    throw new S3ApiError('InvalidRange', 416, 'The requested range is not satisfiable', {
      fields: { RangeRequested: header(ctx, 'range') ?? '', ActualObjectSize: String(version.size) },
      headers: { 'content-range': `bytes */${version.size}` },
    });
  }
  if (!range && header(ctx, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') Object.assign(headers, checksumHeaders(version));
  const body = ctx.method === 'HEAD' ? Buffer.alloc(0) : await ctx.store.readBody(ctx.bucket, version);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${version.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    send(ctx, 206, headers, ctx.method === 'HEAD' ? undefined : body.subarray(range.start, range.end + 1));
  } else {
    headers['content-length'] = String(version.size);
    send(ctx, 200, headers, body);
  }
}

/** What one deletion did, in the terms of DeleteObject's headers and DeleteObjects' result. */
interface DeleteOutcome {
  versionId?: string;
  deleteMarker: boolean;
}

/**
 * Deletes one key or version, enforcing the policy and Object Lock. Shared by DeleteObject and
 * DeleteObjects so the two can never disagree about what is deletable.
 */
async function deleteOne(
  ctx: RequestContext,
  state: BucketState,
  key: string,
  versionId: string | undefined,
): Promise<DeleteOutcome> {
  const bypass = bypassRequested(ctx);
  const actions = [versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject'];
  authorize(ctx, state, actions, objectArn(ctx.bucket, key), conditionContext(ctx, { 's3:versionid': versionId }));
  return ctx.store.exclusive(ctx.bucket, async () => {
    const versions = state.objects.get(key) ?? [];
    if (versionId !== undefined) {
      const version = versions.find((v) => v.versionId === versionId);
      if (!version) return { versionId, deleteMarker: false };
      if (version.legalHold) throw s3Errors.accessDenied('Object is WORM protected and cannot be overwritten');
      if (isLocked(version)) {
        const governanceBypass = version.retention!.mode === RetentionMode.GOVERNANCE && bypass;
        if (!governanceBypass) throw s3Errors.accessDenied('Object is WORM protected and cannot be overwritten');
        authorize(ctx, state, ['s3:BypassGovernanceRetention'], objectArn(ctx.bucket, key), conditionContext(ctx));
      }
      await ctx.store.removeVersion(ctx.bucket, version);
      return { versionId, deleteMarker: version.deleteMarker };
    }
    if (state.meta.versioning === undefined) {
      const nullVersion = versions.find((v) => v.versionId === 'null');
      if (nullVersion) await ctx.store.removeVersion(ctx.bucket, nullVersion);
      return { deleteMarker: false };
    }
    const marker: VersionMeta = {
      key,
      versionId: state.meta.versioning === 'Enabled' ? newVersionId() : 'null',
      seq: ctx.store.nextSeq(),
      deleteMarker: true,
      lastModified: new Date().toISOString(),
      etag: '',
      size: 0,
      headers: {},
      metadata: {},
      checksums: {},
    };
    await ctx.store.putVersion(ctx.bucket, marker, undefined);
    return { versionId: marker.versionId, deleteMarker: true };
  });
}

/** DELETE /bucket/key (optionally ?versionId=) */
export async function deleteObject(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  const outcome = await deleteOne(ctx, state, ctx.key, versionId);
  send(ctx, 204, {
    'x-amz-version-id': outcome.versionId,
    'x-amz-delete-marker': outcome.deleteMarker ? 'true' : undefined,
  });
}

/** POST /bucket?delete: each key is decided on its own, failures are reported per key. */
export async function deleteObjects(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const received = await receiveBody(ctx);
  requireIntegrity(received);
  const doc = parseXml(received.body.toString('utf8'));
  if (doc.name !== 'Delete') throw s3Errors.malformedXml();
  const objects = children(doc, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw s3Errors.malformedXml();
  const quiet = childText(doc, 'Quiet') === 'true';
  let parts = '';
  for (const o of objects) {
    const key = child(o, 'Key')?.text;
    if (key === undefined) throw s3Errors.malformedXml();
    const versionId = childText(o, 'VersionId');
    try {
      const outcome = await deleteOne(ctx, state, key, versionId);
      if (quiet) continue;
      parts += renderElement('Deleted', {
        Key: key,
        VersionId: versionId,
        DeleteMarker: outcome.deleteMarker ? true : undefined,
        DeleteMarkerVersionId: outcome.deleteMarker ? outcome.versionId : undefined,
      });
    } catch (error) {
      if (!(error instanceof S3ApiError)) throw error;
      parts += renderElement('Error', { Key: key, VersionId: versionId, Code: error.code, Message: error.message });
    }
  }
  sendXml(ctx, 'DeleteResult', { '#raw': parts });
}

function requireLockBucket(state: BucketState): void {
  if (!state.meta.objectLockEnabled) throw s3Errors.invalidRequest('Bucket is missing Object Lock Configuration');
}

/** GET /bucket/key?retention */
export async function getObjectRetention(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  authorize(ctx, state, ['s3:GetObjectRetention'], objectArn(ctx.bucket, ctx.key), conditionContext(ctx, { 's3:versionid': versionId }));
  requireLockBucket(state);
  const version = targetVersion(ctx, state, versionId);
  if (!version.retention) {
    throw new S3ApiError('NoSuchObjectLockConfiguration', 404, 'The specified object does not have a ObjectLock configuration');
  }
  sendXml(ctx, 'Retention', { Mode: version.retention.mode, RetainUntilDate: version.retention.retainUntil });
}

/**
 * PUT /bucket/key?retention. Extending is always allowed. Shortening, removing or weakening the mode
 * is AccessDenied while the version is locked, except GOVERNANCE with the bypass header.
 */
export async function putObjectRetention(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  const received = await receiveBody(ctx);
  requireIntegrity(received);
  const doc = parseXml(received.body.toString('utf8'));
  if (doc.name !== 'Retention') throw s3Errors.malformedXml();
  const mode = childText(doc, 'Mode');
  const untilText = childText(doc, 'RetainUntilDate');
  if ((mode === undefined) !== (untilText === undefined)) throw s3Errors.malformedXml();
  if (mode !== undefined && mode !== RetentionMode.COMPLIANCE && mode !== RetentionMode.GOVERNANCE) throw s3Errors.malformedXml();
  const until = untilText === undefined ? undefined : parseRetainUntil(untilText);
  const remainingDays = until ? String(Math.ceil((Date.parse(until) - Date.now()) / 86_400_000)) : undefined;
  authorize(
    ctx,
    state,
    ['s3:PutObjectRetention'],
    objectArn(ctx.bucket, ctx.key),
    conditionContext(ctx, {
      's3:versionid': versionId,
      's3:object-lock-mode': mode,
      's3:object-lock-retain-until-date': until,
      's3:object-lock-remaining-retention-days': remainingDays,
    }),
  );
  requireLockBucket(state);
  await ctx.store.exclusive(ctx.bucket, async () => {
    const version = targetVersion(ctx, state, versionId);
    if (isLocked(version)) {
      const current = version.retention!;
      const weakens =
        mode === undefined ||
        (current.mode === RetentionMode.COMPLIANCE && mode !== RetentionMode.COMPLIANCE) ||
        Date.parse(until!) < Date.parse(current.retainUntil);
      if (weakens) {
        if (current.mode === RetentionMode.COMPLIANCE || !bypassRequested(ctx)) {
          throw s3Errors.accessDenied();
        }
        authorize(ctx, state, ['s3:BypassGovernanceRetention'], objectArn(ctx.bucket, ctx.key), conditionContext(ctx));
      }
    }
    const { retention: _previous, ...rest } = version;
    await ctx.store.updateVersion(
      ctx.bucket,
      version,
      mode === undefined ? rest : { ...rest, retention: { mode: mode as RetentionMode, retainUntil: until! } },
    );
  });
  send(ctx, 200, {});
}

/** GET /bucket/key?legal-hold */
export async function getObjectLegalHold(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  authorize(ctx, state, ['s3:GetObjectLegalHold'], objectArn(ctx.bucket, ctx.key), conditionContext(ctx));
  requireLockBucket(state);
  const version = targetVersion(ctx, state, versionId);
  if (version.legalHold === undefined) {
    throw new S3ApiError('NoSuchObjectLockConfiguration', 404, 'The specified object does not have a ObjectLock configuration');
  }
  sendXml(ctx, 'LegalHold', { Status: version.legalHold ? 'ON' : 'OFF' });
}

/** PUT /bucket/key?legal-hold */
export async function putObjectLegalHold(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const versionId = versionIdParam(ctx);
  const received = await receiveBody(ctx);
  requireIntegrity(received);
  const doc = parseXml(received.body.toString('utf8'));
  const status = childText(doc, 'Status');
  if (doc.name !== 'LegalHold' || (status !== 'ON' && status !== 'OFF')) throw s3Errors.malformedXml();
  authorize(ctx, state, ['s3:PutObjectLegalHold'], objectArn(ctx.bucket, ctx.key), conditionContext(ctx));
  requireLockBucket(state);
  await ctx.store.exclusive(ctx.bucket, async () => {
    const version = targetVersion(ctx, state, versionId);
    await ctx.store.updateVersion(ctx.bucket, version, { ...version, legalHold: status === 'ON' });
  });
  send(ctx, 200, {});
}
