import path from 'node:path';
import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { createKafkaProducer, type KafkaProducer } from '@mxflow/store';
import { FIXTURE_DIR, freePort, startEventSink, startOffline, waitFor, type EventSink, type OfflineProcess } from './support/offline';

// Services bundle TypeScript handlers with serverless-esbuild; the plugin invokes through
// serverless-offline, so it runs the bundle serverless-esbuild put in place of the handler.
let broker: RunningBroker;
let sink: EventSink;
let producer: KafkaProducer;
let offline: OfflineProcess | undefined;

beforeAll(async () => {
  broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, logLevel: 'error' });
  producer = createKafkaProducer({ brokers: [broker.brokers], clientId: 'esbuild-producer' });
  let failures = 0;
  // The first invocation fails, to show that a bundled handler's error is retried too.
  sink = await startEventSink(() => (failures++ === 0 ? 'first attempt fails' : undefined));
  const started = startOffline(
    { EVENT_SINK: sink.url, MXFLOW_KAFKA_BROKERS: broker.brokers },
    await freePort(),
    path.resolve(FIXTURE_DIR, '../fixture-esbuild'),
  );
  offline = started;
  await waitFor(() => started.output().includes('Kafka: typed ← esbuild.typed (group'), 60_000, 'the consumer');
}, 90_000);

afterAll(async () => {
  await offline?.stop();
  await producer?.disconnect();
  await sink?.close();
  await broker?.stop();
});

describe('serverless-offline-msk with serverless-esbuild', () => {
  it('invokes the bundled TypeScript handler, and again after it fails', async () => {
    await producer.send('esbuild.typed', [{ key: 'k', value: 'typed' }]);
    const deliveries = await waitFor(() => sink.deliveries.length >= 2 && sink.deliveries, 20_000, 'the retry');

    expect(deliveries.map((d) => d.functionName)).toEqual(['mskesbuild-offline-typed', 'mskesbuild-offline-typed']);
    expect(deliveries[1].event).toMatchObject({
      eventSource: 'aws:kafka',
      records: { 'esbuild.typed-0': [{ offset: 0, key: Buffer.from('k').toString('base64'), value: Buffer.from('typed').toString('base64') }] },
    });
    expect(deliveries[1].event).toEqual(deliveries[0].event);
  });
});
