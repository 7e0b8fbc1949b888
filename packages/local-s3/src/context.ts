import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAwsChunked, verifyChecksums, verifyContentMd5, type ChecksumName } from './checksums';
import { S3ApiError, s3Errors } from './errors';
import { policyDenies, parseBucketPolicy } from './policy';
import type { BucketState, Store } from './store';
import { renderDocument, type XmlNode } from './xml';

/** One request as the handlers see it: path-style bucket and key, query, lower-case headers. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  store: Store;
  method: string;
  /** The raw path, used as `Resource` in error documents. */
  path: string;
  bucket: string;
  /** Decoded object key; empty for bucket requests. */
  key: string;
  query: URLSearchParams;
  requestId: string;
  maxObjectSize: number;
  region: string;
}

/** A received body after transfer decoding and integrity checks. */
export interface ReceivedBody {
  body: Buffer;
  md5: Buffer;
  /** Checksums the client supplied (header or trailer) and that matched. */
  checksums: Partial<Record<ChecksumName, string>>;
  /** True when the client supplied Content-MD5 or any `x-amz-checksum-*`. */
  integrityProvided: boolean;
}

/** A single header value, or undefined. */
export function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Generates the request id pair S3 sends with every response. */
export function newRequestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

function baseHeaders(ctx: Pick<RequestContext, 'requestId'>): Record<string, string> {
  return {
    'x-amz-request-id': ctx.requestId,
    'x-amz-id-2': createHash('sha256').update(ctx.requestId).digest('base64'),
    date: new Date().toUTCString(),
    server: 'AmazonS3',
  };
}

/** Sends a response; HEAD requests never carry a body, but keep their Content-Length. */
export function send(
  ctx: Pick<RequestContext, 'res' | 'requestId' | 'method'>,
  status: number,
  headers: Record<string, string | undefined>,
  body?: Buffer | string,
): void {
  const all: Record<string, string> = baseHeaders(ctx);
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) all[name] = value;
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  if (all['content-length'] === undefined) all['content-length'] = String(payload.length);
  ctx.res.writeHead(status, all);
  ctx.res.end(ctx.method === 'HEAD' ? undefined : payload);
}

/** Sends an XML document with status 200 (or `status`). */
export function sendXml(ctx: RequestContext, root: string, body: XmlNode, status = 200, headers: Record<string, string | undefined> = {}): void {
  send(ctx, status, { 'content-type': 'application/xml', ...headers }, renderDocument(root, body));
}

/** Sends an S3 error document (headers only for HEAD, as S3 does). */
export function sendError(ctx: Pick<RequestContext, 'res' | 'requestId' | 'method' | 'path'>, error: S3ApiError): void {
  const doc = renderDocument(
    'Error',
    {
      Code: error.code,
      Message: error.message,
      ...error.fields,
      Resource: ctx.path,
      RequestId: ctx.requestId,
      HostId: createHash('sha256').update(ctx.requestId).digest('base64'),
    },
    null,
  );
  send(ctx, error.status, { 'content-type': 'application/xml', ...error.headers }, doc);
}

/** The bucket addressed by the request, or NoSuchBucket. */
export function requireBucket(ctx: RequestContext): BucketState {
  const state = ctx.store.buckets.get(ctx.bucket);
  if (!state) throw s3Errors.noSuchBucket(ctx.bucket);
  return state;
}

/** Condition keys every request carries, plus the ones given. */
export function conditionContext(ctx: RequestContext, extra: Record<string, string | undefined> = {}) {
  return {
    'aws:securetransport': 'false',
    'aws:currenttime': new Date().toISOString(),
    'aws:sourceip': ctx.req.socket.remoteAddress,
    'aws:useragent': header(ctx, 'user-agent'),
    's3:x-amz-content-sha256': header(ctx, 'x-amz-content-sha256'),
    's3:signatureversion': header(ctx, 'authorization')?.startsWith('AWS4-') ? 'AWS4-HMAC-SHA256' : undefined,
    ...extra,
  };
}

/**
 * Answers AccessDenied when the bucket policy explicitly denies any of `actions` on `resource`.
 * The policy operations themselves are never evaluated, as for an account's root user, so a
 * deny-all policy cannot lock a developer out of their own local bucket.
 */
export function authorize(
  ctx: RequestContext,
  state: BucketState,
  actions: string[],
  resource: string,
  context: Record<string, string | undefined>,
): void {
  if (!state.meta.policy) return;
  const policy = parseBucketPolicy(state.meta.policy);
  for (const action of actions) {
    if (policyDenies(policy, { action, resource, context })) throw s3Errors.accessDenied();
  }
}

/** Reads the raw request body, refusing more than `limit` bytes. */
async function readRaw(ctx: RequestContext, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw entityTooLarge(size, ctx.maxObjectSize);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function entityTooLarge(size: number, max: number): S3ApiError {
  return new S3ApiError('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
    fields: { ProposedSize: String(size), MaxSizeAllowed: String(max) },
  });
}

/**
 * Reads and checks a request body: decodes `aws-chunked` (the SDK's default for streamed bodies,
 * with its checksum in a trailer), checks the decoded length, `x-amz-content-sha256`,
 * `Content-MD5` and every `x-amz-checksum-*` header or trailer.
 */
export async function receiveBody(ctx: RequestContext): Promise<ReceivedBody> {
  const declared = Number(header(ctx, 'x-amz-decoded-content-length') ?? header(ctx, 'content-length') ?? 0);
  if (declared > ctx.maxObjectSize) throw entityTooLarge(declared, ctx.maxObjectSize);
  const contentSha = header(ctx, 'x-amz-content-sha256');
  const chunked =
    (contentSha?.startsWith('STREAMING-') ?? false) ||
    (header(ctx, 'content-encoding') ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
  // Chunk framing adds a little per chunk, so allow generous slack over the object limit.
  const raw = await readRaw(ctx, chunked ? ctx.maxObjectSize * 2 + 65_536 : ctx.maxObjectSize);
  let body = raw;
  const given: Record<string, string> = {};
  if (chunked) {
    const decoded = decodeAwsChunked(raw);
    body = decoded.body;
    const decodedLength = header(ctx, 'x-amz-decoded-content-length');
    if (decodedLength !== undefined && Number(decodedLength) !== body.length) {
      throw new S3ApiError('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    }
    for (const [name, value] of Object.entries(decoded.trailers)) if (name.startsWith('x-amz-checksum-')) given[name] = value;
    const expected = header(ctx, 'x-amz-trailer');
    if (expected && decoded.trailers[expected.toLowerCase()] === undefined) {
      throw new S3ApiError('MalformedTrailerError', 400, 'The request contained trailing data that was not well-formed or did not conform to our published schema.');
    }
  } else if (contentSha && /^[0-9a-f]{64}$/.test(contentSha)) {
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== contentSha) {
      throw new S3ApiError('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        fields: { ClientComputedContentSHA256: contentSha, S3ComputedContentSHA256: actual },
      });
    }
  }
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type' && name !== 'x-amz-checksum-mode' && typeof value === 'string') {
      given[name] = value;
    }
  }
  const md5 = createHash('md5').update(body).digest();
  const contentMd5 = header(ctx, 'content-md5');
  verifyContentMd5(contentMd5, md5);
  const checksums = verifyChecksums(given, body);
  return { body, md5, checksums, integrityProvided: contentMd5 !== undefined || Object.keys(checksums).length > 0 };
}

/** Requests that S3 only accepts with an integrity header (multi-delete, lock configuration, retention). */
export function requireIntegrity(received: ReceivedBody): void {
  if (!received.integrityProvided) {
    throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5');
  }
}
