import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { readInfrastructure } from '@mxflow/local-stack';
import { Kafka, logLevel } from 'kafkajs';
import { applyTopicMap, topicSpecs, TopicMapError, type TopicMapEvent } from '../src/index';
import { buildTopicFunction, zipFiles } from '../src/build';

/** Reads the entries of a zip through its central directory, checking each CRC. */
function unzip(zip: Buffer): { name: string; content: Buffer }[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  let offset = zip.readUInt32LE(end + 16);
  return Array.from({ length: zip.readUInt16LE(end + 10) }, () => {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const local = zip.readUInt32LE(offset + 42);
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const content = inflateRawSync(zip.subarray(data, data + zip.readUInt32LE(offset + 20)));
    expect(crc32(content)).toBe(zip.readUInt32LE(offset + 16));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    return { name, content };
  });
}

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');

/** The platform's topic map as Terraform sends it: what the local cloud reads from infra/platform. */
async function platformTopicMap(): Promise<TopicMapEvent> {
  const infra = await readInfrastructure({ infraDir: path.join(root, 'infra') });
  return { topics: Object.fromEntries(infra.kafkaTopics.map((topic) => [topic.name, { partitions: topic.partitions, config: { ...topic.config } }])) };
}

describe('the Kafka topic function', () => {
  let broker: RunningBroker;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, autoCreateTopics: false, logLevel: 'error' });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  const connection = () => ({ brokers: [broker.brokers], clientId: 'topics-test' });

  async function partitionCounts(): Promise<Record<string, number>> {
    const admin = new Kafka({ brokers: [broker.brokers], clientId: 'inspector', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const names = await admin.listTopics();
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      return Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]));
    } finally {
      await admin.disconnect();
    }
  }

  it('creates every topic of the platform map, a second run changes nothing, and a raised partition count is applied', async () => {
    const map = await platformTopicMap();
    const names = Object.keys(map.topics).sort();
    expect(names).toEqual(expect.arrayContaining(['incoming.pacs.008', 'outgoing.pacs.002', 'incoming.pacs.008.dlq']));

    const first = await applyTopicMap(connection(), map);
    expect(first.created.map((topic) => topic.topic)).toEqual(names);
    expect(first).toMatchObject({ raised: [], unchanged: [], notLowered: [] });
    expect(await partitionCounts()).toEqual(Object.fromEntries(names.map((name) => [name, map.topics[name].partitions])));

    const second = await applyTopicMap(connection(), map);
    expect(second).toEqual({ created: [], raised: [], unchanged: names, notLowered: [] });

    const raised: TopicMapEvent = { topics: { ...map.topics, 'incoming.pacs.008': { partitions: map.topics['incoming.pacs.008'].partitions + 2 } } };
    const third = await applyTopicMap(connection(), raised);
    expect(third.raised).toEqual([{ topic: 'incoming.pacs.008', from: map.topics['incoming.pacs.008'].partitions, to: map.topics['incoming.pacs.008'].partitions + 2 }]);
    expect(third.created).toEqual([]);
    expect((await partitionCounts())['incoming.pacs.008']).toBe(map.topics['incoming.pacs.008'].partitions + 2);
  });

  it('never deletes a topic or lowers a count: it reports what it left', async () => {
    await applyTopicMap(connection(), { topics: { 'keep.wide': { partitions: 4 }, 'keep.other': { partitions: 1 } } });
    const report = await applyTopicMap(connection(), { topics: { 'keep.wide': { partitions: 2 } } });
    expect(report).toEqual({ created: [], raised: [], unchanged: [], notLowered: [{ topic: 'keep.wide', partitions: 4, requested: 2 }] });
    const counts = await partitionCounts();
    expect({ wide: counts['keep.wide'], other: counts['keep.other'] }).toEqual({ wide: 4, other: 1 });
  });

  it('runs as the Lambda handler, configured from its environment', async () => {
    process.env.KAFKA_BROKERS = broker.brokers;
    process.env.KAFKA_AUTH = 'none';
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => void lines.push(line);
    try {
      const { handler } = await import('../src/handler');
      const report = await handler({ topics: { 'handler.made': { partitions: 2, config: { 'retention.ms': '86400000' } } } });
      expect(report.created).toEqual([{ topic: 'handler.made', partitions: 2 }]);
      expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
        expect.objectContaining({ level: 'info', message: 'topic map applied', created: 1, raised: 0, unchanged: 0, notLowered: 0, report }),
      ]);
    } finally {
      console.log = log;
      delete process.env.KAFKA_BROKERS;
      delete process.env.KAFKA_AUTH;
    }
  });

  it.each([
    ['no topics map', {}],
    ['a partition count of zero', { topics: { bad: { partitions: 0 } } }],
    ['a fractional replication factor', { topics: { ok: { partitions: 1 } }, replicationFactor: 1.5 }],
  ])('refuses an event with %s', (_, event) => {
    expect(() => topicSpecs(event)).toThrow(TopicMapError);
  });

  it('passes the replication factor of the map to every topic', () => {
    expect(topicSpecs({ topics: { b: { partitions: 2 }, a: { partitions: 1 } }, replicationFactor: 3 })).toEqual([
      { topic: 'a', numPartitions: 1, replicationFactor: 3, config: {} },
      { topic: 'b', numPartitions: 2, replicationFactor: 3, config: {} },
    ]);
  });
});

describe('the topic function zip', () => {
  it('holds one index.mjs that exports the handler, byte-identical from one build to the next', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-topics-zip-'));
    try {
      const first = await buildTopicFunction(path.join(dir, 'a.zip'));
      const second = await buildTopicFunction(path.join(dir, 'b.zip'));
      const [a, b] = await Promise.all([readFile(first.zipPath), readFile(second.zipPath)]);
      expect(a.equals(b)).toBe(true);
      expect(first.zipBytes).toBeLessThan(1024 * 1024);
      const [entry] = unzip(a);
      expect(entry.name).toBe('index.mjs');
      expect(entry.content.toString('utf8')).toMatch(/export\s*\{[^}]*as handler/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes entries that unzip to their content', () => {
    const files = [
      { name: 'a.txt', content: Buffer.from('hello') },
      { name: 'dir/b.txt', content: Buffer.alloc(5000, 'x') },
    ];
    expect(unzip(zipFiles(files))).toEqual(files);
  });
});
