import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { createKafkaConsumer, createKafkaProducer, ensureKafkaTopics, KafkaConfigError, type ConsumedRecord } from '../src/index';

let broker: RunningBroker;

beforeAll(async () => {
  broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, logLevel: 'error' });
});

afterAll(async () => {
  await broker.stop();
});

function connection(clientId: string) {
  return { brokers: [broker.brokers], clientId };
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kafka producer and consumer', () => {
  it('delivers keys, values and headers in offset order, refetches what is not committed, and resumes after the last commit', async () => {
    const topic = 'store.roundtrip';
    await ensureKafkaTopics(connection('admin'), [{ topic, numPartitions: 1 }]);
    const producer = createKafkaProducer(connection('producer'));
    await producer.send(topic, [
      { key: 'k1', value: 'one', headers: { 'transaction-id': 't1' } },
      { key: null, value: Buffer.from([0, 1, 2]) },
      { key: 'k3', value: 'three' },
    ]);

    const first: ConsumedRecord[] = [];
    const consumer = createKafkaConsumer({ ...connection('c1'), groupId: 'store-test', topics: [topic] });
    await consumer.run(async (batch, control) => {
      // Commit only the first two records, so the third comes back after a restart.
      for (const record of batch.records) {
        first.push(record);
        if (record.offset !== '2') await control.commit(record.offset);
      }
    });
    await waitFor(() => (first.length >= 3 ? true : undefined));
    await consumer.stop();

    expect(first.slice(0, 3).map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString('hex')])).toEqual([
      ['0', 'k1', Buffer.from('one').toString('hex')],
      ['1', null, '000102'],
      ['2', 'k3', Buffer.from('three').toString('hex')],
    ]);
    // The uncommitted third record comes back on the next fetch.
    expect(first.slice(3).every((r) => r.offset === '2')).toBe(true);
    expect(first.length).toBeGreaterThan(3);
    expect(first[0].headers).toEqual([{ key: 'transaction-id', value: Buffer.from('t1') }]);
    expect(Number(first[0].timestamp)).toBeGreaterThan(Date.now() - 60_000);

    const second: ConsumedRecord[] = [];
    const again = createKafkaConsumer({ ...connection('c2'), groupId: 'store-test', topics: [topic] });
    await again.run(async (batch, control) => {
      second.push(...batch.records);
      await control.commit(batch.records.at(-1)!.offset);
    });
    await waitFor(() => (second.length >= 1 ? true : undefined));
    await again.stop();
    await producer.disconnect();

    expect(second.map((r) => r.offset)).toEqual(['2']);
  });

  it('connects ahead of the first send, which then uses that connection', async () => {
    const topic = 'store.early';
    await ensureKafkaTopics(connection('admin'), [{ topic, numPartitions: 1 }]);
    const producer = createKafkaProducer(connection('early'));
    await Promise.all([producer.connect(), producer.connect()]);
    await producer.send(topic, [{ key: 'k', value: 'early' }]);
    await producer.disconnect();

    const seen: ConsumedRecord[] = [];
    const consumer = createKafkaConsumer({ ...connection('early-reader'), groupId: 'store-early', topics: [topic] });
    await consumer.run(async (batch, control) => {
      seen.push(...batch.records);
      await control.commit(batch.records.at(-1)!.offset);
    });
    await waitFor(() => (seen.length >= 1 ? true : undefined));
    await consumer.stop();
    expect(seen.map((record) => [record.offset, record.value?.toString()])).toEqual([['0', 'early']]);
  });

  it('refuses a timestamp start without a timestamp', () => {
    expect(() =>
      createKafkaConsumer({ ...connection('c3'), groupId: 'g', topics: ['t'], startFrom: 'timestamp' }),
    ).toThrow(KafkaConfigError);
  });

  it('refuses an empty broker list', () => {
    expect(() => createKafkaProducer({ brokers: [], clientId: 'p' })).toThrow(KafkaConfigError);
  });
});
