import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ArchiveDirection, archiveKey, decodeOutgoing, type IncomingRecordValue, type OutgoingRecordValue } from '@mxflow/contracts';
import { paymentInitiations, toJson, toXml, validateXml } from '@mxflow/iso20022';
import { localAws, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { createMessageBus, dynamoDbClient, s3Client, type MessageBus } from '@mxflow/runtime';
import { createKafkaConsumer, DynamoDbEntityDirectory, DynamoDbTransactionLog, S3Archive, type ConsumedRecord, type KafkaConsumer, type TransactionSummary } from '@mxflow/store';
import { initiationXml } from '../../../packages/e2e/src/post-transactional';
import { childrenOf, handleInitiation, reportRecord, type Child, type InitiationPorts } from '../src/domain/initiation';
import { reportIfComplete, reportOf, type ReportPorts } from '../src/domain/report';

/** The pain.001 `mxflow sample pain.001` sends: two blocks, three transfers. */
const sampleXml = readFileSync(new URL('../../../packages/cli/samples/pain.001.xml', import.meta.url), 'utf8');
const parentId = '5e0d6c7a-0c3f-4b5e-9f55-1f5a2b0c9d11';
const received: IncomingRecordValue = {
  messageId: 'pain.001.001.09',
  messageType: 'pain.001',
  transactionId: parentId,
  requestId: 'b7f1c0de-2d4e-4c8a-9a51-0f3e6d2c7b10',
  senderEntity: 'ent-alpha',
  document: toJson(sampleXml).document,
};
const children = childrenOf(parentId, paymentInitiations(received.document));
const reportedAt = '2026-11-27T10:15:31.456Z';

/** What a child's summary says once it is final: settled, or rejected with a reason code and its words. */
function outcome(child: Child, status: string, reasonCode?: string, detail?: string): TransactionSummary {
  return {
    transactionId: child.transactionId,
    status,
    messageType: 'pacs.008',
    senderEntity: 'ent-alpha',
    createdAt: '2026-11-27T10:15:30.000Z',
    updatedAt: '2026-11-27T10:15:30.900Z',
    final: true,
    parentTransactionId: parentId,
    ...(reasonCode ? { reasonCode } : {}),
    ...(detail ? { detail } : {}),
  };
}

/** The pain.002 the report sends, as the outgoing step renders it, with what its schema says of it. */
function rendered(outcomes: readonly TransactionSummary[]) {
  const decision = reportOf(children, outcomes);
  const record = reportRecord(received, decision, reportedAt, 'pain.002', decision.groupStatus);
  const value = decodeOutgoing(record.topic, record.message.value);
  const xml = toXml(value.messageId, value.document);
  return { value, xml, issues: validateXml(xml).issues };
}

/** Each reported transfer's EndToEndId, status and reason code, in the order of the pain.002. */
function transfersOf(xml: string): string[][] {
  return [...xml.matchAll(/<OrgnlEndToEndId>([^<]+)<\/OrgnlEndToEndId>[\s\S]*?<TxSts>([A-Z]{4})<\/TxSts>(?:\s*<StsRsnInf>\s*<Rsn>\s*<Cd>([A-Z0-9]{4})<\/Cd>)?/g)].map((match) =>
    match.slice(1).filter((part) => part !== undefined),
  );
}

/** The group's status and, when it has one, its reason code and words. */
function groupOf(xml: string) {
  const group = /<OrgnlGrpInfAndSts>([\s\S]*?)<\/OrgnlGrpInfAndSts>/.exec(xml)?.[1] ?? '';
  return { status: /<GrpSts>([^<]+)</.exec(group)?.[1], reason: /<Cd>([^<]+)</.exec(group)?.[1], info: /<AddtlInf>([^<]+)</.exec(group)?.[1] };
}

describe('reportOf', () => {
  const [first, second, third] = children as [Child, Child, Child];
  const notParticipant = 'the creditor agent INGBNL2AXXX is not a participant';

  it('reports every transfer rejected for one reason as a group RJCT with that reason, in a pain.002 its schema accepts', () => {
    const { value, xml, issues } = rendered([outcome(first, 'RJCT', 'AM04'), outcome(second, 'RJCT', 'AM04'), outcome(third, 'RJCT', 'AM04')]);

    expect(issues).toEqual([]);
    expect(value).toMatchObject({ messageType: 'pain.002', name: 'pain.002', transactionId: parentId, receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'AM04' });
    expect(groupOf(xml)).toEqual({ status: 'RJCT', reason: 'AM04', info: undefined });
    expect(transfersOf(xml)).toEqual([
      ['INV-2026-11-0457', 'RJCT', 'AM04'],
      ['PO-88213', 'RJCT', 'AM04'],
      ['RENT-2026-12', 'RJCT', 'AM04'],
    ]);
  });

  it('reports every transfer rejected for different reasons as a group RJCT NARR that lists them, each transfer with its own', () => {
    const { value, xml, issues } = rendered([outcome(first, 'RJCT', 'AM04', 'insufficient funds'), outcome(second, 'RJCT', 'RC01', notParticipant), outcome(third, 'CANC', 'DUPL')]);

    expect(issues).toEqual([]);
    expect(value).toMatchObject({ status: 'RJCT', reasonCode: 'NARR' });
    expect(groupOf(xml)).toEqual({ status: 'RJCT', reason: 'NARR', info: 'every transfer was rejected (3), for reasons AM04, DS02, RC01; see each transfer' });
    expect(transfersOf(xml)).toEqual([
      ['INV-2026-11-0457', 'RJCT', 'AM04'],
      ['PO-88213', 'RJCT', 'RC01'],
      // A cancelled transfer is DS02, whatever the cancellation's own reason.
      ['RENT-2026-12', 'RJCT', 'DS02'],
    ]);
    expect(xml).toContain(`<AddtlInf>${notParticipant}</AddtlInf>`);
  });

  it('reports a rejection without a reason code as NARR with words, for the transfer and the group', () => {
    const { xml, issues } = rendered([outcome(first, 'RJCT'), outcome(second, 'RJCT'), outcome(third, 'RJCT')]);

    expect(issues).toEqual([]);
    expect(groupOf(xml)).toEqual({ status: 'RJCT', reason: 'NARR', info: 'every transfer was rejected (3); see each transfer' });
    expect(transfersOf(xml).map((transfer) => transfer.slice(1))).toEqual([
      ['RJCT', 'NARR'],
      ['RJCT', 'NARR'],
      ['RJCT', 'NARR'],
    ]);
    expect(xml).toContain('<AddtlInf>the payment ended RJCT</AddtlInf>');
  });

  it('reports some transfers rejected as a group PART, without a group reason code', () => {
    const { value, xml, issues } = rendered([outcome(first, 'ACSC'), outcome(second, 'RJCT', 'RC01', notParticipant), outcome(third, 'RTND')]);

    expect(issues).toEqual([]);
    expect(value).toMatchObject({ status: 'PART' });
    expect(value.reasonCode).toBeUndefined();
    expect(groupOf(xml)).toEqual({ status: 'PART', reason: undefined, info: '2 of 3 transfers settled, 1 rejected; see each transfer' });
    expect(transfersOf(xml)).toEqual([
      ['INV-2026-11-0457', 'ACSC'],
      ['PO-88213', 'RJCT', 'RC01'],
      // Returned later, but it settled: the report says what the initiation did.
      ['RENT-2026-12', 'ACSC'],
    ]);
  });

  it('reports every transfer settled as a group ACSC, a code pain.002.001.10 has, without any reason', () => {
    const { value, xml, issues } = rendered([outcome(first, 'ACSC'), outcome(second, 'ACSC'), outcome(third, 'ACSC')]);

    expect(issues).toEqual([]);
    expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"');
    expect(value).toMatchObject({ status: 'ACSC' });
    expect(groupOf(xml)).toEqual({ status: 'ACSC', reason: undefined, info: undefined });
    expect(xml).not.toContain('<StsRsnInf>');
    expect(transfersOf(xml).map((transfer) => transfer[1])).toEqual(['ACSC', 'ACSC', 'ACSC']);
    // Two blocks, each with its own transfers.
    expect([...xml.matchAll(/<OrgnlPmtInfId>([^<]+)</g)].map((match) => match[1])).toEqual(['HANSEN-PMT-0001', 'HANSEN-PMT-0002']);
  });

  it('keeps a reason list within the 105 characters of AddtlInf', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({ ...(first as Child), transactionId: `child-${index}` }));
    const decision = reportOf(
      many,
      many.map((child, index) => outcome(child, 'RJCT', `AB${String(index).padStart(2, '0')}`)),
    );
    expect(decision).toMatchObject({ groupStatus: 'RJCT', reason: 'NARR' });
    expect(decision.additionalInfo?.length).toBeLessThanOrEqual(105);
    expect(decision.additionalInfo).toMatch(/^every transfer was rejected \(30\), for reasons AB00, AB01, .*, …; see each transfer$/);
  });
});

const headerOf = (record: ConsumedRecord, name: string): string | undefined => record.headers.find((header) => header.key === name)?.value?.toString('utf8');

describe('reportIfComplete, on DynamoDB Local, the local S3 and the local broker', () => {
  let cloud: LocalCloud;
  let dynamodb: ReturnType<typeof dynamoDbClient>;
  let s3: ReturnType<typeof s3Client>;
  let bus: MessageBus;
  let consumer: KafkaConsumer;
  let log: DynamoDbTransactionLog;
  let archive: S3Archive;
  let ports: ReportPorts;
  const published: ConsumedRecord[] = [];

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-pain001-report' });
    process.env.AWS_ACCESS_KEY_ID = localAws.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = localAws.credentials.secretAccessKey;
    const aws = { region: localAws.region, dynamoDbEndpoint: cloud.endpoints.dynamodb, s3Endpoint: cloud.endpoints.s3 };
    dynamodb = dynamoDbClient(aws);
    s3 = s3Client(aws);
    bus = createMessageBus({ kafkaBrokers: [cloud.endpoints.kafka], kafkaAuth: 'none', region: localAws.region }, 'mxflow-pain001-test');
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
    archive = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
    ports = { log, archive, bus, now: () => new Date() };
    consumer = createKafkaConsumer({ brokers: [cloud.endpoints.kafka], clientId: 'pain001-test', groupId: `pain001-test-${randomUUID()}`, topics: ['outgoing.pain.002'], maxWaitTimeMs: 100 });
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

  /**
   * A pain.001 from Alpha to two banks that are no participants, as the
   * platform holds it once both of its pacs.008 were rejected RC01: archived,
   * ACSP, and each child final.
   */
  async function initiationWithRejectedChildren(): Promise<{ parent: string; endToEndIds: string[] }> {
    const parent = randomUUID();
    const createdAt = new Date(Date.now() - 5_000).toISOString();
    const requestId = randomUUID();
    const initiation = initiationXml({ fromBic: 'ALPHDEFFXXX', transfers: [{ toBic: 'INGBNL2AXXX', amount: '10.00' }, { toBic: 'DEUTDEFFXXX', amount: '2.50' }] });
    const key = archiveKey(ArchiveDirection.incoming, createdAt, parent, 'pain.001');
    await archive.put({ key, body: Buffer.from(initiation.xml, 'utf8') });
    await log.record({
      transactionId: parent,
      step: 'incoming#RCVD',
      status: 'RCVD',
      timestamp: createdAt,
      requestId,
      messageType: 'pain.001',
      archiveKey: key,
      parties: { senderEntity: 'ent-alpha' },
      messageIds: { msgId: initiation.msgId, endToEndIds: initiation.endToEndIds, uetrs: [] },
    });
    await log.record({ transactionId: parent, step: 'pain001#ACSP', status: 'ACSP', timestamp: new Date(Date.now() - 4_000).toISOString(), requestId });
    for (const child of childrenOf(parent, paymentInitiations(toJson(initiation.xml).document))) {
      await log.record({
        transactionId: child.transactionId,
        step: 'pain001#ACTC',
        status: 'ACTC',
        timestamp: new Date(Date.now() - 3_000).toISOString(),
        requestId,
        messageType: 'pacs.008',
        parties: { senderEntity: 'ent-alpha' },
        parentTransactionId: parent,
      });
      await log.record({
        transactionId: child.transactionId,
        step: 'pacs008#RJCT',
        status: 'RJCT',
        timestamp: new Date(Date.now() - 2_000).toISOString(),
        requestId,
        final: true,
        reasonCode: 'RC01',
        detail: 'the creditor agent is not a participant',
      });
    }
    return { parent, endToEndIds: initiation.endToEndIds };
  }

  /** The pain.002 records sent for a transaction, once the broker had time to deliver them. */
  async function reportsOf(transactionId: string): Promise<OutgoingRecordValue[]> {
    const matching = () => published.filter((record) => headerOf(record, 'transaction-id') === transactionId);
    const until = Date.now() + 10_000;
    while (matching().length < 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    return matching().map((record) => decodeOutgoing(record.topic, record.value ?? ''));
  }

  it('answers a pain.001 whose transfers were all rejected: ANSW RJCT RC01, and a pain.002 RJCT with each transfer', async () => {
    const { parent, endToEndIds } = await initiationWithRejectedChildren();

    expect(await reportIfComplete({ parentTransactionId: parent }, ports)).toBe(true);

    expect(await log.summary(parent)).toMatchObject({ status: 'ANSW', answer: 'RJCT', reasonCode: 'RC01', final: true });
    const [report, ...more] = await reportsOf(parent);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ messageType: 'pain.002', name: 'pain.002', receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'RC01' });
    const xml = toXml(report?.messageId ?? '', report?.document);
    expect(validateXml(xml).issues).toEqual([]);
    expect(groupOf(xml)).toMatchObject({ status: 'RJCT', reason: 'RC01' });
    expect(transfersOf(xml)).toEqual(endToEndIds.map((endToEndId) => [endToEndId, 'RJCT', 'RC01']));
  }, 60_000);

  it('sends the report of a pain.001 answered before the report could be built (the dead letter of that crash, replayed)', async () => {
    const { parent, endToEndIds } = await initiationWithRejectedChildren();
    // What the report step recorded before the pain.002 builder refused a group RJCT without a reason: the answer, and nothing sent.
    const answeredAt = new Date(Date.now() - 1_000).toISOString();
    await log.record({ transactionId: parent, step: 'pain001#ANSW', status: 'ANSW', timestamp: answeredAt, requestId: randomUUID(), final: true, answer: 'RJCT' });

    // The replayed record comes back to the same call.
    expect(await reportIfComplete({ parentTransactionId: parent }, ports)).toBe(true);

    const [report, ...more] = await reportsOf(parent);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ status: 'RJCT', reasonCode: 'RC01' });
    const xml = toXml(report?.messageId ?? '', report?.document);
    expect(validateXml(xml).issues).toEqual([]);
    // Built as of the recorded answer, so that every sending of it is the same message.
    expect(xml).toContain(`<CreDtTm>${answeredAt}</CreDtTm>`);
    expect(transfersOf(xml)).toEqual(endToEndIds.map((endToEndId) => [endToEndId, 'RJCT', 'RC01']));
  }, 60_000);

  it('makes the same payments when a pain.001 is delivered again after a crash between two of them, later', async () => {
    const initiation = initiationXml({ fromBic: 'ALPHDEFFXXX', transfers: [{ toBic: 'BETAFRPPXXX', amount: '3.00' }, { toBic: 'GAMMGB2LXXX', amount: '4.00' }] });
    const value: IncomingRecordValue = { ...received, transactionId: randomUUID(), requestId: randomUUID(), document: toJson(initiation.xml).document };
    const [first, second] = childrenOf(value.transactionId, paymentInitiations(value.document));
    const base: InitiationPorts = {
      log,
      archive,
      entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table ?? '' }),
      bus,
      now: () => new Date(),
      slaRules: [{ messageType: 'pacs.008', seconds: 10 }],
    };
    // The first delivery dies once the second payment's step is written, before its message is archived.
    const crashing: InitiationPorts = {
      ...base,
      log: {
        summary: (id) => log.summary(id),
        record: async (step, options) => {
          await log.record(step, options);
          if (step.transactionId === second?.transactionId) throw new Error('the process died here');
        },
      },
    };
    await expect(handleInitiation(value, crashing)).rejects.toThrow('the process died here');
    const madeAt = (await log.summary(first?.transactionId ?? ''))?.createdAt;

    // Delivered again two seconds later: the same payments, made at the same time, so the same bytes in the write-once archive.
    const outcome = await handleInitiation(value, { ...base, now: () => new Date(Date.now() + 2_000) });
    expect(outcome.status).toBe('ACSP');
    for (const child of [first, second]) {
      const summary = await log.summary(child?.transactionId ?? '');
      expect(summary).toMatchObject({ createdAt: madeAt, status: 'ACTC', parentTransactionId: value.transactionId });
      const xml = Buffer.from((await archive.get(archiveKey(ArchiveDirection.incoming, madeAt ?? '', child?.transactionId ?? '', 'pacs.008'))) ?? new Uint8Array()).toString('utf8');
      expect(xml).toContain(`<CreDtTm>${madeAt}</CreDtTm>`);
    }
  }, 60_000);
});
