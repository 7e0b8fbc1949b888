import { MalformedRequestError } from './errors';

/** Reads big-endian Kafka primitives from a buffer; any read past the end throws {@link MalformedRequestError}. */
export class Reader {
  offset: number;
  constructor(
    readonly buf: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  private need(n: number): number {
    if (n < 0 || this.offset + n > this.buf.length) {
      throw new MalformedRequestError(`truncated: need ${n} bytes at ${this.offset} of ${this.buf.length}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }
  /** An int64 as a number: offsets and timestamps stay far below 2^53. */
  int64n(): number {
    return Number(this.int64());
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new MalformedRequestError('null where a string is required');
    return s;
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** Reads an array; a null array (length -1) comes back as null. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    // Each element takes at least one byte, so a bigger count is a lie that would make us allocate forever.
    if (n > this.remaining) throw new MalformedRequestError(`array of ${n} items in ${this.remaining} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.need(1)];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 49) throw new MalformedRequestError('varint too long');
    }
  }
  varint(): number {
    const u = this.uvarint();
    // zigzag decoding without 32-bit overflow
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  // Flexible (compact) encodings, used only by ApiVersions v3.
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }
  skipTaggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}

/** Appends big-endian Kafka primitives to a growing buffer. */
export class Writer {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.len;
  }

  private ensure(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  // The callee (this.buf) is evaluated before its arguments, so ensure() must run first on its own line.
  private put(byte: number): void {
    const at = this.ensure(1);
    this.buf[at] = byte;
  }

  int8(v: number): this {
    const at = this.ensure(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    const at = this.ensure(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.ensure(4);
    this.buf.writeUInt32BE(v, at);
    return this;
  }
  int64(v: bigint | number): this {
    const at = this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), at);
    return this;
  }
  nullableString(v: string | null): this {
    if (v === null) return this.int16(-1);
    const n = Buffer.byteLength(v);
    this.int16(n);
    const at = this.ensure(n);
    this.buf.write(v, at, 'utf8');
    return this;
  }
  string(v: string): this {
    return this.nullableString(v);
  }
  nullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    this.int32(v.length);
    return this.raw(v);
  }
  raw(v: Uint8Array): this {
    const at = this.ensure(v.length);
    this.buf.set(v, at);
    return this;
  }
  array<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  uvarint(v: number): this {
    while (v >= 0x80) {
      this.put((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.put(v);
    return this;
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  compactArrayLength(n: number): this {
    return this.uvarint(n + 1);
  }
  compactNullableBytes(v: Uint8Array | null): this {
    if (v === null) return this.uvarint(0);
    this.uvarint(v.length + 1);
    return this.raw(v);
  }
  compactString(v: string): this {
    return this.compactNullableBytes(Buffer.from(v, 'utf8'));
  }
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** Overwrites an int32 written earlier (used for length prefixes). */
  patchInt32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
