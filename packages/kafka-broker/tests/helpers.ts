import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reader, Writer, decodeRecords, type DecodedRecord, type Logger } from '../src/index';

/** A logger that keeps only errors, so test output stays readable but failures show their cause. */
export const quietLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (m) => process.stderr.write(`broker error: ${m}\n`) };

/** A fresh temporary directory; remove it with {@link removeDir}. */
export function tempDir(prefix = 'kafka-broker-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A bare protocol connection: writes request frames and reads response frames in order. */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiting: { resolve: (frame: Buffer) => void; reject: (err: Error) => void }[] = [];
  private frames: Buffer[] = [];
  private correlationId = 1;
  closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        const w = this.waiting.shift();
        if (w) w.resolve(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        for (const w of this.waiting.splice(0)) w.reject(new Error('connection closed'));
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(s)));
      s.once('error', reject);
    });
  }

  /** Sends a request with a v1 header and returns the raw frame bytes sent. */
  send(apiKey: number, apiVersion: number, body: Buffer | ((w: Writer) => void)): number {
    const id = this.correlationId++;
    const w = new Writer();
    w.int32(0).int16(apiKey).int16(apiVersion).int32(id).nullableString('raw-test');
    if (typeof body === 'function') body(w);
    else w.raw(body);
    const frame = w.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    this.socket.write(frame);
    return id;
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame: a reader positioned after the correlation id, and that id. */
  next(timeoutMs = 5000): Promise<{ correlationId: number; r: Reader }> {
    const toResult = (frame: Buffer) => {
      const r = new Reader(frame);
      return { correlationId: r.int32(), r };
    };
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(toResult(ready));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no response in time')), timeoutMs);
      this.waiting.push({
        resolve: (f) => {
          clearTimeout(timer);
          resolve(toResult(f));
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
    });
  }

  async request(apiKey: number, apiVersion: number, body: Buffer | ((w: Writer) => void)): Promise<Reader> {
    const id = this.send(apiKey, apiVersion, body);
    const res = await this.next();
    if (res.correlationId !== id) throw new Error(`correlation id ${res.correlationId}, expected ${id}`);
    return res.r;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Produce v7 of one record set to one partition; returns [errorCode, baseOffset]. */
export async function rawProduce(conn: RawConnection, topic: string, partition: number, records: Buffer, acks = -1): Promise<[number, number]> {
  const r = await conn.request(0, 7, (w) =>
    w
      .nullableString(null)
      .int16(acks)
      .int32(5000)
      .array([topic], (w, t) => w.string(t).array([partition], (w, p) => w.int32(p).nullableBytes(records))),
  );
  r.int32();
  r.string();
  r.int32();
  r.int32();
  return [r.int16(), r.int64n()];
}

/** Fetch v11 of one partition from `offset`; returns the error, high watermark, log start and records. */
export async function rawFetch(
  conn: RawConnection,
  topic: string,
  partition: number,
  offset: number,
): Promise<{ errorCode: number; highWatermark: number; logStartOffset: number; records: DecodedRecord[] }> {
  const r = await conn.request(1, 11, (w) =>
    w
      .int32(-1)
      .int32(0)
      .int32(0)
      .int32(64 * 1024 * 1024)
      .int8(1)
      .int32(0)
      .int32(-1)
      .array([topic], (w, t) =>
        w.string(t).array([partition], (w, p) => w.int32(p).int32(-1).int64(offset).int64(-1).int32(64 * 1024 * 1024)),
      )
      .array([], () => {})
      .string(''),
  );
  r.int32();
  r.int16();
  r.int32();
  r.int32();
  r.string();
  r.int32();
  r.int32();
  const errorCode = r.int16();
  const highWatermark = r.int64n();
  r.int64();
  const logStartOffset = r.int64n();
  r.nullableArray((r) => [r.int64(), r.int64()]);
  r.int32();
  const records = decodeRecords(r.bytes()).filter((x) => x.offset >= offset);
  return { errorCode, highWatermark, logStartOffset, records };
}

/** Reads a whole partition from its log start, following the high watermark. */
export async function readPartition(port: number, topic: string, partition: number): Promise<DecodedRecord[]> {
  const conn = await RawConnection.connect(port);
  try {
    const out: DecodedRecord[] = [];
    // A first fetch at 0 may be out of range, but it reports where the log starts.
    let next = (await rawFetch(conn, topic, partition, 0)).logStartOffset;
    for (;;) {
      const { records, highWatermark } = await rawFetch(conn, topic, partition, next);
      if (records.length === 0) break;
      out.push(...records);
      next = records[records.length - 1].offset + 1;
      if (next >= highWatermark) break;
    }
    return out;
  } finally {
    conn.close();
  }
}

/** Polls `check` until it returns true, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'packages/kafka-broker/src/cli.ts');

/** Starts the CLI as a child process and resolves once it prints its port; rejects if it exits first. */
export function spawnBroker(dataDir: string, extra: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--data-dir', dataDir, ...extra], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}: ${err}`)));
  });
}
