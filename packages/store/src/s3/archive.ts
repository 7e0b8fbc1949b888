import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { ArchiveConflictError, S3StoreError } from '../errors';
import type { Archive, ArchiveEntry, ArchiveReceipt } from '../ports';

/** Options of {@link S3Archive}. */
export interface S3ArchiveOptions {
  readonly client: S3Client;
  /** A bucket with Object Lock (default retention COMPLIANCE) and the write-once policy. */
  readonly bucket: string;
}

const sha256 = (body: Uint8Array): string => createHash('sha256').update(body).digest('base64');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * The WORM archive in S3. Each key is written once with `If-None-Match: *`
 * and a SHA-256 checksum; the bucket's default retention locks the version.
 * A retry that finds the key taken compares the stored bytes: identical bytes
 * are the earlier write of the same message, anything else is a conflict.
 */
export class S3Archive implements Archive {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3ArchiveOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async put(entry: ArchiveEntry): Promise<ArchiveReceipt> {
    const checksum = sha256(entry.body);
    try {
      const result = await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: entry.key,
          Body: entry.body,
          ContentType: entry.contentType ?? 'application/xml',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksum,
          ...(entry.metadata ? { Metadata: { ...entry.metadata } } : {}),
        }),
      );
      return { key: entry.key, sha256: checksum, alreadyArchived: false, ...(result.VersionId ? { versionId: result.VersionId } : {}) };
    } catch (error) {
      if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)) {
        throw new S3StoreError(`Could not archive ${entry.key}`, { cause: error });
      }
      const stored = await this.get(entry.key);
      if (stored && sameBytes(stored, entry.body)) return { key: entry.key, sha256: checksum, alreadyArchived: true };
      throw new ArchiveConflictError(entry.key, { cause: error });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw new S3StoreError(`Could not read ${key} from the archive`, { cause: error });
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      // A HEAD answer has no body, so a missing key is a bare 404.
      if (error instanceof NotFound || (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode === 404) return false;
      throw new S3StoreError(`Could not look ${key} up in the archive`, { cause: error });
    }
  }
}
