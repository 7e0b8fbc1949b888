import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as buckets from './buckets';
import { newRequestId, send, sendError, type RequestContext } from './context';
import { ConfigurationError, S3ApiError, s3Errors } from './errors';
import * as listing from './listing';
import * as multipart from './multipart';
import * as objects from './objects';
import { Store } from './store';

/** Options of {@link startLocalS3}. */
export interface LocalS3Options {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  /** Directory that holds buckets, versions and bodies across restarts; omitted keeps everything in memory. */
  dataDir?: string;
  /** Largest body a single PUT accepts, in bytes (bodies are held in memory while checked). Default 64 MiB. */
  maxObjectSize?: number;
  /** Region reported by HeadBucket. Default us-east-1. */
  region?: string;
  /** Receives unexpected (500) errors; defaults to `console.error`. */
  onError?: (error: unknown) => void;
}

/** A running local S3 endpoint. */
export interface LocalS3Server {
  /** Base URL for `new S3Client({ endpoint, forcePathStyle: true })`. */
  endpoint: string;
  port: number;
  host: string;
  /** Stops accepting requests, closes open connections and resolves once the socket is closed. */
  stop(): Promise<void>;
}

/** Query parameters that name an S3 sub-resource this server does not implement. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'tagging', 'cors', 'website', 'lifecycle', 'logging', 'notification', 'replication',
  'encryption', 'accelerate', 'requestPayment', 'analytics',
  'inventory', 'metrics', 'ownershipControls', 'publicAccessBlock', 'intelligent-tiering',
  'restore', 'select', 'torrent', 'attributes', 'policyStatus', 'object-lambda',
];

type Handler = (ctx: RequestContext) => Promise<void>;

function route(ctx: RequestContext): Handler {
  const q = ctx.query;
  const { method } = ctx;
  if (!ctx.bucket) {
    if (method === 'GET') return buckets.listBuckets;
    throw s3Errors.methodNotAllowed();
  }
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => q.has(name));
  if (unsupported) throw s3Errors.notImplemented(`This local endpoint does not implement the '${unsupported}' sub-resource`);
  if (Buffer.byteLength(ctx.key, 'utf8') > 1024) {
    throw new S3ApiError('KeyTooLongError', 400, 'Your key is too long', {
      fields: { Size: String(Buffer.byteLength(ctx.key, 'utf8')), MaxSizeAllowed: '1024' },
    });
  }
  if (!ctx.key) {
    switch (method) {
      case 'PUT':
        if (q.has('versioning')) return buckets.putBucketVersioning;
        if (q.has('object-lock')) return buckets.putObjectLockConfiguration;
        if (q.has('policy')) return buckets.putBucketPolicy;
        return buckets.createBucket;
      case 'GET':
        if (q.has('versioning')) return buckets.getBucketVersioning;
        if (q.has('object-lock')) return buckets.getObjectLockConfiguration;
        if (q.has('policy')) return buckets.getBucketPolicy;
        if (q.has('location')) return buckets.getBucketLocation;
        if (q.has('versions')) return listing.listObjectVersions;
        if (q.has('uploads')) return multipart.listMultipartUploads;
        if (q.get('list-type') === '2') return listing.listObjectsV2;
        return listing.listObjects;
      case 'HEAD':
        return buckets.headBucket;
      case 'DELETE':
        if (q.has('policy')) return buckets.deleteBucketPolicy;
        return buckets.deleteBucket;
      case 'POST':
        if (q.has('delete')) return objects.deleteObjects;
        break;
    }
    throw s3Errors.methodNotAllowed();
  }
  if (q.has('uploadId')) {
    if (method === 'PUT' && q.has('partNumber')) return multipart.uploadPart;
    if (method === 'POST') return multipart.completeMultipartUpload;
    if (method === 'DELETE') return multipart.abortMultipartUpload;
    if (method === 'GET') return multipart.listParts;
    throw s3Errors.methodNotAllowed();
  }
  if (q.has('partNumber')) throw s3Errors.notImplemented('Reading a single part is not implemented by this local endpoint');
  switch (method) {
    case 'POST':
      if (q.has('uploads')) return multipart.createMultipartUpload;
      break;
    case 'PUT':
      if (q.has('retention')) return objects.putObjectRetention;
      if (q.has('legal-hold')) return objects.putObjectLegalHold;
      if (ctx.req.headers['x-amz-copy-source'] !== undefined) return objects.copyObject;
      return objects.putObject;
    case 'GET':
      if (q.has('retention')) return objects.getObjectRetention;
      if (q.has('legal-hold')) return objects.getObjectLegalHold;
      return objects.getObject;
    case 'HEAD':
      return objects.getObject;
    case 'DELETE':
      return objects.deleteObject;
  }
  throw s3Errors.methodNotAllowed();
}

/** Splits a path-style URL into bucket and key; the key keeps every `/` after the bucket's. */
function parsePath(rawPath: string): { bucket: string; key: string } {
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = path.indexOf('/');
  const rawBucket = slash < 0 ? path : path.slice(0, slash);
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  try {
    return { bucket: decodeURIComponent(rawBucket), key: decodeURIComponent(rawKey) };
  } catch (cause) {
    throw new S3ApiError('InvalidURI', 400, "Couldn't parse the specified URI.", { cause });
  }
}

async function handle(store: Store, options: Required<Pick<LocalS3Options, 'maxObjectSize' | 'region' | 'onError'>>, req: IncomingMessage, res: ServerResponse) {
  const requestId = newRequestId();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const base = { req, res, method, path, requestId };
  try {
    if (path === '/_health') {
      send(base, 200, { 'content-type': 'application/json' }, JSON.stringify({ status: 'ok' }));
      return;
    }
    const { bucket, key } = parsePath(path);
    const ctx: RequestContext = {
      ...base,
      store,
      bucket,
      key,
      // A literal '+' in an S3 query is a plus, not a space.
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1).replace(/\+/g, '%2B')),
      maxObjectSize: options.maxObjectSize,
      region: options.region,
    };
    await route(ctx)(ctx);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof S3ApiError) {
      sendError(base, error);
    } else {
      options.onError(error);
      sendError(base, new S3ApiError('InternalError', 500, 'We encountered an internal error. Please try again.', { cause: error }));
    }
    // A rejected upload may still be streaming its body; stop reading it rather than buffer it.
    if (!req.complete) req.once('end', () => undefined).resume();
  }
}

/**
 * Starts an S3-compatible endpoint with versioning, Object Lock, conditional writes and bucket
 * policy enforcement, for `@aws-sdk/client-s3` with `forcePathStyle: true`. Any credentials are
 * accepted; signatures are not checked. `GET /_health` answers 200 for readiness probes.
 */
export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3Server> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError(`invalid port ${port}`);
  const store = await Store.open(options.dataDir);
  const settings = {
    maxObjectSize: options.maxObjectSize ?? 64 * 1024 * 1024,
    region: options.region ?? 'us-east-1',
    onError: options.onError ?? ((error: unknown) => console.error('local-s3: internal error', error)),
  };
  const server = createServer((req, res) => {
    // An error while answering (say, the client went away) must not become an unhandled rejection.
    handle(store, settings, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => reject(new ConfigurationError(`cannot listen on ${host}:${port}`, { cause })));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
