import { randomUUID } from 'node:crypto';
import { ArchiveDirection, archiveKey, decodeOutgoing } from '@mxflow/contracts';
import { toXml, validateXml } from '@mxflow/iso20022';
import { localAws, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { createMessageBus, dynamoDbClient, rejectionAnswer, s3Client, type MessageBus } from '@mxflow/runtime';
import { createKafkaConsumer, DynamoDbTransactionLog, S3Archive, type ConsumedRecord, type KafkaConsumer } from '@mxflow/store';
import { paymentXml } from '../../../packages/e2e/src/payment';
import { sweep, type SweepPorts } from '../src/domain/sweep';

const headerOf = (record: ConsumedRecord, name: string): string | undefined => record.headers.find((header) => header.key === name)?.value?.toString('utf8');

describe('sweep, on DynamoDB Local, the local S3 and the local broker', () => {
  let cloud: LocalCloud;
  let dynamodb: ReturnType<typeof dynamoDbClient>;
  let s3: ReturnType<typeof s3Client>;
  let bus: MessageBus;
  let consumer: KafkaConsumer;
  let log: DynamoDbTransactionLog;
  let archive: S3Archive;
  let ports: SweepPorts;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-timeout-sweep' });
    // The clients the sweep's handler makes, with the credentials the local stage gives its functions.
    process.env.AWS_ACCESS_KEY_ID = localAws.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = localAws.credentials.secretAccessKey;
    const aws = { region: localAws.region, dynamoDbEndpoint: cloud.endpoints.dynamodb, s3Endpoint: cloud.endpoints.s3 };
    dynamodb = dynamoDbClient(aws);
    s3 = s3Client(aws);
    bus = createMessageBus({ kafkaBrokers: [cloud.endpoints.kafka], kafkaAuth: 'none', region: localAws.region }, 'mxflow-timeout-test');
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
    archive = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
    ports = {
      log,
      archive,
      bus,
      now: () => new Date(),
      answerOf: rejectionAnswer,
    };
    consumer = createKafkaConsumer({ brokers: [cloud.endpoints.kafka], clientId: 'timeout-test', groupId: `timeout-test-${randomUUID()}`, topics: ['outgoing.pacs.002'], maxWaitTimeMs: 100 });
    const seen = new Set<string>();
    await consumer.run(async (batch, control) => {
      // A record fetched again (before its commit landed) is the same record, not a second one.
      for (const record of batch.records) {
        const where = `${record.partition}:${record.offset}`;
        if (!seen.has(where)) published.push(record);
        seen.add(where);
      }
      const last = batch.records.at(-1);
      if (last) await control.commit(last.offset);
    });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await bus?.disconnect();
    dynamodb?.destroy();
    s3?.destroy();
    await cloud?.stop();
  }, 60_000);

  /** A pacs.008 from Alpha received and archived, open, with the given deadline. */
  async function received(deadline: Date): Promise<string> {
    const transactionId = randomUUID();
    const createdAt = new Date(deadline.getTime() - 10_000).toISOString();
    const key = archiveKey(ArchiveDirection.incoming, createdAt, transactionId, 'pacs.008');
    const payment = paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '25.00', createdAt });
    await archive.put({ key, body: Buffer.from(payment.xml, 'utf8') });
    await log.record({
      transactionId,
      step: 'incoming#RCVD',
      status: 'RCVD',
      timestamp: createdAt,
      requestId: randomUUID(),
      messageType: 'pacs.008',
      archiveKey: key,
      parties: { senderEntity: 'ent-alpha' },
      messageIds: { msgId: payment.msgId, endToEndIds: [payment.endToEndId], uetrs: [payment.uetr] },
      deadline: deadline.toISOString(),
    });
    return transactionId;
  }

  /** Waits until the broker has had time to deliver, then gives the pacs.002 records of a transaction. */
  async function answersOf(transactionId: string, atLeast: number): Promise<ConsumedRecord[]> {
    const matching = () => published.filter((record) => headerOf(record, 'transaction-id') === transactionId);
    const until = Date.now() + 10_000;
    while (matching().length < atLeast && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    // A second answer, if there were one, would come right after the first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return matching();
  }

  it('rejects an overdue transaction with AB05 exactly once when two sweeps overlap, and answers its sender once', async () => {
    const overdue = await received(new Date(Date.now() - 60_000));

    const reports = await Promise.all([sweep(randomUUID(), ports), sweep(randomUUID(), ports)]);

    expect(reports.flatMap((report) => report.timedOut).filter((id) => id === overdue)).toEqual([overdue]);
    const { summary, steps } = await log.history(overdue);
    expect(summary).toMatchObject({ status: 'RJCT', reasonCode: 'AB05', final: true });
    expect(steps.filter((step) => step.step === 'timeout#RJCT')).toHaveLength(1);
    expect(steps.find((step) => step.step === 'timeout#RJCT')?.detail).toBe(`no final status by its deadline ${summary?.deadline}`);

    const answers = await answersOf(overdue, 1);
    expect(answers).toHaveLength(1);
    const answer = decodeOutgoing('outgoing.pacs.002', answers[0].value ?? '');
    expect(answer).toMatchObject({ messageType: 'pacs.002', transactionId: overdue, receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'AB05' });
    expect(answers[0].key?.toString('utf8')).toBe('ent-alpha');
    const xml = toXml(answer.messageId, answer.document);
    expect(validateXml(xml)).toMatchObject({ valid: true });
    expect(xml).toContain('<Cd>AB05</Cd>');
  }, 60_000);

  it('answers, on the next sweep, a timeout whose answer a crash kept from going out, and then leaves it', async () => {
    const overdue = await received(new Date(Date.now() - 60_000));
    // The first sweep crashes between recording the rejection and publishing its answer.
    const crashing: SweepPorts = { ...ports, bus: { publish: async () => Promise.reject(new Error('killed before publishing')) } };
    await expect(sweep(randomUUID(), crashing)).rejects.toThrow('killed before publishing');
    expect(await log.summary(overdue)).toMatchObject({ status: 'RJCT', reasonCode: 'AB05', final: true, finalStep: 'timeout#RJCT' });
    expect(await log.overdue(new Date(), 1000)).toContain(overdue);

    const report = await sweep(randomUUID(), ports);

    expect(report.answeredAgain).toContain(overdue);
    expect(report.timedOut).not.toContain(overdue);
    const answers = await answersOf(overdue, 1);
    expect(answers).toHaveLength(1);
    expect(decodeOutgoing('outgoing.pacs.002', answers[0].value ?? '')).toMatchObject({ transactionId: overdue, status: 'RJCT', reasonCode: 'AB05' });
    expect(await log.overdue(new Date(), 1000)).not.toContain(overdue);
    const again = await sweep(randomUUID(), ports);
    expect([...again.timedOut, ...again.answeredAgain]).not.toContain(overdue);
    expect((await log.steps(overdue)).filter((step) => step.step === 'timeout#RJCT')).toHaveLength(1);
  }, 60_000);

  it('answers a refusal at the door whose answer a crash kept from going out, once the step that refused it had its time', async () => {
    // What incoming writes when it refuses a message (RCVD and RJCT in one write, pending the answer), then crashes.
    const transactionId = randomUUID();
    const refusedAt = new Date(Date.now() - 60_000);
    const key = archiveKey(ArchiveDirection.incoming, refusedAt.toISOString(), transactionId, 'pacs.008');
    const payment = paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '7.00' });
    await archive.put({ key, body: Buffer.from(payment.xml, 'utf8') });
    const rcvd = { transactionId, step: 'incoming#RCVD', status: 'RCVD', timestamp: refusedAt.toISOString(), requestId: randomUUID(), messageType: 'pacs.008', archiveKey: key, parties: { senderEntity: 'ent-alpha' } };
    const rjct = { ...rcvd, step: 'incoming#RJCT', status: 'RJCT', timestamp: new Date(refusedAt.getTime() + 3).toISOString(), final: true, reasonCode: 'AM12', detail: 'the amount must be positive' };
    await log.recordFirstSteps([rcvd, rjct], [], [], { answerPending: true });

    // Within its grace the refusal is left to incoming; after it, the sweep answers with the recorded reason and words.
    const early = await sweep(randomUUID(), { ...ports, now: () => new Date(refusedAt.getTime() + 1_000) });
    expect(early.answeredAgain).not.toContain(transactionId);
    // It has left work behind: it is due again within a second.
    expect(Date.parse(early.nextDueAt ?? '')).toBeLessThanOrEqual(refusedAt.getTime() + 2_000);
    expect(await log.overdue(new Date(), 1000)).toContain(transactionId);
    const report = await sweep(randomUUID(), ports);
    expect(report.answeredAgain).toContain(transactionId);

    const answers = await answersOf(transactionId, 1);
    expect(answers).toHaveLength(1);
    const answer = decodeOutgoing('outgoing.pacs.002', answers[0].value ?? '');
    expect(answer).toMatchObject({ transactionId, receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'AM12' });
    const xml = toXml(answer.messageId, answer.document);
    expect(xml).toContain('<Cd>AM12</Cd>');
    expect(xml).toContain('the amount must be positive');
    expect(xml).toContain(`<CreDtTm>${rjct.timestamp}</CreDtTm>`);
    expect(await log.overdue(new Date(), 1000)).not.toContain(transactionId);
    expect(await log.summary(transactionId)).toMatchObject({ status: 'RJCT', reasonCode: 'AM12', finalStep: 'incoming#RJCT' });
  }, 60_000);

  it('leaves alone a transaction that is already final', async () => {
    const settled = await received(new Date(Date.now() - 60_000));
    await log.record({ transactionId: settled, step: 'pacs008#ACSC', status: 'ACSC', timestamp: new Date().toISOString(), requestId: randomUUID(), final: true });

    const report = await sweep(randomUUID(), ports);

    expect(report.timedOut).not.toContain(settled);
    const { summary, steps } = await log.history(settled);
    expect(summary).toMatchObject({ status: 'ACSC', final: true });
    expect(steps.map((step) => step.step)).toEqual(['incoming#RCVD', 'pacs008#ACSC']);
    expect(await answersOf(settled, 0)).toEqual([]);
  }, 60_000);

  it('says when it is due next: at the deadline of the next open transaction, at the latest', async () => {
    const deadline = new Date(Date.now() + 30 * 60_000);
    await received(deadline);

    const report = await sweep(randomUUID(), ports);

    expect(report.nextDueAt).not.toBeNull();
    expect(Date.parse(report.nextDueAt ?? '')).toBeLessThanOrEqual(deadline.getTime());
    expect(Date.parse(report.nextDueAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  }, 60_000);

  it('says it has nothing to do when nothing is open (its log answered by a stand-in: the rule alone)', async () => {
    const idle: SweepPorts = { ...ports, log: { ...ports.log, sweepWork: async () => ({ overdue: [] }) } as SweepPorts['log'] };
    expect(await sweep(randomUUID(), idle)).toEqual({ timedOut: [], answeredAgain: [], endedElsewhere: 0, nextDueAt: null });
    const more: SweepPorts = { ...ports, now: () => new Date(0), log: { ...ports.log, sweepWork: async () => ({ overdue: [], more: true, nextDeadline: new Date(60_000) }) } as SweepPorts['log'] };
    expect((await sweep(randomUUID(), more)).nextDueAt).toBe(new Date(1_000).toISOString());
  });

  it('leaves alone a transaction that is not due yet', async () => {
    const early = await received(new Date(Date.now() + 60 * 60_000));

    const report = await sweep(randomUUID(), ports);

    expect(report.timedOut).not.toContain(early);
    expect(await log.summary(early)).toMatchObject({ status: 'RCVD', final: false });
    expect(await answersOf(early, 0)).toEqual([]);
  }, 60_000);
});
