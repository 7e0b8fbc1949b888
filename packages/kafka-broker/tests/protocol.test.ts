import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { crc32c, encodeRecordBatch, startBroker, SUPPORTED_VERSIONS, type RunningBroker } from '../src/index';
import { quietLogger, rawFetch, rawProduce, RawConnection } from './helpers';

const API_VERSIONS = 18;
const values = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`v${from + i}`) }));

describe('wire protocol', () => {
  let broker: RunningBroker;
  let conn: RawConnection;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, logger: quietLogger, maxMessageBytes: 64 * 1024 });
    conn = await RawConnection.connect(broker.port);
  });

  afterAll(async () => {
    conn.close();
    await broker.stop();
  });

  const readApiKeys = (r: import('../src/index').Reader) => r.array((r) => ({ apiKey: r.int16(), min: r.int16(), max: r.int16() }));

  describe('ApiVersions', () => {
    it.each([0, 1, 2])('lists the advertised ranges at v%i', async (version) => {
      const r = await conn.request(API_VERSIONS, version, Buffer.alloc(0));
      expect(r.int16()).toBe(0);
      expect(readApiKeys(r)).toEqual(SUPPORTED_VERSIONS);
      if (version >= 1) expect(r.int32()).toBe(0);
      expect(r.remaining).toBe(0);
    });

    it('answers a flexible v3 request with a compact body and a v0 response header', async () => {
      // header v2's empty tagged fields, then compact strings "kcat" and "1.7", then the body's empty tagged fields
      const body = Buffer.from([0x00, 0x05, 0x6b, 0x63, 0x61, 0x74, 0x04, 0x31, 0x2e, 0x37, 0x00]);
      const r = await conn.request(API_VERSIONS, 3, body);
      expect(r.int16()).toBe(0);
      const n = r.uvarint() - 1;
      const keys = Array.from({ length: n }, () => {
        const k = { apiKey: r.int16(), min: r.int16(), max: r.int16() };
        r.skipTaggedFields();
        return k;
      });
      expect(keys).toEqual(SUPPORTED_VERSIONS);
      expect(r.int32()).toBe(0);
      r.skipTaggedFields();
      expect(r.remaining).toBe(0);
    });

    it.each([
      ['ApiVersions v4', 18, 4],
      ['Produce v2', 0, 2],
      ['Fetch v12', 1, 12],
      ['Metadata v0', 3, 0],
      ['unknown API key 99', 99, 0],
    ])('answers %s with UNSUPPORTED_VERSION in the v0 layout', async (_label, apiKey, version) => {
      const r = await conn.request(apiKey, version, Buffer.alloc(0));
      expect(r.int16()).toBe(35);
      const keys = readApiKeys(r);
      expect(keys).toContainEqual({ apiKey: API_VERSIONS, min: 0, max: 3 });
      expect(r.remaining).toBe(0);
    });
  });

  describe('Produce', () => {
    it('rewrites the base offset of appended batches', async () => {
      expect(await rawProduce(conn, 'proto.offsets', 0, encodeRecordBatch(values(3), { baseOffset: 999 }))).toEqual([0, 0]);
      expect(await rawProduce(conn, 'proto.offsets', 0, encodeRecordBatch(values(2), { baseOffset: 999 }))).toEqual([0, 3]);
      const { records } = await rawFetch(conn, 'proto.offsets', 0, 0);
      expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
    });

    // Each corruption keeps a well-formed request around a bad record set.
    const withCrc = (batch: Buffer) => {
      batch.writeUInt32BE(crc32c(batch, 21), 17);
      return batch;
    };
    it.each([
      ['a flipped payload byte', 2, (b: Buffer) => ((b[b.length - 1] ^= 0xff), b)],
      ['a batch length past the end', 2, (b: Buffer) => (b.writeInt32BE(b.length, 8), b)],
      ['a record set shorter than a batch header', 2, (b: Buffer) => b.subarray(0, 40)],
      ['an offset span that disagrees with the record count', 2, (b: Buffer) => withCrc((b.writeInt32BE(1000, 23), b))],
      ['magic 1', 43, (b: Buffer) => (b.writeInt8(1, 16), b)],
    ])('answers a record set with %s with error %i and appends nothing', async (label, code, corrupt) => {
      const topic = `proto.corrupt-${label.replace(/\W+/g, '-')}`;
      const batch = corrupt(encodeRecordBatch(values(2)));
      expect(await rawProduce(conn, topic, 0, batch)).toEqual([code, -1]);
      expect((await rawFetch(conn, topic, 0, 0)).highWatermark).toBe(0);
    });

    it('answers MESSAGE_TOO_LARGE for a record set over max.message.bytes', async () => {
      const batch = encodeRecordBatch([{ value: Buffer.alloc(40 * 1024) }, { value: Buffer.alloc(30 * 1024) }]);
      expect(await rawProduce(conn, 'proto.large', 0, batch)).toEqual([10, -1]);
      expect((await rawFetch(conn, 'proto.large', 0, 0)).highWatermark).toBe(0);
    });

    it('answers a duplicate idempotent batch with its original offset without appending it', async () => {
      const topic = 'proto.idempotent';
      const first = encodeRecordBatch(values(3), { producerId: 7000, producerEpoch: 0, baseSequence: 0 });
      const second = encodeRecordBatch(values(2, 3), { producerId: 7000, producerEpoch: 0, baseSequence: 3 });
      expect(await rawProduce(conn, topic, 0, first)).toEqual([0, 0]);
      expect(await rawProduce(conn, topic, 0, second)).toEqual([0, 3]);
      expect(await rawProduce(conn, topic, 0, first)).toEqual([0, 0]);
      expect(await rawProduce(conn, topic, 0, second)).toEqual([0, 3]);
      const { highWatermark, records } = await rawFetch(conn, topic, 0, 0);
      expect(highWatermark).toBe(5);
      expect(records.map((r) => r.value?.toString())).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    });

    it.each([
      ['skips ahead', 5],
      ['goes back into an earlier batch', 1],
    ])('answers OUT_OF_ORDER_SEQUENCE_NUMBER when the sequence %s', async (_label, badSequence) => {
      const topic = `proto.sequence-${badSequence}`;
      expect(await rawProduce(conn, topic, 0, encodeRecordBatch(values(3), { producerId: 7001, producerEpoch: 0, baseSequence: 0 }))).toEqual([0, 0]);
      const bad = encodeRecordBatch(values(1), { producerId: 7001, producerEpoch: 0, baseSequence: badSequence });
      expect((await rawProduce(conn, topic, 0, bad))[0]).toBe(45);
      expect((await rawFetch(conn, topic, 0, 0)).highWatermark).toBe(3);
    });

    it('sends no answer for acks 0 but still appends', async () => {
      conn.send(0, 7, (w) =>
        w
          .nullableString(null)
          .int16(0)
          .int32(1000)
          .array(['proto.acks0'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).nullableBytes(encodeRecordBatch(values(1))))),
      );
      const { highWatermark, records } = await rawFetch(conn, 'proto.acks0', 0, 0);
      expect(highWatermark).toBe(1);
      expect(records).toHaveLength(1);
    });
  });

  describe('pipelining', () => {
    it('answers more pipelined long-polls than it keeps in flight, in request order', async () => {
      await rawProduce(conn, 'proto.pipeline', 0, encodeRecordBatch(values(1)));
      const c = await RawConnection.connect(broker.port);
      const ids: number[] = [];
      for (let i = 0; i < 150; i++) {
        ids.push(
          c.send(1, 11, (w) =>
            w
              .int32(-1)
              .int32(50)
              .int32(1)
              .int32(1024)
              .int8(1)
              .int32(0)
              .int32(-1)
              .array(['proto.pipeline'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int32(-1).int64(1).int64(-1).int32(1024)))
              .array([], () => {})
              .string(''),
          ),
        );
      }
      const answered: number[] = [];
      for (let i = 0; i < ids.length; i++) answered.push((await c.next()).correlationId);
      c.close();
      expect(answered).toEqual(ids);
    });
  });

  describe('Fetch', () => {
    it('answers OFFSET_OUT_OF_RANGE past the high watermark', async () => {
      await rawProduce(conn, 'proto.range', 0, encodeRecordBatch(values(1)));
      expect((await rawFetch(conn, 'proto.range', 0, 5)).errorCode).toBe(1);
    });
  });

  describe('bad input', () => {
    const validClientWorks = async () => {
      const kafka = new kafkajs.Kafka({ brokers: [broker.brokers], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 0 } });
      const producer = kafka.producer();
      await producer.connect();
      const [meta] = await producer.send({ topic: 'proto.after-garbage', messages: [{ value: 'still here' }] });
      await producer.disconnect();
      expect(meta.errorCode).toBe(0);
      // The long-lived connection opened before the garbage is unaffected too.
      expect((await conn.request(API_VERSIONS, 2, Buffer.alloc(0))).int16()).toBe(0);
    };

    const frame = (body: Buffer) => {
      const out = Buffer.alloc(4 + body.length);
      out.writeInt32BE(body.length, 0);
      body.copy(out, 4);
      return out;
    };

    it.each([
      ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3])],
      ['a frame too short for a header', frame(Buffer.from([0, 18, 0]))],
      ['a frame over max.message.bytes', Buffer.from([0x00, 0x10, 0x00, 0x00, 1, 2, 3, 4])],
      ['a Metadata request cut short', frame(Buffer.from([0, 3, 0, 6, 0, 0, 0, 1, 0, 1, 0x41, 0, 0, 0, 9, 0, 2]))],
      ['a Produce request with a huge array count', frame(Buffer.from([0, 0, 0, 7, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]))],
      ['a JoinGroup with a string longer than the frame', frame(Buffer.from([0, 11, 0, 5, 0, 0, 0, 1, 0xff, 0xff, 0x7f, 0xff, 0x41]))],
    ])('closes the connection on %s and keeps serving others', async (_label, bytes) => {
      const c = await RawConnection.connect(broker.port);
      c.writeRaw(bytes);
      await c.closed;
      await validClientWorks();
    });

    it('survives random frames for every API key', async () => {
      for (let round = 0; round < 60; round++) {
        const c = await RawConnection.connect(broker.port);
        const body = randomBytes(8 + Math.floor(Math.random() * 200));
        body.writeInt16BE(SUPPORTED_VERSIONS[round % SUPPORTED_VERSIONS.length].apiKey, 0);
        body.writeInt16BE(round % 7, 2);
        c.writeRaw(frame(body));
        // Either an answer or a close is fine; the broker must not crash or hang.
        await Promise.race([c.next(2000).catch(() => undefined), c.closed]);
        c.close();
      }
      await validClientWorks();
    });

    it('survives a client that disconnects mid-request', async () => {
      for (const cut of [2, 6, 30]) {
        const c = await RawConnection.connect(broker.port);
        const full = Buffer.alloc(64);
        full.writeInt32BE(60, 0);
        full.writeInt16BE(3, 4);
        full.writeInt16BE(6, 6);
        c.writeRaw(full.subarray(0, cut));
        c.close();
        await c.closed;
      }
      await validClientWorks();
    });
  });
});
