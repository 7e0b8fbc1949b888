import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { createKafkaProducer, ensureKafkaTopics, type KafkaProducer } from '@mxflow/store';
import { readSources, startSource, type MskEvent, type PluginLog, type RunningSource } from '../src/index';
import { waitFor } from './support/offline';

// The event source runs in-process here, with an invoke function in place of serverless-offline,
// to check the starting positions against the real broker.
const quiet: PluginLog = { notice: () => undefined, warning: () => undefined, error: () => undefined, debug: () => undefined };

let broker: RunningBroker;
let producer: KafkaProducer;
const running: RunningSource[] = [];

beforeAll(async () => {
  broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, logLevel: 'error' });
  producer = createKafkaProducer({ brokers: [broker.brokers], clientId: 'source-test' });
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await producer.disconnect();
  await broker.stop();
});

async function run(topic: string, msk: Record<string, unknown>, invoke: (event: MskEvent) => Promise<void>): Promise<RunningSource> {
  const [definition] = readSources('svc', { f: { name: `svc-${topic}`, events: [{ msk: { arn: 'arn', topic, consumerGroupId: `group-${topic}`, maximumBatchingWindow: 0, ...msk } }] } }, {
    retryBackoffMs: 50,
  }).sources;
  const source = await startSource(definition, {
    connection: { brokers: [broker.brokers], clientId: `test-${topic}` },
    invoke: (_name, event) => invoke(event as MskEvent),
    producer,
    log: quiet,
  });
  running.push(source);
  return source;
}

function values(events: MskEvent[]): string[] {
  return events.flatMap((e) => Object.values(e.records).flat().map((r) => Buffer.from(r.value, 'base64').toString()));
}

describe('startSource', () => {
  it('starts at the first record at or after startingPositionTimestamp', async () => {
    const topic = 'source.at-timestamp';
    await ensureKafkaTopics({ brokers: [broker.brokers], clientId: 'admin' }, [{ topic }]);
    await producer.send(topic, [{ value: 'old-1' }, { value: 'old-2' }]);
    await new Promise((r) => setTimeout(r, 1100));
    // The event's timestamp is in whole seconds, as in serverless.yml.
    const seconds = Math.ceil(Date.now() / 1000);
    await new Promise((r) => setTimeout(r, seconds * 1000 - Date.now() + 50));
    await producer.send(topic, [{ value: 'new-1' }, { value: 'new-2' }]);

    const events: MskEvent[] = [];
    await run(topic, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: seconds }, async (e) => {
      events.push(e);
    });
    await waitFor(() => values(events).length >= 2);

    expect(values(events)).toEqual(['new-1', 'new-2']);
  });

  it('starts after the existing records with LATEST', async () => {
    const topic = 'source.latest';
    await ensureKafkaTopics({ brokers: [broker.brokers], clientId: 'admin' }, [{ topic }]);
    await producer.send(topic, [{ value: 'before-start' }]);

    const events: MskEvent[] = [];
    await run(topic, { startingPosition: 'LATEST' }, async (e) => {
      events.push(e);
    });
    // The group's start position is fixed when it joins; probe until a new record comes through.
    for (let i = 0; values(events).length === 0; i += 1) {
      await producer.send(topic, [{ value: `probe-${i}` }]);
      await new Promise((r) => setTimeout(r, 300));
      if (i > 50) throw new Error('no probe arrived');
    }

    expect(values(events)).not.toContain('before-start');
    expect(values(events)[0]).toMatch(/^probe-/);
  });

  it('hands the function only the records its filter patterns match, and commits past the others', async () => {
    const topic = 'source.filtered';
    await ensureKafkaTopics({ brokers: [broker.brokers], clientId: 'admin' }, [{ topic }]);
    await producer.send(topic, [
      { value: JSON.stringify({ id: 'plain-1' }) },
      { value: JSON.stringify({ id: 'child-1', parent: 'p-1' }) },
      { value: 'not json' },
      { value: JSON.stringify({ id: 'plain-2', parent: null }) },
      // Filtered out after the last record handed over: its offset must be committed too.
      { value: JSON.stringify({ id: 'plain-3' }) },
    ]);
    const events: MskEvent[] = [];
    const filterPatterns = [{ value: { parent: [{ exists: true }], id: [{ 'anything-but': 'child-2' }] } }];
    const source = await run(topic, { filterPatterns, consumerGroupId: 'group-filtered' }, async (e) => {
      events.push(e);
    });
    await waitFor(() => values(events).length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    // `exists` is about the field, as in EventBridge: a null value exists.
    expect(values(events).map((value) => (JSON.parse(value) as { id: string }).id)).toEqual(['child-1', 'plain-2']);
    await source.stop();

    // The same group without the filter starts past every record of the first: the filtered ones were committed too.
    await producer.send(topic, [{ value: JSON.stringify({ id: 'later' }) }, { value: JSON.stringify({ id: 'child-2', parent: 'p-2' }) }]);
    const after: MskEvent[] = [];
    await run(topic, { consumerGroupId: 'group-filtered' }, async (e) => {
      after.push(e);
    });
    await waitFor(() => values(after).length >= 2);
    expect(values(after).map((value) => (JSON.parse(value) as { id: string }).id)).toEqual(['later', 'child-2']);
  });

  it('stops promptly while a partition waits to retry', async () => {
    const topic = 'source.stop-during-retry';
    await ensureKafkaTopics({ brokers: [broker.brokers], clientId: 'admin' }, [{ topic }]);
    let attempts = 0;
    const source = await run(topic, {}, async () => {
      attempts += 1;
      throw new Error('down');
    });
    await producer.send(topic, [{ value: 'x' }]);
    await waitFor(() => attempts >= 2);

    const before = Date.now();
    await source.stop();
    const stoppedAfter = attempts;
    await new Promise((r) => setTimeout(r, 300));

    expect(Date.now() - before).toBeLessThan(10_000);
    expect(attempts).toBe(stoppedAfter);
  });
});
