import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaTopics, KafkaStoreError, type KafkaConnection, type KafkaLogEntry } from '../src/index';

describe('ensureKafkaTopics', () => {
  let broker: RunningBroker;
  const logged: KafkaLogEntry[] = [];

  beforeAll(async () => {
    broker = await startBroker({ port: 0, initialRebalanceDelayMs: 0, logLevel: 'error' });
  });

  afterAll(async () => {
    await broker?.stop();
  });

  beforeEach(() => {
    logged.length = 0;
  });

  const connection = (clientId: string): KafkaConnection => ({ brokers: [broker.brokers], clientId, onLog: (entry) => logged.push(entry) });

  async function partitionsOf(topic: string): Promise<number> {
    const admin = new Kafka({ brokers: [broker.brokers], clientId: 'inspector', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      return topics[0]?.partitions.length ?? 0;
    } finally {
      await admin.disconnect();
    }
  }

  it('creates the missing topics with their partitions', async () => {
    await ensureKafkaTopics(connection('provisioner'), [
      { topic: 'store.topics.one', numPartitions: 3 },
      { topic: 'store.topics.two', numPartitions: 1, config: { 'retention.ms': '1209600000' } },
    ]);
    expect(await partitionsOf('store.topics.one')).toBe(3);
    expect(await partitionsOf('store.topics.two')).toBe(1);
    expect(logged).toEqual([]);
  });

  it('logs no error when the topics exist already, and creates only the missing one', async () => {
    await ensureKafkaTopics(connection('provisioner'), [{ topic: 'store.topics.existing', numPartitions: 2 }]);
    await ensureKafkaTopics(connection('provisioner'), [
      { topic: 'store.topics.existing', numPartitions: 2 },
      { topic: 'store.topics.added', numPartitions: 2 },
    ]);
    await ensureKafkaTopics(connection('provisioner'), [{ topic: 'store.topics.existing', numPartitions: 2 }]);
    expect(await partitionsOf('store.topics.added')).toBe(2);
    expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('tolerates provisioners racing to create the same topic, quietly', async () => {
    const topics = [{ topic: 'store.topics.raced', numPartitions: 2 }];
    await Promise.all(Array.from({ length: 4 }, (_, index) => ensureKafkaTopics(connection(`provisioner-${index}`), topics)));
    expect(await partitionsOf('store.topics.raced')).toBe(2);
    expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('still reports a topic it cannot create', async () => {
    await expect(ensureKafkaTopics(connection('provisioner'), [{ topic: 'store.topics.bad', numPartitions: -5 }])).rejects.toBeInstanceOf(KafkaStoreError);
  });
});
