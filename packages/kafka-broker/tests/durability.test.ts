import fs from 'node:fs';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { encodeRecordBatch, startBroker, type RunningBroker } from '../src/index';
import { quietLogger, rawFetch, rawProduce, RawConnection, readPartition, removeDir, spawnBroker, tempDir, waitFor } from './helpers';

const { Kafka, logLevel } = kafkajs;
const consumerTimings = { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 };

const client = (brokers: string) => new Kafka({ clientId: 'durability-test', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } });

async function consumeGroup(brokers: string, groupId: string, topic: string, expected: number): Promise<string[]> {
  const got: string[] = [];
  const consumer = client(brokers).consumer({ groupId, ...consumerTimings });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
  await waitFor(() => got.length >= expected, 20_000, `${expected} records in ${groupId}`);
  await new Promise((r) => setTimeout(r, 300));
  await consumer.disconnect();
  return got;
}

describe('durability', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const dir = () => {
    const d = tempDir();
    cleanups.push(() => removeDir(d));
    return d;
  };
  const start = async (dataDir: string, options: Parameters<typeof startBroker>[0] = {}) => {
    const b = await startBroker({ port: 0, dataDir, logger: quietLogger, initialRebalanceDelayMs: 0, ...options });
    cleanups.push(() => b.stop());
    return b;
  };

  it('keeps records, committed offsets and producer sequences across stop() and restart', async () => {
    const dataDir = dir();
    let broker: RunningBroker = await start(dataDir, { defaultPartitions: 2 });
    const producer = client(broker.brokers).producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic: 'restart.topic',
      messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, headers: { n: String(i) } })),
    });
    await producer.disconnect();
    expect((await consumeGroup(broker.brokers, 'restart-group', 'restart.topic', 20)).sort()).toHaveLength(20);
    const conn = await RawConnection.connect(broker.port);
    const batch = encodeRecordBatch([{ value: Buffer.from('idem') }], { producerId: 9100, producerEpoch: 0, baseSequence: 0 });
    const [, idemOffset] = await rawProduce(conn, 'restart.idem', 0, batch);
    conn.close();
    const before = [...(await readPartition(broker.port, 'restart.topic', 0)), ...(await readPartition(broker.port, 'restart.topic', 1))];
    await broker.stop();

    broker = await start(dataDir, { defaultPartitions: 2 });
    const after = [...(await readPartition(broker.port, 'restart.topic', 0)), ...(await readPartition(broker.port, 'restart.topic', 1))];
    expect(after).toEqual(before);
    expect(after.map((r) => r.headers[0].value?.toString()).sort()).toEqual(before.map((r) => r.headers[0].value?.toString()).sort());

    const conn2 = await RawConnection.connect(broker.port);
    expect(await rawProduce(conn2, 'restart.idem', 0, batch)).toEqual([0, idemOffset]);
    expect((await rawFetch(conn2, 'restart.idem', 0, 0)).highWatermark).toBe(1);
    conn2.close();

    const producer2 = client(broker.brokers).producer();
    await producer2.connect();
    await producer2.send({ topic: 'restart.topic', messages: [{ key: 'k-new', value: 'after-restart' }] });
    await producer2.disconnect();
    expect(await consumeGroup(broker.brokers, 'restart-group', 'restart.topic', 1)).toEqual(['after-restart']);
  });

  it('cuts a torn write off the end of the last segment on restart', async () => {
    const dataDir = dir();
    let broker = await start(dataDir);
    const conn = await RawConnection.connect(broker.port);
    await rawProduce(conn, 'torn.topic', 0, encodeRecordBatch([{ value: Buffer.from('a') }, { value: Buffer.from('b') }]));
    conn.close();
    await broker.stop();
    const segment = path.join(dataDir, 'topics', 'torn.topic-0', `${'0'.padStart(20, '0')}.log`);
    const good = encodeRecordBatch([{ value: Buffer.from('never acknowledged') }], { baseOffset: 2 });
    fs.appendFileSync(segment, good.subarray(0, good.length - 5));

    broker = await start(dataDir);
    const records = await readPartition(broker.port, 'torn.topic', 0);
    expect(records.map((r) => r.value?.toString())).toEqual(['a', 'b']);
    const conn2 = await RawConnection.connect(broker.port);
    expect(await rawProduce(conn2, 'torn.topic', 0, encodeRecordBatch([{ value: Buffer.from('c') }]))).toEqual([0, 2]);
    conn2.close();
  });

  // Under both policies an acknowledged write has reached the OS, which outlives the process.
  it.each(['always', 'interval'])('loses no acknowledged record or committed offset when the broker is killed with SIGKILL (fsync %s)', async (fsync) => {
    const dataDir = dir();
    const { child, port } = await spawnBroker(dataDir, ['--partitions', '3', '--rebalance-delay-ms', '0', '--fsync', fsync]);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const brokers = `127.0.0.1:${port}`;

    const producer = client(brokers).producer({ retry: { retries: 0 } });
    cleanups.push(() => producer.disconnect().catch(() => {}));
    await producer.connect();
    await producer.send({ topic: 'kill.topic', messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `early-${i}` })) });
    await consumeGroup(brokers, 'kill-group', 'kill.topic', 30);

    const acknowledged: string[] = [];
    let sending = true;
    const loop = (async () => {
      for (let i = 0; sending; i++) {
        const value = `late-${i}`;
        try {
          await producer.send({ topic: 'kill.topic', acks: -1, messages: [{ key: `k${i}`, value }] });
          acknowledged.push(value);
        } catch {
          break;
        }
      }
    })();
    await waitFor(() => acknowledged.length >= 50, 20_000, 'acknowledged sends');
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    sending = false;
    await loop;
    await producer.disconnect().catch(() => {});

    const broker = await start(dataDir);
    const stored = new Set<string>();
    for (const p of [0, 1, 2]) for (const r of await readPartition(broker.port, 'kill.topic', p)) stored.add(r.value!.toString());
    expect(acknowledged.filter((v) => !stored.has(v))).toEqual([]);
    const rest = await consumeGroup(broker.brokers, 'kill-group', 'kill.topic', stored.size - 30);
    expect(rest.filter((v) => v.startsWith('early-'))).toEqual([]);
    expect(new Set(rest).size).toBe(stored.size - 30);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops the CLI cleanly on %s, keeping what it acknowledged', async (signal) => {
    const dataDir = dir();
    const { child, port } = await spawnBroker(dataDir);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const conn = await RawConnection.connect(port);
    expect(await rawProduce(conn, 'signal.topic', 0, encodeRecordBatch([{ value: Buffer.from(signal) }]))).toEqual([0, 0]);
    conn.close();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    process.kill(child.pid!, signal);
    expect(await exited).toBe(0);
    const broker = await start(dataDir);
    expect((await readPartition(broker.port, 'signal.topic', 0)).map((r) => r.value?.toString())).toEqual([signal]);
  });

  it('refuses a second broker on a data directory in use, and takes over after its holder stops', async () => {
    const dataDir = dir();
    const first = await start(dataDir);
    await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow('already open');
    await first.stop();
    const second = await start(dataDir);
    expect(second.port).toBeGreaterThan(0);
  });

  it('refuses a data directory held by another live process', async () => {
    const dataDir = dir();
    const { child } = await spawnBroker(dataDir);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow(`in use by process ${child.pid}`);
  });

  describe('retention', () => {
    it('deletes the oldest segments beyond retention.bytes', async () => {
      const dataDir = dir();
      const broker = await start(dataDir, { retentionCheckIntervalMs: 100 });
      const admin = client(broker.brokers).admin();
      await admin.connect();
      cleanups.push(() => admin.disconnect());
      await admin.createTopics({
        topics: [{ topic: 'retention.size', configEntries: [{ name: 'segment.bytes', value: '2048' }, { name: 'retention.bytes', value: '4096' }] }],
      });
      const conn = await RawConnection.connect(broker.port);
      cleanups.push(() => conn.close());
      for (let i = 0; i < 20; i++) await rawProduce(conn, 'retention.size', 0, encodeRecordBatch([{ value: Buffer.alloc(500, i) }]));
      await waitFor(async () => Number((await admin.fetchTopicOffsets('retention.size'))[0].low) > 0, 5000, 'log start to move');
      const [{ low, high }] = await admin.fetchTopicOffsets('retention.size');
      expect(Number(high)).toBe(20);
      expect(20 - Number(low)).toBeLessThanOrEqual(12);
      const files = fs.readdirSync(path.join(dataDir, 'topics', 'retention.size-0')).filter((f) => f.endsWith('.log'));
      expect(files.length).toBeLessThanOrEqual(4);
      expect((await rawFetch(conn, 'retention.size', 0, 0)).errorCode).toBe(1);
    });

    it('deletes records older than retention.ms, keeping the offsets', async () => {
      const broker = await start(dir(), { retentionCheckIntervalMs: 100 });
      const admin = client(broker.brokers).admin();
      await admin.connect();
      cleanups.push(() => admin.disconnect());
      await admin.createTopics({ topics: [{ topic: 'retention.time', configEntries: [{ name: 'retention.ms', value: '300' }] }] });
      const conn = await RawConnection.connect(broker.port);
      cleanups.push(() => conn.close());
      await rawProduce(conn, 'retention.time', 0, encodeRecordBatch([{ value: Buffer.from('old') }, { value: Buffer.from('older') }]));
      await waitFor(async () => (await admin.fetchTopicOffsets('retention.time'))[0].low === '2', 5000, 'records to expire');
      expect((await admin.fetchTopicOffsets('retention.time'))[0]).toMatchObject({ low: '2', high: '2' });
      expect(await rawProduce(conn, 'retention.time', 0, encodeRecordBatch([{ value: Buffer.from('new') }]))).toEqual([0, 2]);
    });
  });
});
