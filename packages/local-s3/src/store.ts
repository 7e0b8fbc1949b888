import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChecksumName } from './checksums';
import { StorageError } from './errors';

/** Object Lock retention modes. */
export const RetentionMode = { GOVERNANCE: 'GOVERNANCE', COMPLIANCE: 'COMPLIANCE' } as const;
/** `GOVERNANCE` or `COMPLIANCE`. */
export type RetentionMode = (typeof RetentionMode)[keyof typeof RetentionMode];

/** A bucket's default retention: applied to every new version that brings none of its own. */
export interface DefaultRetention {
  mode: RetentionMode;
  days?: number;
  years?: number;
}

/** Everything known about a bucket apart from its objects. */
export interface BucketMeta {
  name: string;
  /** ISO 8601 UTC with ms. */
  createdAt: string;
  /** Absent until versioning was first configured, as in S3. */
  versioning?: 'Enabled' | 'Suspended';
  objectLockEnabled: boolean;
  defaultRetention?: DefaultRetention;
  /** The policy document exactly as it was put. */
  policy?: string;
}

/** One version of a key: an object version or a delete marker. */
export interface VersionMeta {
  key: string;
  /** `null` for versions written while versioning was never enabled or is suspended. */
  versionId: string;
  /** Monotonic write order across the whole store; sorts versions newest-first. */
  seq: number;
  deleteMarker: boolean;
  /** ISO 8601 UTC with ms. */
  lastModified: string;
  /** Quoted MD5 hex of the body. */
  etag: string;
  size: number;
  contentType?: string;
  /** Stored representation headers (cache-control, content-disposition, content-encoding, content-language, expires). */
  headers: Record<string, string>;
  /** User metadata, names without the `x-amz-meta-` prefix. */
  metadata: Record<string, string>;
  checksums: Partial<Record<ChecksumName, string>>;
  /** Multipart objects carry a checksum of part checksums (`<base64>-<parts>`). */
  checksumType?: 'COMPOSITE';
  retention?: { mode: RetentionMode; retainUntil: string };
  legalHold?: boolean;
  /** Name of the blob holding the body; unique per write so a replaced `null` version never shares a file. */
  blob?: string;
}

/** A bucket and its keys, each with versions newest first. */
export interface BucketState {
  meta: BucketMeta;
  objects: Map<string, VersionMeta[]>;
  /** Keys in S3's listing order, rebuilt only after a key appears or disappears. */
  sortedKeys?: string[];
}

/** S3 orders keys by their UTF-8 bytes, which differs from JS string order beyond the BMP. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The bucket's keys in listing order. */
export function sortedKeys(state: BucketState): string[] {
  state.sortedKeys ??= [...state.objects.keys()].sort(compareKeys);
  return state.sortedKeys;
}

/** An in-progress multipart upload: what CreateMultipartUpload fixed for the object to be. */
export interface UploadMeta {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO 8601 UTC with ms. */
  initiated: string;
  contentType?: string;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  lockMode?: RetentionMode;
  retainUntil?: string;
  legalHold?: boolean;
  checksumAlgorithm?: ChecksumName;
  checksumType?: 'COMPOSITE' | 'FULL_OBJECT';
}

/** One uploaded part. */
export interface PartMeta {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksums: Partial<Record<ChecksumName, string>>;
  blob: string;
}

/** An upload and its parts by number. */
export interface UploadState {
  meta: UploadMeta;
  parts: Map<number, PartMeta>;
}

interface Persistence {
  loadUploads(): Promise<UploadState[]>;
  writeUpload(meta: UploadMeta): Promise<void>;
  writePart(uploadId: string, part: PartMeta, body: Buffer): Promise<void>;
  removePartBlob(uploadId: string, blob: string): Promise<void>;
  readPart(uploadId: string, part: PartMeta): Promise<Buffer>;
  removeUpload(uploadId: string): Promise<void>;
  load(): Promise<BucketState[]>;
  writeBucket(meta: BucketMeta): Promise<void>;
  removeBucket(name: string): Promise<void>;
  writeBlob(bucket: string, key: string, blob: string, body: Buffer): Promise<void>;
  writeVersion(bucket: string, version: VersionMeta): Promise<void>;
  removeVersion(bucket: string, version: VersionMeta): Promise<void>;
  removeBlob(bucket: string, key: string, blob: string): Promise<void>;
  readBlob(bucket: string, key: string, blob: string): Promise<Buffer>;
}

class MemoryPersistence implements Persistence {
  private readonly blobs = new Map<string, Buffer>();
  private readonly partBlobs = new Map<string, Buffer>();
  async loadUploads() {
    return [];
  }
  async writeUpload() {}
  async writePart(uploadId: string, part: PartMeta, body: Buffer) {
    this.partBlobs.set(`${uploadId}\u0000${part.blob}`, body);
  }
  async removePartBlob(uploadId: string, blob: string) {
    this.partBlobs.delete(`${uploadId}\u0000${blob}`);
  }
  async readPart(uploadId: string, part: PartMeta) {
    const body = this.partBlobs.get(`${uploadId}\u0000${part.blob}`);
    if (!body) throw new StorageError(`missing part ${part.partNumber} of upload ${uploadId}`);
    return body;
  }
  async removeUpload(uploadId: string) {
    for (const id of this.partBlobs.keys()) if (id.startsWith(`${uploadId}\u0000`)) this.partBlobs.delete(id);
  }
  private id(bucket: string, key: string, blob: string) {
    return `${bucket}\u0000${key}\u0000${blob}`;
  }
  async load() {
    return [];
  }
  async writeBucket() {}
  async removeBucket(name: string) {
    for (const id of this.blobs.keys()) if (id.startsWith(`${name}\u0000`)) this.blobs.delete(id);
  }
  async writeBlob(bucket: string, key: string, blob: string, body: Buffer) {
    this.blobs.set(this.id(bucket, key, blob), body);
  }
  async writeVersion() {}
  async removeVersion() {}
  async removeBlob(bucket: string, key: string, blob: string) {
    this.blobs.delete(this.id(bucket, key, blob));
  }
  async readBlob(bucket: string, key: string, blob: string) {
    const body = this.blobs.get(this.id(bucket, key, blob));
    if (!body) throw new StorageError(`missing body for ${bucket}/${key}`);
    return body;
  }
}

/**
 * Layout: `buckets/<bucket>/bucket.json`, and per key a directory named by the SHA-256 of the key
 * (keys may be 1024 bytes and contain anything) holding `<versionId>.json` and `<blob>.data`.
 * A version exists once its JSON is renamed into place; bodies are written first, so a crash
 * leaves at worst an unreferenced blob, which the next start removes.
 */
class DirectoryPersistence implements Persistence {
  constructor(private readonly root: string) {}

  private bucketDir(bucket: string) {
    return join(this.root, 'buckets', bucket);
  }
  private keyDir(bucket: string, key: string) {
    return join(this.bucketDir(bucket), 'objects', createHash('sha256').update(key).digest('hex'));
  }

  private async atomicWrite(file: string, data: Buffer | string) {
    const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  }

  private uploadDir(uploadId: string) {
    return join(this.root, 'uploads', uploadId);
  }

  async loadUploads(): Promise<UploadState[]> {
    const uploadsDir = join(this.root, 'uploads');
    await mkdir(uploadsDir, { recursive: true });
    const states: UploadState[] = [];
    for (const uploadId of await readdir(uploadsDir)) {
      const dir = this.uploadDir(uploadId);
      let meta: UploadMeta;
      try {
        meta = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as UploadMeta;
      } catch {
        // Created but never committed: the upload does not exist.
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      const files = await readdir(dir);
      const parts = new Map<number, PartMeta>();
      for (const file of files.filter((f) => /^part-\d+\.json$/.test(f))) {
        const part = JSON.parse(await readFile(join(dir, file), 'utf8')) as PartMeta;
        parts.set(part.partNumber, part);
      }
      const referenced = new Set([...parts.values()].map((p) => `${p.blob}.data`));
      for (const file of files) {
        if (file.includes('.tmp-') || (file.endsWith('.data') && !referenced.has(file))) await rm(join(dir, file), { force: true });
      }
      states.push({ meta, parts });
    }
    return states;
  }

  async writeUpload(meta: UploadMeta) {
    await mkdir(this.uploadDir(meta.uploadId), { recursive: true });
    await this.atomicWrite(join(this.uploadDir(meta.uploadId), 'upload.json'), JSON.stringify(meta));
  }

  async writePart(uploadId: string, part: PartMeta, body: Buffer) {
    const dir = this.uploadDir(uploadId);
    await this.atomicWrite(join(dir, `${part.blob}.data`), body);
    await this.atomicWrite(join(dir, `part-${part.partNumber}.json`), JSON.stringify(part));
  }

  async removePartBlob(uploadId: string, blob: string) {
    await rm(join(this.uploadDir(uploadId), `${blob}.data`), { force: true });
  }

  async readPart(uploadId: string, part: PartMeta) {
    try {
      return await readFile(join(this.uploadDir(uploadId), `${part.blob}.data`));
    } catch (cause) {
      throw new StorageError(`missing part ${part.partNumber} of upload ${uploadId}`, { cause });
    }
  }

  async removeUpload(uploadId: string) {
    // upload.json goes first: without it the upload no longer exists, whatever rm leaves behind.
    await rm(join(this.uploadDir(uploadId), 'upload.json'), { force: true });
    await rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  async load(): Promise<BucketState[]> {
    const bucketsDir = join(this.root, 'buckets');
    await mkdir(bucketsDir, { recursive: true });
    const states: BucketState[] = [];
    for (const name of await readdir(bucketsDir)) {
      if (name.includes('.deleting-')) {
        await rm(join(bucketsDir, name), { recursive: true, force: true });
        continue;
      }
      let meta: BucketMeta;
      try {
        meta = JSON.parse(await readFile(join(bucketsDir, name, 'bucket.json'), 'utf8')) as BucketMeta;
      } catch (cause) {
        throw new StorageError(`cannot read bucket ${name}`, { cause });
      }
      const objects = new Map<string, VersionMeta[]>();
      const objectsDir = join(bucketsDir, name, 'objects');
      await mkdir(objectsDir, { recursive: true });
      for (const keyDir of await readdir(objectsDir)) {
        const dir = join(objectsDir, keyDir);
        const files = await readdir(dir);
        const versions: VersionMeta[] = [];
        for (const file of files.filter((f) => f.endsWith('.json'))) {
          versions.push(JSON.parse(await readFile(join(dir, file), 'utf8')) as VersionMeta);
        }
        const referenced = new Set(versions.map((v) => `${v.blob}.data`));
        for (const file of files) {
          if (file.includes('.tmp-') || (file.endsWith('.data') && !referenced.has(file))) {
            await rm(join(dir, file), { force: true });
          }
        }
        if (versions.length === 0) {
          await rm(dir, { recursive: true, force: true });
          continue;
        }
        versions.sort((a, b) => b.seq - a.seq);
        objects.set(versions[0].key, versions);
      }
      states.push({ meta, objects });
    }
    return states;
  }

  async writeBucket(meta: BucketMeta) {
    await mkdir(join(this.bucketDir(meta.name), 'objects'), { recursive: true });
    await this.atomicWrite(join(this.bucketDir(meta.name), 'bucket.json'), JSON.stringify(meta, null, 2));
  }

  async removeBucket(name: string) {
    // Renaming first makes the removal atomic for the next start, whatever rm leaves behind.
    const doomed = `${this.bucketDir(name)}.deleting-${randomBytes(6).toString('hex')}`;
    await rename(this.bucketDir(name), doomed);
    await rm(doomed, { recursive: true, force: true });
  }

  async writeBlob(bucket: string, key: string, blob: string, body: Buffer) {
    const dir = this.keyDir(bucket, key);
    await mkdir(dir, { recursive: true });
    await this.atomicWrite(join(dir, `${blob}.data`), body);
  }

  async writeVersion(bucket: string, version: VersionMeta) {
    const dir = this.keyDir(bucket, version.key);
    await mkdir(dir, { recursive: true });
    await this.atomicWrite(join(dir, `${version.versionId}.json`), JSON.stringify(version));
  }

  async removeVersion(bucket: string, version: VersionMeta) {
    const dir = this.keyDir(bucket, version.key);
    await unlink(join(dir, `${version.versionId}.json`));
    if (version.blob) await rm(join(dir, `${version.blob}.data`), { force: true });
  }

  async removeBlob(bucket: string, key: string, blob: string) {
    await rm(join(this.keyDir(bucket, key), `${blob}.data`), { force: true });
  }

  async readBlob(bucket: string, key: string, blob: string) {
    try {
      return await readFile(join(this.keyDir(bucket, key), `${blob}.data`));
    } catch (cause) {
      throw new StorageError(`missing body for ${bucket}/${key}`, { cause });
    }
  }
}

/** A fresh opaque version id: URL- and filename-safe, never `null`. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The server's state: bucket and version metadata held in memory, bodies in memory or in a
 * directory. Mutations of one bucket run one at a time (see {@link Store.exclusive}) so that a
 * condition checked (If-None-Match, Object Lock) still holds when the write lands.
 */
export class Store {
  readonly buckets = new Map<string, BucketState>();
  /** In-progress multipart uploads by upload id. */
  readonly uploads = new Map<string, UploadState>();
  private seq = 0;
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(private readonly persistence: Persistence) {}

  /** Opens a store, loading everything from `dataDir` when given. */
  static async open(dataDir?: string): Promise<Store> {
    const store = new Store(dataDir ? new DirectoryPersistence(dataDir) : new MemoryPersistence());
    for (const state of await store.persistence.load()) {
      store.buckets.set(state.meta.name, state);
      for (const versions of state.objects.values()) {
        for (const v of versions) store.seq = Math.max(store.seq, v.seq);
      }
    }
    for (const upload of await store.persistence.loadUploads()) store.uploads.set(upload.meta.uploadId, upload);
    return store;
  }

  /** Runs `fn` after every earlier mutation of `bucket` has finished. */
  exclusive<T>(bucket: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(bucket) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(bucket, settled);
    void settled.then(() => {
      if (this.queues.get(bucket) === settled) this.queues.delete(bucket);
    });
    return run;
  }

  /** The next write-order number. */
  nextSeq(): number {
    return ++this.seq;
  }

  async saveBucket(meta: BucketMeta): Promise<void> {
    await this.persistence.writeBucket(meta);
    const existing = this.buckets.get(meta.name);
    if (existing) existing.meta = meta;
    else this.buckets.set(meta.name, { meta, objects: new Map() });
  }

  /** Deletes a bucket and abandons its in-progress uploads. */
  async deleteBucket(name: string): Promise<void> {
    await this.persistence.removeBucket(name);
    this.buckets.delete(name);
    for (const upload of [...this.uploads.values()]) {
      if (upload.meta.bucket === name) await this.removeUpload(upload.meta.uploadId);
    }
  }

  async createUpload(meta: UploadMeta): Promise<void> {
    await this.persistence.writeUpload(meta);
    this.uploads.set(meta.uploadId, { meta, parts: new Map() });
  }

  /** Stores a part, replacing an earlier part with the same number. */
  async putPart(upload: UploadState, part: Omit<PartMeta, 'blob'>, body: Buffer): Promise<PartMeta> {
    const stored: PartMeta = { ...part, blob: `part-${part.partNumber}-${randomBytes(6).toString('hex')}` };
    await this.persistence.writePart(upload.meta.uploadId, stored, body);
    const previous = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, stored);
    if (previous) await this.persistence.removePartBlob(upload.meta.uploadId, previous.blob);
    return stored;
  }

  readPart(upload: UploadState, part: PartMeta): Promise<Buffer> {
    return this.persistence.readPart(upload.meta.uploadId, part);
  }

  async removeUpload(uploadId: string): Promise<void> {
    await this.persistence.removeUpload(uploadId);
    this.uploads.delete(uploadId);
  }

  /**
   * Adds `version` as the newest version of its key. With `replaceNull`, an existing `null`
   * version is replaced (unversioned and suspended buckets), as S3 does.
   */
  async putVersion(bucket: string, version: VersionMeta, body: Buffer | undefined): Promise<void> {
    const state = this.requireBucket(bucket);
    if (body !== undefined) {
      version.blob = `${version.versionId}-${randomBytes(6).toString('hex')}`;
      await this.persistence.writeBlob(bucket, version.key, version.blob, body);
    }
    await this.persistence.writeVersion(bucket, version);
    const versions = state.objects.get(version.key) ?? [];
    if (versions.length === 0) state.sortedKeys = undefined;
    const replaced = versions.find((v) => v.versionId === version.versionId);
    const rest = versions.filter((v) => v !== replaced);
    state.objects.set(version.key, [version, ...rest]);
    if (replaced?.blob) await this.persistence.removeBlob(bucket, version.key, replaced.blob);
  }

  /** Replaces a version's metadata (retention, legal hold); memory changes only once it is stored. */
  async updateVersion(bucket: string, current: VersionMeta, updated: VersionMeta): Promise<void> {
    const state = this.requireBucket(bucket);
    await this.persistence.writeVersion(bucket, updated);
    const versions = state.objects.get(current.key) ?? [];
    state.objects.set(
      current.key,
      versions.map((v) => (v === current ? updated : v)),
    );
  }

  /** Removes one version (or delete marker) for good. */
  async removeVersion(bucket: string, version: VersionMeta): Promise<void> {
    const state = this.requireBucket(bucket);
    await this.persistence.removeVersion(bucket, version);
    const rest = (state.objects.get(version.key) ?? []).filter((v) => v !== version);
    if (rest.length) state.objects.set(version.key, rest);
    else {
      state.objects.delete(version.key);
      state.sortedKeys = undefined;
    }
  }

  /** The body of a version that is not a delete marker. */
  readBody(bucket: string, version: VersionMeta): Promise<Buffer> {
    if (!version.blob) return Promise.resolve(Buffer.alloc(0));
    return this.persistence.readBlob(bucket, version.key, version.blob);
  }

  private requireBucket(bucket: string): BucketState {
    const state = this.buckets.get(bucket);
    if (!state) throw new StorageError(`bucket ${bucket} vanished`);
    return state;
  }
}
