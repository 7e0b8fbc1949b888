import { Reader, Writer } from './codec';
import { crc32c } from './crc32c';

/** Size of the fixed record batch header, magic v2. */
export const BATCH_HEADER_SIZE = 61;
/** Bytes before batchLength's count starts (baseOffset + batchLength). */
export const BATCH_LOG_OVERHEAD = 12;

// Field positions within a batch, magic v2.
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;

/** The fixed fields of one record batch. */
export interface BatchHeader {
  baseOffset: number;
  /** Total size in bytes, including baseOffset and batchLength. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Why a record set was refused, as the Produce error code to answer. */
export const BatchProblem = {
  CORRUPT: 2,
  UNSUPPORTED_FORMAT: 43,
} as const;

/** Reads the header of the batch at `at`; the caller has checked that BATCH_HEADER_SIZE bytes exist. */
export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  return {
    baseOffset: Number(buf.readBigInt64BE(at)),
    size: buf.readInt32BE(at + 8) + BATCH_LOG_OVERHEAD,
    magic: buf.readInt8(at + MAGIC_AT),
    crc: buf.readUInt32BE(at + CRC_AT),
    attributes: buf.readInt16BE(at + ATTRIBUTES_AT),
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: Number(buf.readBigInt64BE(at + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(at + 35)),
    producerId: Number(buf.readBigInt64BE(at + 43)),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

/** True when the CRC stored in the batch at `at` matches its content. */
export function batchCrcIsValid(buf: Buffer, at: number, size: number): boolean {
  return crc32c(buf, at + ATTRIBUTES_AT, at + size) === buf.readUInt32BE(at + CRC_AT);
}

/**
 * Splits a produced record set into its batches and validates each one.
 * @returns the batches (as views into `records`) or the error code to answer
 */
export function splitRecordSet(records: Buffer): { batches: { header: BatchHeader; data: Buffer }[] } | { error: number } {
  const batches: { header: BatchHeader; data: Buffer }[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_SIZE) return { error: BatchProblem.CORRUPT };
    const magic = records.readInt8(at + MAGIC_AT);
    if (magic !== 2) return { error: BatchProblem.UNSUPPORTED_FORMAT };
    const header = readBatchHeader(records, at);
    if (header.size < BATCH_HEADER_SIZE || at + header.size > records.length) return { error: BatchProblem.CORRUPT };
    // The offset span must match the records in it, or a client could make the broker skip offsets.
    if (header.recordCount <= 0 || header.lastOffsetDelta !== header.recordCount - 1) return { error: BatchProblem.CORRUPT };
    if (!batchCrcIsValid(records, at, header.size)) return { error: BatchProblem.CORRUPT };
    batches.push({ header, data: records.subarray(at, at + header.size) });
    at += header.size;
  }
  if (batches.length === 0) return { error: BatchProblem.CORRUPT };
  return { batches };
}

/** One record as a client sees it. */
export interface RecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: { key: string; value: Buffer | null }[];
  timestamp?: number;
}

/** Options of {@link encodeRecordBatch}; the defaults describe a plain, non-idempotent batch. */
export interface BatchOptions {
  baseOffset?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
}

/**
 * Encodes records as an uncompressed magic v2 batch. The broker itself never needs this;
 * tests and the benchmark use it to speak the protocol without a client library.
 */
export function encodeRecordBatch(records: RecordInput[], options: BatchOptions = {}): Buffer {
  const now = Date.now();
  const baseTimestamp = records[0]?.timestamp ?? now;
  let maxTimestamp = baseTimestamp;
  const body = new Writer(1024);
  records.forEach((r, i) => {
    const ts = r.timestamp ?? now;
    maxTimestamp = Math.max(maxTimestamp, ts);
    const rec = new Writer(64);
    rec.int8(0).varint(ts - baseTimestamp).varint(i);
    if (r.key == null) rec.varint(-1);
    else rec.varint(r.key.length).raw(r.key);
    if (r.value === null) rec.varint(-1);
    else rec.varint(r.value.length).raw(r.value);
    const headers = r.headers ?? [];
    rec.varint(headers.length);
    for (const h of headers) {
      const k = Buffer.from(h.key, 'utf8');
      rec.varint(k.length).raw(k);
      if (h.value === null) rec.varint(-1);
      else rec.varint(h.value.length).raw(h.value);
    }
    const encoded = rec.toBuffer();
    body.varint(encoded.length).raw(encoded);
  });
  const w = new Writer(BATCH_HEADER_SIZE + body.length);
  w.int64(options.baseOffset ?? 0)
    .int32(0)
    .int32(-1)
    .int8(2)
    .uint32(0)
    .int16(0)
    .int32(records.length - 1)
    .int64(baseTimestamp)
    .int64(maxTimestamp)
    .int64(options.producerId ?? -1)
    .int16(options.producerEpoch ?? -1)
    .int32(options.baseSequence ?? -1)
    .int32(records.length)
    .raw(body.toBuffer());
  const out = w.toBuffer();
  out.writeInt32BE(out.length - BATCH_LOG_OVERHEAD, 8);
  out.writeUInt32BE(crc32c(out, ATTRIBUTES_AT), CRC_AT);
  return out;
}

/** A decoded record with its absolute offset. */
export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

/** Decodes every record of every uncompressed batch in `buf` (compressed batches are skipped). */
export function decodeRecords(buf: Buffer): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let at = 0;
  while (buf.length - at >= BATCH_HEADER_SIZE) {
    const h = readBatchHeader(buf, at);
    if (at + h.size > buf.length) break;
    if ((h.attributes & 0x07) === 0) {
      const r = new Reader(buf.subarray(at + BATCH_HEADER_SIZE, at + h.size));
      for (let i = 0; i < h.recordCount; i++) {
        r.varint();
        r.int8();
        const tsDelta = r.varint();
        const offsetDelta = r.varint();
        const keyLen = r.varint();
        const key = keyLen < 0 ? null : Buffer.from(r.buf.subarray(r.offset, (r.offset += keyLen)));
        const valueLen = r.varint();
        const value = valueLen < 0 ? null : Buffer.from(r.buf.subarray(r.offset, (r.offset += valueLen)));
        const headers: DecodedRecord['headers'] = [];
        const hc = r.varint();
        for (let j = 0; j < hc; j++) {
          const kl = r.varint();
          const hk = r.buf.toString('utf8', r.offset, (r.offset += kl));
          const vl = r.varint();
          headers.push({ key: hk, value: vl < 0 ? null : Buffer.from(r.buf.subarray(r.offset, (r.offset += vl))) });
        }
        out.push({ offset: h.baseOffset + offsetDelta, timestamp: h.baseTimestamp + tsDelta, key, value, headers });
      }
    }
    at += h.size;
  }
  return out;
}
