import { createHash, randomBytes } from 'node:crypto';
import { owner } from './buckets';
import { ChecksumAlgorithm, computeChecksum, isChecksumName, type ChecksumName } from './checksums';
import {
  authorize,
  header,
  receiveBody,
  requireBucket,
  send,
  sendXml,
  type RequestContext,
} from './context';
import { S3ApiError, s3Errors } from './errors';
import {
  checkIfNoneMatchValue,
  checksumHeaders,
  lockHeaders,
  objectArn,
  storedHeaders,
  userMetadata,
  versionHeader,
  writeActions,
  writeConditionContext,
  writeVersion,
} from './objects';
import type { UploadState } from './store';
import { childText, children, parseXml, renderElement } from './xml';

/** S3's smallest part, except for the last one. */
const MIN_PART_SIZE = 5 * 1024 * 1024;

function noSuchUpload(uploadId: string): S3ApiError {
  return new S3ApiError(
    'NoSuchUpload',
    404,
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { fields: { UploadId: uploadId } },
  );
}

/** The upload named by `?uploadId=`, which must belong to the addressed bucket and key. */
function requireUpload(ctx: RequestContext): UploadState {
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = ctx.store.uploads.get(uploadId);
  if (!upload || upload.meta.bucket !== ctx.bucket || upload.meta.key !== ctx.key) throw noSuchUpload(uploadId);
  return upload;
}

function checksumAlgorithmHeader(ctx: RequestContext): ChecksumName | undefined {
  const value = header(ctx, 'x-amz-checksum-algorithm');
  if (value === undefined) return undefined;
  const name = value.toLowerCase();
  if (!isChecksumName(name)) throw s3Errors.invalidRequest('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  return name;
}

/** POST /bucket/key?uploads */
export async function createMultipartUpload(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  const lock = lockHeaders(ctx, state);
  authorize(ctx, state, writeActions(lock), objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state, false));
  await receiveBody(ctx);
  const checksumAlgorithm = checksumAlgorithmHeader(ctx);
  const typeHeader = header(ctx, 'x-amz-checksum-type')?.toUpperCase();
  if (typeHeader !== undefined && typeHeader !== 'COMPOSITE' && typeHeader !== 'FULL_OBJECT') {
    throw s3Errors.invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  if (checksumAlgorithm === 'crc64nvme' && typeHeader === 'COMPOSITE') {
    throw s3Errors.invalidRequest('The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  }
  const checksumType = typeHeader ?? (checksumAlgorithm === 'crc64nvme' ? 'FULL_OBJECT' : 'COMPOSITE');
  const uploadId = randomBytes(32).toString('base64url');
  await ctx.store.exclusive(ctx.bucket, () =>
    ctx.store.createUpload({
      uploadId,
      bucket: ctx.bucket,
      key: ctx.key,
      initiated: new Date().toISOString(),
      ...(header(ctx, 'content-type') !== undefined ? { contentType: header(ctx, 'content-type') } : {}),
      headers: storedHeaders(ctx),
      metadata: userMetadata(ctx),
      ...lock,
      ...(checksumAlgorithm ? { checksumAlgorithm, checksumType } : {}),
    }),
  );
  sendXml(
    ctx,
    'InitiateMultipartUploadResult',
    { Bucket: ctx.bucket, Key: ctx.key, UploadId: uploadId },
    200,
    checksumAlgorithm
      ? { 'x-amz-checksum-algorithm': ChecksumAlgorithm[checksumAlgorithm], 'x-amz-checksum-type': checksumType }
      : {},
  );
}

function partNumberParam(ctx: RequestContext): number {
  const text = ctx.query.get('partNumber') ?? '';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 10_000) {
    throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', text);
  }
  return n;
}

/** PUT /bucket/key?partNumber=N&uploadId=U */
export async function uploadPart(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  if (header(ctx, 'x-amz-copy-source') !== undefined) throw s3Errors.notImplemented('UploadPartCopy is not implemented by this local endpoint');
  const partNumber = partNumberParam(ctx);
  requireUpload(ctx);
  authorize(ctx, state, ['s3:PutObject'], objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state, false));
  const received = await receiveBody(ctx);
  const part = await ctx.store.exclusive(ctx.bucket, async () => {
    const upload = requireUpload(ctx);
    const checksums = { ...received.checksums };
    const algorithm = upload.meta.checksumAlgorithm;
    if (algorithm && checksums[algorithm] === undefined) checksums[algorithm] = computeChecksum(algorithm, received.body);
    return ctx.store.putPart(
      upload,
      {
        partNumber,
        etag: `"${received.md5.toString('hex')}"`,
        size: received.body.length,
        lastModified: new Date().toISOString(),
        checksums,
      },
      received.body,
    );
  });
  send(ctx, 200, { etag: part.etag, 'x-amz-server-side-encryption': 'AES256', ...checksumHeaders({ checksums: received.checksums }) });
}

/**
 * POST /bucket/key?uploadId=U: assembles the listed parts into one new version. The write goes
 * through the same path as PutObject, so If-None-Match, Object Lock and the policy apply alike.
 */
export async function completeMultipartUpload(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  checkIfNoneMatchValue(ctx);
  const upload = requireUpload(ctx);
  authorize(ctx, state, writeActions(upload.meta), objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state));
  const doc = parseXml((await receiveBody(ctx)).body.toString('utf8'));
  const listed = children(doc, 'Part');
  if (doc.name !== 'CompleteMultipartUpload' || listed.length === 0) throw s3Errors.malformedXml();
  const invalidPart = () =>
    new S3ApiError(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    );
  const parts = listed.map((p, i) => {
    const partNumber = Number(childText(p, 'PartNumber'));
    if (i > 0 && partNumber <= Number(childText(listed[i - 1], 'PartNumber'))) {
      throw new S3ApiError('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
    const part = upload.parts.get(partNumber);
    const etag = childText(p, 'ETag') ?? '';
    if (!part || (etag !== part.etag && `"${etag}"` !== part.etag)) throw invalidPart();
    for (const [name, algorithm] of Object.entries(ChecksumAlgorithm)) {
      const given = childText(p, `Checksum${algorithm}`);
      if (given !== undefined && given !== part.checksums[name as ChecksumName]) throw invalidPart();
    }
    return part;
  });
  parts.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE) {
      throw new S3ApiError('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed object size.', {
        fields: { ProposedSize: String(p.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(p.partNumber) },
      });
    }
  });
  const bodies = await Promise.all(parts.map((p) => ctx.store.readPart(upload, p)));
  const body = Buffer.concat(bodies);
  const etagHash = createHash('md5');
  for (const p of parts) etagHash.update(Buffer.from(p.etag.slice(1, -1), 'hex'));
  const algorithm = upload.meta.checksumAlgorithm;
  const checksums: Partial<Record<ChecksumName, string>> = {};
  let composite = false;
  if (algorithm && upload.meta.checksumType === 'COMPOSITE') {
    const joined = Buffer.concat(parts.map((p) => Buffer.from(p.checksums[algorithm] ?? '', 'base64')));
    checksums[algorithm] = `${computeChecksum(algorithm, joined)}-${parts.length}`;
    composite = true;
  } else {
    checksums[algorithm ?? 'crc64nvme'] = computeChecksum(algorithm ?? 'crc64nvme', body);
  }
  const version = await writeVersion(ctx, state, {
    key: ctx.key,
    received: { body, md5: createHash('md5').update(body).digest(), checksums, integrityProvided: true },
    etag: `"${etagHash.digest('hex')}-${parts.length}"`,
    ...(composite ? { checksumType: 'COMPOSITE' as const } : {}),
    ...(upload.meta.contentType !== undefined ? { contentType: upload.meta.contentType } : {}),
    headers: upload.meta.headers,
    metadata: upload.meta.metadata,
    ...(upload.meta.lockMode !== undefined ? { lockMode: upload.meta.lockMode, retainUntil: upload.meta.retainUntil } : {}),
    ...(upload.meta.legalHold !== undefined ? { legalHold: upload.meta.legalHold } : {}),
    beforeWrite: () => {
      if (ctx.store.uploads.get(upload.meta.uploadId) !== upload) throw noSuchUpload(upload.meta.uploadId);
    },
    afterWrite: () => ctx.store.removeUpload(upload.meta.uploadId),
  });
  const host = header(ctx, 'host') ?? '127.0.0.1';
  sendXml(
    ctx,
    'CompleteMultipartUploadResult',
    {
      Location: `http://${host}/${ctx.bucket}/${ctx.key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: ctx.bucket,
      Key: ctx.key,
      ETag: version.etag,
      ...Object.fromEntries(Object.entries(checksums).map(([n, v]) => [`Checksum${ChecksumAlgorithm[n as ChecksumName]}`, v])),
      ChecksumType: composite ? 'COMPOSITE' : 'FULL_OBJECT',
    },
    200,
    { 'x-amz-version-id': versionHeader(state, version), 'x-amz-server-side-encryption': 'AES256' },
  );
}

/** DELETE /bucket/key?uploadId=U */
export async function abortMultipartUpload(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:AbortMultipartUpload'], objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state));
  await ctx.store.exclusive(ctx.bucket, async () => {
    const upload = requireUpload(ctx);
    await ctx.store.removeUpload(upload.meta.uploadId);
  });
  send(ctx, 204, {});
}

/** GET /bucket/key?uploadId=U */
export async function listParts(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListMultipartUploadParts'], objectArn(ctx.bucket, ctx.key), writeConditionContext(ctx, state));
  const upload = requireUpload(ctx);
  const marker = Number(ctx.query.get('part-number-marker') ?? 0);
  const max = Math.min(Number(ctx.query.get('max-parts') ?? 1000), 1000);
  const all = [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  sendXml(ctx, 'ListPartsResult', {
    Bucket: ctx.bucket,
    Key: ctx.key,
    UploadId: upload.meta.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    '#raw': page
      .map((p) =>
        renderElement('Part', {
          PartNumber: p.partNumber,
          LastModified: p.lastModified,
          ETag: p.etag,
          Size: p.size,
          ...Object.fromEntries(Object.entries(p.checksums).map(([n, v]) => [`Checksum${ChecksumAlgorithm[n as ChecksumName]}`, v])),
        }),
      )
      .join(''),
    Initiator: owner,
    Owner: owner,
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: upload.meta.checksumAlgorithm ? ChecksumAlgorithm[upload.meta.checksumAlgorithm] : undefined,
    ChecksumType: upload.meta.checksumType,
  });
}

/** GET /bucket?uploads: in-progress uploads, by key then initiation. */
export async function listMultipartUploads(ctx: RequestContext): Promise<void> {
  const state = requireBucket(ctx);
  authorize(ctx, state, ['s3:ListBucketMultipartUploads'], `arn:aws:s3:::${ctx.bucket}`, writeConditionContext(ctx, state));
  const prefix = ctx.query.get('prefix') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? '';
  const max = Math.min(Number(ctx.query.get('max-uploads') ?? 1000), 1000);
  const all = [...ctx.store.uploads.values()]
    .map((u) => u.meta)
    .filter((u) => u.bucket === ctx.bucket && u.key.startsWith(prefix))
    .sort((a, b) => (a.key === b.key ? a.initiated.localeCompare(b.initiated) : Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))))
    .filter((u) => {
      if (!keyMarker) return true;
      const cmp = Buffer.compare(Buffer.from(u.key), Buffer.from(keyMarker));
      if (cmp !== 0) return cmp > 0;
      return uploadIdMarker !== '' && u.uploadId > uploadIdMarker;
    });
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const last = page[page.length - 1];
  sendXml(ctx, 'ListMultipartUploadsResult', {
    Bucket: ctx.bucket,
    KeyMarker: keyMarker,
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated ? last?.key : undefined,
    NextUploadIdMarker: truncated ? last?.uploadId : undefined,
    Prefix: prefix,
    MaxUploads: max,
    IsTruncated: truncated,
    Upload: page.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: owner,
      Owner: owner,
      StorageClass: 'STANDARD',
      Initiated: u.initiated,
      ChecksumAlgorithm: u.checksumAlgorithm ? ChecksumAlgorithm[u.checksumAlgorithm] : undefined,
      ChecksumType: u.checksumType,
    })),
  });
}

