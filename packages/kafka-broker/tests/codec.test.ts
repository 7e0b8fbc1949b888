import { crc32c, decodeRecords, encodeRecordBatch, Reader, Writer } from '../src/index';

describe('crc32c', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xc1d04330],
    ['123456789', 0xe3069283],
    ['The quick brown fox jumps over the lazy dog', 0x22620404],
  ])('computes the Castagnoli checksum of %j', (input, expected) => {
    expect(crc32c(Buffer.from(input))).toBe(expected);
  });

  it('gives the same result for every split between the sliced and the byte-wise loop', () => {
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 31) & 0xff));
    const whole = crc32c(data, 3, 97);
    expect(crc32c(Buffer.from(data.subarray(3, 97)))).toBe(whole);
  });
});

describe('Reader and Writer', () => {
  it.each([0, 1, -1, 63, -64, 64, 300, -300, 2 ** 31 - 1, -(2 ** 31)])('round-trips the zigzag varint %i', (n) => {
    expect(new Reader(new Writer().varint(n).toBuffer()).varint()).toBe(n);
  });

  it('grows past its initial size without losing bytes', () => {
    const w = new Writer(4);
    const long = 'x'.repeat(1000);
    w.int32(7).string(long).int64(123456789012n).nullableBytes(Buffer.alloc(500, 1));
    const r = new Reader(w.toBuffer());
    expect([r.int32(), r.string(), r.int64(), r.bytes().length]).toEqual([7, long, 123456789012n, 500]);
  });

  it('refuses to read past the end', () => {
    expect(() => new Reader(Buffer.from([0, 5, 65])).string()).toThrow('truncated');
  });

  it('refuses an array count larger than the bytes left', () => {
    expect(() => new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).array((r) => r.int8())).toThrow('array of');
  });
});

describe('record batches', () => {
  it('encodes keys, values and headers that decode back with their offsets', () => {
    const batch = encodeRecordBatch(
      [
        { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [{ key: 'h', value: Buffer.from('x') }] },
        { key: null, value: null },
      ],
      { baseOffset: 40 },
    );
    const records = decodeRecords(batch);
    expect(records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null, r.headers.length])).toEqual([
      [40, 'k1', 'v1', 1],
      [41, null, null, 0],
    ]);
    expect(records[0].headers[0]).toEqual({ key: 'h', value: Buffer.from('x') });
  });
});
