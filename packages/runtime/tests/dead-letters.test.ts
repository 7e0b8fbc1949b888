import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { DeadLetterValue } from '@mxflow/contracts';
import { localClientConfig, localAws, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { createKafkaConsumer, DynamoDbDeadLetterStore, type ConsumedRecord, type KafkaConsumer } from '@mxflow/store';
import type { MSKEvent, MSKRecord } from 'aws-lambda';
import { createMessageBus, deadLetters, type KafkaEventRecord, type MessageBus } from '../src/index';

const TOPIC = 'incoming.pacs.028';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A record of TOPIC at a fresh offset, as Lambda's MSK event source delivers it. */
function mskRecord(transactionId: string): MSKRecord {
  return {
    topic: TOPIC,
    partition: 0,
    offset: Math.floor(Math.random() * 1e12),
    timestamp: 1796194498000,
    timestampType: 'CREATE_TIME',
    key: b64('ent-alpha'),
    value: b64(JSON.stringify({ transactionId })),
    headers: [{ 'transaction-id': [...Buffer.from(transactionId)] }, { 'message-type': [...Buffer.from('pacs.028')] }],
  };
}

const eventOf = (...records: MSKRecord[]): MSKEvent => ({
  eventSource: 'aws:kafka',
  eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/local/0',
  bootstrapServers: '127.0.0.1:9092',
  records: { [`${TOPIC}-0`]: records },
});

describe('deadLetters, around a middy handler, on DynamoDB Local and the local broker', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let store: DynamoDbDeadLetterStore;
  let bus: MessageBus;
  let consumer: KafkaConsumer;
  const dlq: ConsumedRecord[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-runtime-dlq' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    store = new DynamoDbDeadLetterStore({ client: dynamodb, tableName: cloud.tables.deadletter_table });
    bus = createMessageBus({ kafkaBrokers: [cloud.endpoints.kafka], kafkaAuth: 'none', region: localAws.region }, 'mxflow-runtime-test');
    consumer = createKafkaConsumer({ brokers: [cloud.endpoints.kafka], clientId: 'runtime-test', groupId: `runtime-test-${randomUUID()}`, topics: [`${TOPIC}.dlq`], maxWaitTimeMs: 100 });
    const seen = new Set<string>();
    await consumer.run(async (batch, control) => {
      for (const record of batch.records) {
        if (!seen.has(`${record.partition}:${record.offset}`)) dlq.push(record);
        seen.add(`${record.partition}:${record.offset}`);
      }
      const last = batch.records.at(-1);
      if (last) await control.commit(last.offset);
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await bus?.disconnect();
    dynamodb?.destroy();
    await cloud?.stop();
  }, 60_000);

  /** A handler that always fails, wrapped in the middleware; it remembers what the middleware told it. */
  function failingHandler() {
    const gaveUp: { record: KafkaEventRecord; letter: DeadLetterValue }[] = [];
    const retried: number[] = [];
    let calls = 0;
    const handler = middy(async (_event: MSKEvent): Promise<void> => {
      calls += 1;
      throw new Error(`the store is unavailable (call ${calls})`);
    }).use(
      deadLetters({
        consumer: 'pacs028',
        store,
        bus,
        maxAttempts: 3,
        now: () => new Date('2026-12-02T09:00:05.000Z'),
        giveUp: async (record, letter) => void gaveUp.push({ record, letter }),
        onRetry: (_record, attempt) => void retried.push(attempt),
      }),
    );
    return { handler, gaveUp, retried, calls: () => calls };
  }

  async function dlqRecordsOf(transactionId: string, atLeast: number): Promise<ConsumedRecord[]> {
    const matching = () => dlq.filter((record) => record.headers.some((header) => header.key === 'transaction-id' && header.value?.toString('utf8') === transactionId));
    const until = Date.now() + 10_000;
    while (matching().length < atLeast && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return matching();
  }

  it('rethrows the first failures, then keeps the dead letter, puts it on <topic>.dlq with its error, gives up once and succeeds', async () => {
    const transactionId = randomUUID();
    const record = mskRecord(transactionId);
    const id = `${TOPIC}:0:${record.offset}`;
    const { handler, gaveUp, retried, calls } = failingHandler();
    const context = { awsRequestId: randomUUID() } as Parameters<typeof handler>[1];

    await expect(handler(eventOf(record), context)).rejects.toThrow('the store is unavailable (call 1)');
    await expect(handler(eventOf(record), context)).rejects.toThrow('the store is unavailable (call 2)');
    expect(retried).toEqual([1, 2]);
    expect(await store.get(id)).toBeUndefined();
    expect(gaveUp).toEqual([]);

    await expect(handler(eventOf(record), context)).resolves.toBeNull();
    expect(calls()).toBe(3);
    expect(retried).toEqual([1, 2]);

    const letter: DeadLetterValue = {
      id,
      consumer: 'pacs028',
      topic: TOPIC,
      partition: 0,
      offset: String(record.offset),
      key: 'ent-alpha',
      value: JSON.stringify({ transactionId }),
      headers: { 'transaction-id': transactionId, 'message-type': 'pacs.028' },
      error: { name: 'Error', message: 'the store is unavailable (call 3)' },
      attempts: 3,
      failedAt: '2026-12-02T09:00:05.000Z',
      transactionId,
    };
    expect(await store.get(id)).toEqual(letter);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0].letter).toEqual(letter);
    expect(gaveUp[0].record).toMatchObject({ topic: TOPIC, offset: record.offset, key: 'ent-alpha', headers: { 'transaction-id': transactionId } });

    const published = await dlqRecordsOf(transactionId, 1);
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe(`${TOPIC}.dlq`);
    expect(published[0].key?.toString('utf8')).toBe('ent-alpha');
    expect(published[0].headers.find((header) => header.key === 'error')?.value?.toString('utf8')).toBe('Error: the store is unavailable (call 3)');
    expect(JSON.parse(published[0].value?.toString('utf8') ?? '')).toEqual(letter);
  }, 60_000);

  it('always rethrows for an event of two records, since nobody knows which one failed', async () => {
    const transactionIds = [randomUUID(), randomUUID()];
    const records = transactionIds.map(mskRecord);
    const { handler, gaveUp, retried } = failingHandler();
    const context = { awsRequestId: randomUUID() } as Parameters<typeof handler>[1];

    for (let delivery = 1; delivery <= 4; delivery += 1) {
      await expect(handler(eventOf(...records), context)).rejects.toThrow(`the store is unavailable (call ${delivery})`);
    }

    expect(gaveUp).toEqual([]);
    expect(retried).toEqual([]);
    for (const record of records) expect(await store.get(`${TOPIC}:0:${record.offset}`)).toBeUndefined();
    // Attempts were never counted: the first failure of either record alone is its first attempt.
    expect(await store.attempt(`${TOPIC}:0:${records[0].offset}`)).toBe(1);
    for (const transactionId of transactionIds) expect(await dlqRecordsOf(transactionId, 0)).toEqual([]);
  }, 60_000);
});
