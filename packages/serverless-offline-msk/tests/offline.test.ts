import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { createKafkaConsumer, createKafkaProducer, ensureKafkaTopics, type ConsumedRecord, type KafkaProducer } from '@mxflow/store';
import { freePort, startEventSink, startOffline, waitFor, type Delivery, type EventSink, type OfflineProcess } from './support/offline';

// The fixture service runs under the real `serverless offline start` (osls, serverless-offline and
// this plugin) against an in-process broker; its handler posts every event to `sink`.
const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/local/0c3b6c5e-1c1e-4b5e-9d1e-5b2c8d7f4a11-1';
const fn = (name: string) => `mskfixture-offline-${name}`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface EventRecord {
  topic: string;
  partition: number;
  offset: number;
  value: string;
  key?: string;
  headers: Record<string, number[]>[];
}

function recordsOf(delivery: Delivery): EventRecord[] {
  return Object.values(delivery.event.records as Record<string, EventRecord[]>).flat();
}
function valuesOf(delivery: Delivery): string[] {
  return recordsOf(delivery).map((r) => Buffer.from(r.value, 'base64').toString('utf8'));
}

let broker: RunningBroker;
let sink: EventSink;
let producer: KafkaProducer;
let offline: OfflineProcess | undefined;

function deliveriesTo(name: string): Delivery[] {
  return sink.deliveries.filter((d) => d.functionName === fn(name));
}

async function startService(): Promise<OfflineProcess> {
  const started = startOffline({ EVENT_SINK: sink.url, MXFLOW_KAFKA_BROKERS: broker.brokers }, await freePort());
  offline = started;
  await waitFor(() => (started.output().match(/Kafka: \w+ ← \S+ \(group /g) ?? []).length === 5, 60_000, 'the five consumers');
  return started;
}

beforeAll(async () => {
  broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, logLevel: 'error' });
  await ensureKafkaTopics({ brokers: [broker.brokers], clientId: 'fixture-admin' }, [
    { topic: 'fixture.shape' },
    { topic: 'fixture.batches' },
    { topic: 'fixture.retry', numPartitions: 2 },
    { topic: 'fixture.deadletter' },
    { topic: 'fixture.dead' },
    { topic: 'fixture.disabled' },
    { topic: 'fixture.selfmanaged' },
  ]);
  producer = createKafkaProducer({ brokers: [broker.brokers], clientId: 'fixture-producer' });
  sink = await startEventSink((delivery, earlier) => {
    const values = delivery.functionName.endsWith('-tick') ? [] : valuesOf(delivery);
    if (values.includes('fail-3-times')) {
      const failed = earlier.filter((d) => d.functionName === delivery.functionName && valuesOf(d).includes('fail-3-times'));
      return failed.length < 3 ? `marker failure ${failed.length + 1}` : undefined;
    }
    return values.includes('always-fails') ? 'this record never succeeds' : undefined;
  });
  await startService();
}, 90_000);

afterAll(async () => {
  await offline?.stop();
  await producer?.disconnect();
  await sink?.close();
  await broker?.stop();
});

describe('serverless-offline-msk under serverless offline start', () => {
  it('invokes the function with the exact MSK event shape', async () => {
    const before = Date.now();
    await producer.send('fixture.shape', [
      { key: 'debtor-1', value: '{"msgType":"pacs.008"}', headers: { 'transaction-id': 'tx-1', 'message-type': 'pacs.008' } },
      { value: 'no key' },
    ]);
    await producer.send('fixture.disabled', [{ value: 'nobody reads this' }]);
    const [delivery] = await waitFor(() => {
      const d = deliveriesTo('shape');
      return d.length > 0 && d;
    });

    expect(delivery.event).toEqual({
      eventSource: 'aws:kafka',
      eventSourceArn: ARN,
      bootstrapServers: broker.brokers,
      records: {
        'fixture.shape-0': [
          {
            topic: 'fixture.shape',
            partition: 0,
            offset: 0,
            timestamp: expect.any(Number),
            timestampType: 'CREATE_TIME',
            key: b64('debtor-1'),
            value: b64('{"msgType":"pacs.008"}'),
            headers: [{ 'transaction-id': [...Buffer.from('tx-1')] }, { 'message-type': [...Buffer.from('pacs.008')] }],
          },
          {
            topic: 'fixture.shape',
            partition: 0,
            offset: 1,
            timestamp: expect.any(Number),
            timestampType: 'CREATE_TIME',
            value: b64('no key'),
            headers: [],
          },
        ],
      },
    });
    const [first] = recordsOf(delivery) as unknown as { timestamp: number }[];
    expect(first.timestamp).toBeGreaterThanOrEqual(before - 1000);
    expect(first.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('marks events of a self-managed kafka event as SelfManagedKafka, without an ARN', async () => {
    await producer.send('fixture.selfmanaged', [{ key: 'k', value: 'self-managed' }]);
    const [delivery] = await waitFor(() => {
      const d = deliveriesTo('selfmanaged');
      return d.length > 0 && d;
    });

    expect(delivery.event).toEqual({
      eventSource: 'SelfManagedKafka',
      bootstrapServers: broker.brokers,
      records: { 'fixture.selfmanaged-0': [expect.objectContaining({ offset: 0, key: b64('k'), value: b64('self-managed') })] },
    });
  });

  it('cuts batches at batchSize and sends a partial batch when the batching window closes', async () => {
    await producer.send(
      'fixture.batches',
      Array.from({ length: 7 }, (_, i) => ({ key: 'same-key', value: `batch-${i}` })),
    );
    const deliveries = await waitFor(() => {
      const d = deliveriesTo('batches');
      return d.length >= 3 && d;
    });

    expect(deliveries.map((d) => recordsOf(d).map((r) => r.offset))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    // maximumBatchingWindow is 1 s: the last record waits for more before going alone.
    expect(deliveries[2].at - deliveries[1].at).toBeGreaterThanOrEqual(800);
  });

  it('retries a failing batch with backoff, blocking only its partition, until it succeeds', async () => {
    await producer.send('fixture.retry', [
      { value: 'fail-3-times', partition: 0 },
      { value: 'after-the-marker', partition: 0 },
    ]);
    await producer.send('fixture.retry', [{ value: 'other-partition', partition: 1 }]);
    await waitFor(() => deliveriesTo('retry').some((d) => valuesOf(d).includes('after-the-marker')), 30_000, 'the record after the marker');

    const partition0 = deliveriesTo('retry').filter((d) => recordsOf(d)[0].partition === 0);
    expect(partition0.map((d) => valuesOf(d))).toEqual([
      ['fail-3-times'],
      ['fail-3-times'],
      ['fail-3-times'],
      ['fail-3-times'],
      ['after-the-marker'],
    ]);
    // retryBackoffMs 200 doubling to maxRetryBackoffMs 400.
    const gaps = partition0.slice(1, 4).map((d, i) => d.at - partition0[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(180);
    expect(gaps[1]).toBeGreaterThanOrEqual(380);
    expect(gaps[2]).toBeGreaterThanOrEqual(380);
    const other = deliveriesTo('retry').find((d) => valuesOf(d).includes('other-partition'));
    expect(other).toBeDefined();
    expect(other!.at).toBeLessThan(partition0[3].at);
  });

  it('sends a batch to the on-failure topic after maximumRetryAttempts and moves on', async () => {
    await producer.send('fixture.deadletter', [{ key: 'k-dead', value: 'always-fails', headers: { 'transaction-id': 'tx-dead' } }]);
    await waitFor(() => deliveriesTo('deadletter').length > 0);
    await producer.send('fixture.deadletter', [{ value: 'healthy' }]);
    await waitFor(() => deliveriesTo('deadletter').some((d) => valuesOf(d).includes('healthy')), 30_000, 'the healthy record');

    expect(deliveriesTo('deadletter').map((d) => valuesOf(d))).toEqual([
      ['always-fails'],
      ['always-fails'],
      ['always-fails'],
      ['healthy'],
    ]);

    const dead: ConsumedRecord[] = [];
    const reader = createKafkaConsumer({ brokers: [broker.brokers], clientId: 'dlq-reader', groupId: 'dlq-reader', topics: ['fixture.dead'] });
    await reader.run(async (batch, control) => {
      dead.push(...batch.records);
      await control.commit(batch.records.at(-1)!.offset);
    });
    await waitFor(() => dead.length > 0);
    await reader.stop();

    expect(dead).toHaveLength(1);
    expect(dead[0].key?.toString()).toBe('k-dead');
    expect(dead[0].value?.toString()).toBe('always-fails');
    expect(Object.fromEntries(dead[0].headers.map((h) => [h.key, h.value.toString()]))).toEqual({
      'transaction-id': 'tx-dead',
      'mxflow-failed-function': fn('deadletter'),
      'mxflow-error': expect.stringContaining('this record never succeeds'),
      'mxflow-attempts': '3',
      'mxflow-source-topic': 'fixture.deadletter',
      'mxflow-source-partition': '0',
      'mxflow-source-offset': '0',
    });
  });

  it('runs schedule events through serverless-offline and leaves disabled events alone', async () => {
    const tick = await waitFor(() => deliveriesTo('tick')[0], 10_000, 'a scheduled event');
    expect(tick.event).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event', region: 'eu-west-1' });
    expect(deliveriesTo('disabled')).toEqual([]);
    expect(offline!.output()).toContain('Kafka: disabled ← fixture.disabled is disabled');
  });

  it('stops its consumers on SIGINT and resumes from the committed offsets after a restart', async () => {
    const running = offline!;
    const exit = await running.stop();
    offline = undefined;
    expect(exit.code).toBe(0);
    expect(running.output()).toContain('Kafka: stopped 5 consumer(s)');

    const restartedAt = Date.now();
    await startService();
    await producer.send('fixture.shape', [{ value: 'after-restart' }]);
    await waitFor(() => deliveriesTo('shape').some((d) => valuesOf(d).includes('after-restart')), 30_000, 'the new record');
    // Leave time for anything uncommitted to come back before checking that nothing did.
    await new Promise((r) => setTimeout(r, 1500));

    const redelivered = sink.deliveries
      .filter((d) => d.at >= restartedAt && !d.functionName.endsWith('-tick'))
      .map((d) => [d.functionName, valuesOf(d)]);
    expect(redelivered).toEqual([[fn('shape'), ['after-restart']]]);
  });
});
