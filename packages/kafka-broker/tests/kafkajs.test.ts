import kafkajs from 'kafkajs';
import { startBroker, type RunningBroker } from '../src/index';
import { readPartition, quietLogger, waitFor } from './helpers';

const { Kafka, logLevel } = kafkajs;

// Short timeouts keep rebalances quick; the broker's initial rebalance delay is 0 for the same reason.
const consumerTimings = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 10_000, maxWaitTimeInMs: 200 };

describe('broker with kafkajs 2.2.4', () => {
  let broker: RunningBroker;
  let kafka: InstanceType<typeof Kafka>;

  beforeAll(async () => {
    broker = await startBroker({ port: 0, defaultPartitions: 2, initialRebalanceDelayMs: 0, logger: quietLogger });
    kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  });

  afterAll(async () => {
    await broker.stop();
  });

  it('tells its onAppend the topic of each produce that appended records', async () => {
    const appended: string[] = [];
    const watched = await startBroker({ port: 0, defaultPartitions: 1, logger: quietLogger, onAppend: (topic) => appended.push(topic) });
    const client = new Kafka({ clientId: 'kafkajs-append', brokers: [watched.brokers], logLevel: logLevel.NOTHING });
    const producer = client.producer();
    try {
      await producer.connect();
      await producer.send({ topic: 'watched.one', messages: [{ value: 'a' }, { value: 'b' }] });
      await producer.send({ topic: 'watched.two', messages: [{ value: 'c' }] });
      expect(appended).toEqual(['watched.one', 'watched.two']);
    } finally {
      await producer.disconnect();
      await watched.stop();
    }
  });

  describe('admin', () => {
    it('creates topics, reports existing ones and describes their partitions', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        expect(await admin.createTopics({ topics: [{ topic: 'admin.four', numPartitions: 4 }, { topic: 'admin.default' }] })).toBe(true);
        expect(await admin.createTopics({ topics: [{ topic: 'admin.four', numPartitions: 4 }] })).toBe(false);
        const { topics } = await admin.fetchTopicMetadata({ topics: ['admin.four', 'admin.default'] });
        const byName = Object.fromEntries(topics.map((t) => [t.name, t.partitions.map((p) => p.partitionId).sort()]));
        expect(byName).toEqual({ 'admin.four': [0, 1, 2, 3], 'admin.default': [0, 1] });
        expect(topics[0].partitions[0]).toMatchObject({ leader: 0, replicas: [0], isr: [0] });
        expect(await admin.listTopics()).toEqual(expect.arrayContaining(['admin.four', 'admin.default']));
      } finally {
        await admin.disconnect();
      }
    });

    it('raises a partition count and refuses to lower one', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic: 'admin.grows', numPartitions: 2 }] });
        await admin.createPartitions({ topicPartitions: [{ topic: 'admin.grows', count: 5 }] });
        const { topics } = await admin.fetchTopicMetadata({ topics: ['admin.grows'] });
        expect(topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
        await expect(admin.createPartitions({ topicPartitions: [{ topic: 'admin.grows', count: 3 }] })).rejects.toThrow(/partitions/i);
        await expect(admin.createPartitions({ topicPartitions: [{ topic: 'admin.absent', count: 3 }] })).rejects.toThrow();
      } finally {
        await admin.disconnect();
      }
    });

    it('refuses an invalid topic name', async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toThrow();
      } finally {
        await admin.disconnect();
      }
    });

    it('serves earliest and latest offsets', async () => {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'admin.offsets', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }] });
      await producer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets('admin.offsets');
        expect(offsets.find((o) => o.partition === 0)).toMatchObject({ low: '0', high: '2', offset: '2' });
      } finally {
        await admin.disconnect();
      }
    });
  });

  describe('producer', () => {
    it.each([
      ['non-idempotent', false],
      ['idempotent', true],
    ])('sends keys, values and headers with acks -1 (%s)', async (_label, idempotent) => {
      const topic = `produce.${idempotent ? 'idem' : 'plain'}`;
      const producer = kafka.producer({ idempotent, allowAutoTopicCreation: true });
      await producer.connect();
      try {
        const [meta] = await producer.send({
          topic,
          acks: -1,
          messages: [{ key: 'debtor-1', value: '{"amount":"10.00"}', partition: 0, headers: { 'transaction-id': 'tx-1', 'message-type': 'pacs.008' } }],
        });
        expect(meta).toMatchObject({ errorCode: 0, baseOffset: '0', partition: 0 });
        const [second] = await producer.send({ topic, acks: -1, messages: [{ key: null, value: 'second', partition: 0 }] });
        expect(second.baseOffset).toBe('1');
      } finally {
        await producer.disconnect();
      }
      const records = await readPartition(broker.port, topic, 0);
      expect(records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
        [0, 'debtor-1', '{"amount":"10.00"}'],
        [1, null, 'second'],
      ]);
      expect(records[0].headers.map((h) => [h.key, h.value?.toString()])).toEqual([
        ['transaction-id', 'tx-1'],
        ['message-type', 'pacs.008'],
      ]);
    });

    it.each([1, 1000])('appends a batch of %i record(s) in order', async (count) => {
      const topic = `produce.batch-${count}`;
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      try {
        const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `value-${i}`, partition: 0 }));
        const [meta] = await producer.send({ topic, acks: -1, messages });
        expect(meta.baseOffset).toBe('0');
        await producer.send({ topic, acks: -1, messages: [{ value: 'after', partition: 0 }] });
      } finally {
        await producer.disconnect();
      }
      const records = await readPartition(broker.port, topic, 0);
      expect(records).toHaveLength(count + 1);
      expect(records.map((r) => r.offset)).toEqual(Array.from({ length: count + 1 }, (_, i) => i));
      expect(records[count - 1].value?.toString()).toBe(`value-${count - 1}`);
      expect(records[count].value?.toString()).toBe('after');
    });
  });

  describe('consumer groups', () => {
    it('delivers every record exactly once to a group of two across a rebalance', async () => {
      const topic = 'group.shared';
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
      await admin.disconnect();
      const producer = kafka.producer({ idempotent: true });
      await producer.connect();
      const send = (from: number, n: number) =>
        producer.send({ topic, messages: Array.from({ length: n }, (_, i) => ({ key: `debtor-${(from + i) % 13}`, value: String(from + i) })) });

      const seen = new Map<string, number>();
      const byMember: Record<string, number> = { a: 0, b: 0 };
      // Partitions each member was given, one entry per generation it joined.
      const joins: Record<string, number[]> = { a: [], b: [] };
      const makeConsumer = async (name: 'a' | 'b') => {
        const c = kafka.consumer({ groupId: 'group-shared', ...consumerTimings });
        c.on(c.events.GROUP_JOIN, ({ payload }) => {
          joins[name].push(Object.values(payload.memberAssignment).reduce((n, ps) => n + ps.length, 0));
        });
        await c.connect();
        await c.subscribe({ topic, fromBeginning: true });
        await c.run({
          autoCommitThreshold: 1,
          eachMessage: async ({ message }) => {
            const v = message.value!.toString();
            seen.set(v, (seen.get(v) ?? 0) + 1);
            byMember[name]++;
          },
        });
        return c;
      };
      const a = await makeConsumer('a');
      try {
        await send(0, 200);
        await waitFor(() => seen.size >= 200, 20_000, 'first wave at member a');
        expect(joins.a.at(-1)).toBe(4);
        const b = await makeConsumer('b');
        try {
          // The rebalance is over once both members hold part of the topic.
          await waitFor(() => joins.a.length >= 2 && joins.b.length >= 1, 20_000, 'rebalance');
          expect(joins.a.at(-1)! + joins.b.at(-1)!).toBe(4);
          expect(joins.b.at(-1)).toBeGreaterThan(0);
          await send(200, 200);
          await waitFor(() => seen.size >= 400, 30_000, 'second wave');
          await new Promise((r) => setTimeout(r, 500));
        } finally {
          await b.disconnect();
        }
      } finally {
        await a.disconnect();
        await producer.disconnect();
      }
      expect(seen.size).toBe(400);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(byMember.b).toBeGreaterThan(0);
    });

    it('resumes from the committed offset after a consumer restart', async () => {
      const topic = 'group.resume';
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: 0 })) });
      const consumeUntil = async (n: number, fromBeginning: boolean) => {
        const got: string[] = [];
        const c = kafka.consumer({ groupId: 'group-resume', ...consumerTimings });
        await c.connect();
        await c.subscribe({ topic, fromBeginning });
        await c.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
        await waitFor(() => got.length >= n, 20_000, `${n} records`);
        await new Promise((r) => setTimeout(r, 300));
        await c.disconnect();
        return got;
      };
      expect(await consumeUntil(10, true)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
      await producer.send({ topic, messages: [{ value: 'm10', partition: 0 }, { value: 'm11', partition: 0 }] });
      await producer.disconnect();
      expect(await consumeUntil(2, true)).toEqual(['m10', 'm11']);
    });
  });

  describe('without auto-creation', () => {
    let strict: RunningBroker;
    beforeAll(async () => {
      strict = await startBroker({ port: 0, autoCreateTopics: false, logger: quietLogger });
    });
    afterAll(async () => {
      await strict.stop();
    });

    it('refuses to produce to an unknown topic until it is created', async () => {
      const strictKafka = new Kafka({ brokers: [strict.brokers], logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 } });
      const producer = strictKafka.producer();
      await producer.connect();
      try {
        await expect(producer.send({ topic: 'strict.unknown', messages: [{ value: 'x' }] })).rejects.toThrow(/does not host this topic-partition/);
        const admin = strictKafka.admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic: 'strict.unknown' }] });
        await admin.disconnect();
        const [meta] = await producer.send({ topic: 'strict.unknown', messages: [{ value: 'x' }] });
        expect(meta.errorCode).toBe(0);
      } finally {
        await producer.disconnect();
      }
    });
  });
});
