import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { StorageError } from './errors';
import { BATCH_HEADER_SIZE, batchCrcIsValid, readBatchHeader, type BatchHeader } from './records';

const fdatasync = promisify(fs.fdatasync);

/** Per-topic settings that shape a partition's log. */
export interface LogConfig {
  /** Roll to a new segment file once the active one reaches this size. */
  segmentBytes: number;
  /** Delete whole segments whose newest record is older than this; -1 keeps forever. */
  retentionMs: number;
  /** Delete the oldest segments while the partition is bigger than this; -1 means no limit. */
  retentionBytes: number;
}

interface BatchEntry {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  position: number;
  size: number;
  /** In-memory mode keeps the bytes here; file mode reads them back from the segment. */
  data?: Buffer;
}

interface Segment {
  baseOffset: number;
  entries: BatchEntry[];
  size: number;
  maxTimestamp: number;
  fd: number | null;
  indexFd: number | null;
  logPath: string | null;
  indexPath: string | null;
}

// An index entry maps a batch's base offset to its byte position in the segment.
const INDEX_ENTRY_SIZE = 12;
const PRODUCER_BATCHES_KEPT = 5;

interface ProducerBatch {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}
interface ProducerState {
  epoch: number;
  batches: ProducerBatch[];
}

/** Outcome of appending one produced batch. */
export type AppendResult =
  | { kind: 'appended'; baseOffset: number }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'rejected'; error: number };

/** Produce error codes decided by the log. */
export const AppendError = {
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
} as const;

function segmentName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

function nextSeq(seq: number, count: number): number {
  // Sequences wrap at int32 max as in Kafka.
  return (seq + count) % 0x80000000;
}

/**
 * One partition's append-only log: a list of segments, each a file of record batches
 * plus an index of batch positions, or plain buffers when `dir` is null.
 */
export class PartitionLog {
  private segments: Segment[] = [];
  private nextOffset = 0;
  private writes = 0;
  private synced = 0;
  private syncing: Promise<void> | null = null;
  private producers = new Map<number, ProducerState>();
  private waiters = new Set<() => void>();

  private constructor(
    private readonly dir: string | null,
    public config: LogConfig,
  ) {}

  /** Opens (and recovers) the log in `dir`, or makes an in-memory one when `dir` is null. */
  static open(dir: string | null, config: LogConfig): PartitionLog {
    const log = new PartitionLog(dir, config);
    if (dir === null) {
      log.segments.push(log.newSegment(0));
      return log;
    }
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      // The partition's directory entry must be on disk before any record acknowledged in it.
      const parent = fs.openSync(path.dirname(dir), 'r');
      try {
        fs.fsyncSync(parent);
      } finally {
        fs.closeSync(parent);
      }
    }
    const bases = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => Number(f.slice(0, -4)))
      .sort((a, b) => a - b);
    bases.forEach((base, i) => log.recoverSegment(base, i === bases.length - 1));
    if (log.segments.length === 0) log.segments.push(log.newSegment(0));
    const last = log.segments[log.segments.length - 1];
    log.nextOffset = last.entries.length > 0 ? last.entries[last.entries.length - 1].lastOffset + 1 : last.baseOffset;
    return log;
  }

  get logStartOffset(): number {
    const first = this.segments[0];
    return first.entries.length > 0 ? first.entries[0].baseOffset : first.baseOffset;
  }

  get highWatermark(): number {
    return this.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  private newSegment(baseOffset: number): Segment {
    const seg: Segment = {
      baseOffset,
      entries: [],
      size: 0,
      maxTimestamp: -1,
      fd: null,
      indexFd: null,
      logPath: null,
      indexPath: null,
    };
    if (this.dir !== null) {
      seg.logPath = path.join(this.dir, `${segmentName(baseOffset)}.log`);
      seg.indexPath = path.join(this.dir, `${segmentName(baseOffset)}.index`);
      seg.fd = fs.openSync(seg.logPath, 'a+');
      seg.indexFd = fs.openSync(seg.indexPath, 'a+');
      // The new files' directory entries must survive a crash too.
      this.syncDir();
    }
    return seg;
  }

  private syncDir(): void {
    if (this.dir === null) return;
    const fd = fs.openSync(this.dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  // Rebuilds a segment from its index, then checks every batch past what the index proves.
  // Older segments were fsynced when they were rolled, so their index is trusted; the last
  // one may end in a torn write, so each of its batches is CRC-checked and the tail cut off.
  private recoverSegment(baseOffset: number, isLast: boolean): void {
    const logPath = path.join(this.dir!, `${segmentName(baseOffset)}.log`);
    const indexPath = path.join(this.dir!, `${segmentName(baseOffset)}.index`);
    const fd = fs.openSync(logPath, 'a+');
    const fileSize = fs.fstatSync(fd).size;
    const seg: Segment = { baseOffset, entries: [], size: 0, maxTimestamp: -1, fd, indexFd: null, logPath, indexPath };
    const header = Buffer.alloc(BATCH_HEADER_SIZE);
    const readHeader = (position: number): BatchHeader | null => {
      if (position + BATCH_HEADER_SIZE > fileSize) return null;
      fs.readSync(fd, header, 0, BATCH_HEADER_SIZE, position);
      const h = readBatchHeader(header);
      if (h.magic !== 2 || h.size < BATCH_HEADER_SIZE || position + h.size > fileSize) return null;
      return h;
    };
    const verify = (position: number, h: BatchHeader): boolean => {
      const data = Buffer.alloc(h.size);
      fs.readSync(fd, data, 0, h.size, position);
      return batchCrcIsValid(data, 0, h.size);
    };
    let index: Buffer = Buffer.alloc(0);
    if (fs.existsSync(indexPath)) index = fs.readFileSync(indexPath);
    let position = 0;
    let indexIntact = true;
    for (let i = 0; i + INDEX_ENTRY_SIZE <= index.length; i += INDEX_ENTRY_SIZE) {
      const off = Number(index.readBigInt64BE(i));
      const pos = index.readUInt32BE(i + 8);
      const h = pos === position ? readHeader(pos) : null;
      if (h === null || h.baseOffset !== off || (isLast && !verify(pos, h))) {
        indexIntact = false;
        break;
      }
      this.track(seg, h, pos);
      position = pos + h.size;
    }
    if (index.length % INDEX_ENTRY_SIZE !== 0) indexIntact = false;
    let extra = false;
    for (let h = readHeader(position); h !== null && verify(position, h); h = readHeader(position)) {
      if (h.baseOffset !== (seg.entries.at(-1)?.lastOffset ?? baseOffset - 1) + 1) break;
      this.track(seg, h, position);
      position += h.size;
      extra = true;
    }
    if (position < fileSize) fs.ftruncateSync(fd, position);
    if (!indexIntact || extra || position < fileSize) {
      const rebuilt = Buffer.alloc(seg.entries.length * INDEX_ENTRY_SIZE);
      seg.entries.forEach((e, i) => {
        rebuilt.writeBigInt64BE(BigInt(e.baseOffset), i * INDEX_ENTRY_SIZE);
        rebuilt.writeUInt32BE(e.position, i * INDEX_ENTRY_SIZE + 8);
      });
      fs.writeFileSync(indexPath, rebuilt);
    }
    seg.indexFd = fs.openSync(indexPath, 'a+');
    this.segments.push(seg);
  }

  private track(seg: Segment, h: BatchHeader, position: number, data?: Buffer): void {
    const entry: BatchEntry = {
      baseOffset: h.baseOffset,
      lastOffset: h.baseOffset + h.lastOffsetDelta,
      maxTimestamp: h.maxTimestamp,
      position,
      size: h.size,
      data,
    };
    seg.entries.push(entry);
    seg.size += h.size;
    seg.maxTimestamp = Math.max(seg.maxTimestamp, h.maxTimestamp);
    if (h.producerId >= 0) this.rememberProducerBatch(h, entry.baseOffset);
  }

  private rememberProducerBatch(h: BatchHeader, baseOffset: number): void {
    let state = this.producers.get(h.producerId);
    if (state === undefined || state.epoch !== h.producerEpoch) {
      state = { epoch: h.producerEpoch, batches: [] };
      this.producers.set(h.producerId, state);
    }
    state.batches.push({ firstSeq: h.baseSequence, lastSeq: nextSeq(h.baseSequence, h.lastOffsetDelta), baseOffset });
    if (state.batches.length > PRODUCER_BATCHES_KEPT) state.batches.shift();
  }

  private checkSequence(h: BatchHeader): AppendResult | null {
    if (h.producerId < 0) return null;
    const state = this.producers.get(h.producerId);
    if (state === undefined) return null;
    if (h.producerEpoch < state.epoch) return { kind: 'rejected', error: AppendError.INVALID_PRODUCER_EPOCH };
    if (h.producerEpoch > state.epoch) {
      return h.baseSequence === 0 ? null : { kind: 'rejected', error: AppendError.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    const lastSeq = nextSeq(h.baseSequence, h.lastOffsetDelta);
    const dup = state.batches.find((b) => b.firstSeq === h.baseSequence && b.lastSeq === lastSeq);
    if (dup !== undefined) return { kind: 'duplicate', baseOffset: dup.baseOffset };
    const expected = nextSeq(state.batches[state.batches.length - 1].lastSeq, 1);
    if (h.baseSequence !== expected) return { kind: 'rejected', error: AppendError.OUT_OF_ORDER_SEQUENCE_NUMBER };
    return null;
  }

  /**
   * Appends one validated batch, giving it the next offsets. The write reaches the OS before
   * this returns; call {@link flush} to wait for it to reach the disk.
   * @throws StorageError when the file cannot be written
   */
  append(header: BatchHeader, data: Buffer): AppendResult {
    const check = this.checkSequence(header);
    if (check !== null) return check;
    let seg = this.segments[this.segments.length - 1];
    if (seg.entries.length > 0 && seg.size + data.length > this.config.segmentBytes) seg = this.roll();
    const baseOffset = this.nextOffset;
    // Copy out of the request frame: that buffer is reused or freed once the request is answered.
    const stored = Buffer.from(data);
    stored.writeBigInt64BE(BigInt(baseOffset), 0);
    const position = seg.size;
    if (seg.fd !== null) {
      try {
        fs.writeSync(seg.fd, stored, 0, stored.length, position);
        const idx = Buffer.alloc(INDEX_ENTRY_SIZE);
        idx.writeBigInt64BE(BigInt(baseOffset), 0);
        idx.writeUInt32BE(position, 8);
        fs.writeSync(seg.indexFd!, idx);
      } catch (err) {
        // Cut off whatever part of the batch made it, so the file stays a clean sequence of batches.
        try {
          fs.ftruncateSync(seg.fd, position);
        } catch {
          // the recovery scan will drop the torn tail instead
        }
        throw new StorageError(`cannot append to ${seg.logPath}`, { cause: err });
      }
    }
    this.track(seg, { ...header, baseOffset }, position, seg.fd === null ? stored : undefined);
    this.nextOffset = baseOffset + header.lastOffsetDelta + 1;
    this.writes++;
    for (const wake of this.waiters) wake();
    return { kind: 'appended', baseOffset };
  }

  private roll(): Segment {
    const old = this.segments[this.segments.length - 1];
    // A rolled segment is never written again, and recovery trusts its index, so both go to disk now.
    if (old.fd !== null) {
      fs.fsyncSync(old.fd);
      fs.fsyncSync(old.indexFd!);
    }
    const seg = this.newSegment(this.nextOffset);
    this.segments.push(seg);
    return seg;
  }

  /** Resolves once every append made before the call is on disk (no-op in memory). */
  async flush(): Promise<void> {
    const target = this.writes;
    while (this.synced < target) {
      if (this.syncing === null) {
        const upto = this.writes;
        const seg = this.segments[this.segments.length - 1];
        this.syncing = (async () => {
          if (seg.fd !== null) {
            await fdatasync(seg.fd);
            await fdatasync(seg.indexFd!);
          }
          this.synced = Math.max(this.synced, upto);
        })().finally(() => {
          this.syncing = null;
        });
      }
      await this.syncing;
    }
  }

  /** True when appends are waiting for {@link flush}. */
  get dirty(): boolean {
    return this.synced < this.writes;
  }

  /**
   * Reads whole batches starting with the one that holds `offset`, up to `maxBytes`
   * (always at least one batch, so a batch bigger than the limit still gets through).
   */
  read(offset: number, maxBytes: number): Buffer[] {
    const out: Buffer[] = [];
    let total = 0;
    for (let s = this.findSegment(offset); s < this.segments.length; s++) {
      const seg = this.segments[s];
      let i = this.findEntry(seg, offset);
      const first = i;
      let bytes = 0;
      while (i < seg.entries.length && (total + bytes === 0 || total + bytes + seg.entries[i].size <= maxBytes)) {
        bytes += seg.entries[i].size;
        i++;
      }
      if (i === first) {
        if (first < seg.entries.length) break;
        continue;
      }
      if (seg.fd === null) {
        for (let j = first; j < i; j++) out.push(seg.entries[j].data!);
      } else {
        const buf = Buffer.allocUnsafe(bytes);
        fs.readSync(seg.fd, buf, 0, bytes, seg.entries[first].position);
        out.push(buf);
      }
      total += bytes;
      if (i < seg.entries.length) break;
    }
    return out;
  }

  private findSegment(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // First entry whose last offset reaches `offset`.
  private findEntry(seg: Segment, offset: number): number {
    let lo = 0;
    let hi = seg.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seg.entries[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Offset of the first batch whose newest timestamp reaches `timestamp`, or -1 if none. */
  offsetForTimestamp(timestamp: number): number {
    for (const seg of this.segments) {
      if (seg.maxTimestamp < timestamp) continue;
      const e = seg.entries.find((x) => x.maxTimestamp >= timestamp);
      if (e !== undefined) return Math.max(e.baseOffset, this.logStartOffset);
    }
    return -1;
  }

  /** Registers a callback run on every append (long-polling fetches); returns its remover. */
  onAppend(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }

  /** Deletes whole segments that fall outside the time or size retention. */
  enforceRetention(now: number): number {
    if (this.syncing !== null) return 0;
    const { retentionMs, retentionBytes } = this.config;
    const expired = (s: Segment) => retentionMs >= 0 && s.entries.length > 0 && s.maxTimestamp < now - retentionMs;
    const active = this.segments[this.segments.length - 1];
    // The active segment only ever leaves by rolling; do that once all of it has expired.
    if (expired(active)) this.roll();
    let deleted = 0;
    let size = this.sizeBytes;
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      const tooBig = retentionBytes >= 0 && size - oldest.size >= retentionBytes && oldest.size > 0;
      if (!expired(oldest) && !tooBig) break;
      this.segments.shift();
      size -= oldest.size;
      this.closeSegment(oldest, true);
      deleted++;
    }
    return deleted;
  }

  private closeSegment(seg: Segment, remove: boolean): void {
    if (seg.fd !== null) fs.closeSync(seg.fd);
    if (seg.indexFd !== null) fs.closeSync(seg.indexFd);
    seg.fd = null;
    seg.indexFd = null;
    if (remove && seg.logPath !== null) {
      fs.rmSync(seg.logPath, { force: true });
      fs.rmSync(seg.indexPath!, { force: true });
    }
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    await this.flush();
    this.waiters.clear();
    for (const seg of this.segments) this.closeSegment(seg, false);
  }
}
