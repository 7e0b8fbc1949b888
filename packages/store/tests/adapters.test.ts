import { createHash } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import {
  ArchiveConflictError,
  DynamoDbMappingDirectory,
  DynamoDbStoreError,
  DynamoDbTransactionLog,
  DynamoDbUsageMeter,
  S3Archive,
  S3StoreError,
  StepAlreadyRecordedError,
  type TransactionStep,
} from '../src/index';


describe('DynamoDB and S3 adapters', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-adapters' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    s3?.destroy();
    await cloud?.stop();
  });

  describe('DynamoDbMappingDirectory', () => {
    it('finds a seeded client with its entity, scopes and status', async () => {
      const directory = new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table });
      const mapping = await directory.find('alpha-bank');
      expect(mapping).toEqual({ clientId: 'alpha-bank', entityId: 'ent-alpha', scopes: expect.arrayContaining(['payments/write', 'payments/read']), status: 'ACTIVE' });
      expect(mapping?.scopes).toHaveLength(2);
    });

    it('returns undefined for a client without a mapping', async () => {
      const directory = new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table });
      expect(await directory.find('operator')).toBeUndefined();
    });

    it('reads scopes written as a list', async () => {
      await dynamodb.send(
        new PutItemCommand({
          TableName: cloud.tables.mapping_table,
          Item: { clientId: { S: 'listed' }, entityId: { S: 'ent-listed' }, scopes: { L: [{ S: 'payments/read' }] }, status: { S: 'SUSPENDED' } },
        }),
      );
      const directory = new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table });
      expect(await directory.find('listed')).toEqual({ clientId: 'listed', entityId: 'ent-listed', scopes: ['payments/read'], status: 'SUSPENDED' });
    });

    it('reports a missing table as a store failure', async () => {
      const directory = new DynamoDbMappingDirectory({ client: dynamodb, tableName: 'no-such-table' });
      await expect(directory.find('alpha-bank')).rejects.toBeInstanceOf(DynamoDbStoreError);
    });
  });

  describe('DynamoDbTransactionLog', () => {
    const received: TransactionStep = {
      transactionId: '0b9d2c1e-0000-4000-8000-000000000001',
      step: 'incoming#RCVD',
      status: 'RCVD',
      timestamp: '2026-11-27T09:30:00.120Z',
      requestId: 'f0a1b2c3-0000-4000-8000-000000000001',
      messageType: 'pacs.008',
      entityId: 'ent-alpha',
      archiveKey: 'incoming/2026/11/27/0b9d2c1e-0000-4000-8000-000000000001/pacs.008.xml',
      archiveSha256: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
    };
    const rejected: TransactionStep = {
      ...received,
      step: 'incoming#RJCT',
      status: 'RJCT',
      timestamp: '2026-11-27T09:30:00.121Z',
      reasonCode: 'AC01',
      messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1', 'E2E-2'], uetrs: ['8a562c67-ca16-48ba-b074-65581be6f001'] },
    };

    it('records steps and reads them back in the order they happened', async () => {
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      await log.record(received);
      await log.record(rejected);
      // RJCT sorts before RCVD by key; the log orders by time.
      expect(await log.steps(received.transactionId)).toEqual([received, rejected]);
    });

    it('refuses to record a step twice', async () => {
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const again = log.record({ ...received, requestId: 'another-request' });
      await expect(again).rejects.toBeInstanceOf(StepAlreadyRecordedError);
      await expect(again).rejects.toMatchObject({ transactionId: received.transactionId, step: 'incoming#RCVD' });
      expect((await log.steps(received.transactionId))[0].requestId).toBe(received.requestId);
    });

    it('keeps the duplicate key on the step that accepted the message', async () => {
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const key = 'ent-alpha#pacs.008#COBA20261127093000001';
      await log.record({ ...received, transactionId: '0b9d2c1e-0000-4000-8000-000000000003', step: 'incoming#ACTC', status: 'ACTC', duplicateKey: key });
      expect((await log.steps('0b9d2c1e-0000-4000-8000-000000000003'))[0].duplicateKey).toBe(key);
    });

    it('returns no steps for an unknown transaction', async () => {
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      expect(await log.steps('0b9d2c1e-0000-4000-8000-00000000ffff')).toEqual([]);
    });
  });

  describe('S3Archive', () => {
    const key = 'incoming/2026/11/27/0b9d2c1e-0000-4000-8000-000000000002/pacs.008.xml';
    const xml = Buffer.from('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>');

    it('writes once, locked in COMPLIANCE mode, with a SHA-256 checksum', async () => {
      const archive = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
      const receipt = await archive.put({ key, body: xml, metadata: { 'transaction-id': '0b9d2c1e-0000-4000-8000-000000000002' } });
      expect(receipt).toMatchObject({ key, alreadyArchived: false, sha256: createHash('sha256').update(xml).digest('base64') });
      expect(receipt.versionId).toEqual(expect.any(String));
      const head = await s3.send(new HeadObjectCommand({ Bucket: cloud.archiveBucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head).toMatchObject({ ObjectLockMode: 'COMPLIANCE', ChecksumSHA256: receipt.sha256, Metadata: { 'transaction-id': '0b9d2c1e-0000-4000-8000-000000000002' } });
      expect(Buffer.from(await archive.get(key) ?? []).equals(xml)).toBe(true);
      expect(await archive.has(key)).toBe(true);
    });

    it('treats a second write of the same bytes as already archived', async () => {
      const archive = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
      expect(await archive.put({ key, body: Buffer.from(xml) })).toMatchObject({ key, alreadyArchived: true });
    });

    it('refuses different bytes under a taken key and keeps the first', async () => {
      const archive = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
      await expect(archive.put({ key, body: Buffer.from('<Document/>') })).rejects.toBeInstanceOf(ArchiveConflictError);
      expect(Buffer.from(await archive.get(key) ?? []).equals(xml)).toBe(true);
    });

    it('leaves a write without If-None-Match to the bucket policy, which denies it', async () => {
      await expect(s3.send(new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: key, Body: 'x', ChecksumAlgorithm: 'SHA256' }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });

    it('returns undefined for a missing key and reports a missing bucket as a store failure', async () => {
      expect(await new S3Archive({ client: s3, bucket: cloud.archiveBucket }).get('incoming/none.xml')).toBeUndefined();
      expect(await new S3Archive({ client: s3, bucket: cloud.archiveBucket }).has('incoming/none.xml')).toBe(false);
      await expect(new S3Archive({ client: s3, bucket: 'no-such-bucket' }).put({ key, body: xml })).rejects.toBeInstanceOf(S3StoreError);
    });
  });

  describe('DynamoDbUsageMeter', () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 7200;

    it('counts up to the limit and refuses what would pass it, adding nothing then', async () => {
      const meter = new DynamoDbUsageMeter({ client: dynamodb, tableName: cloud.tables.usage_table });
      expect(await meter.consume('archive#ent-alpha', '2026-12-02T07', 600, 1000, expiresAt)).toBe(true);
      expect(await meter.consume('archive#ent-alpha', '2026-12-02T07', 500, 1000, expiresAt)).toBe(false);
      expect(await meter.consume('archive#ent-alpha', '2026-12-02T07', 400, 1000, expiresAt)).toBe(true);
      expect(await meter.consume('archive#ent-alpha', '2026-12-02T07', 1, 1000, expiresAt)).toBe(false);
      // Another window and another subject start from nothing.
      expect(await meter.consume('archive#ent-alpha', '2026-12-02T08', 1000, 1000, expiresAt)).toBe(true);
      expect(await meter.consume('archive#ent-beta', '2026-12-02T07', 1000, 1000, expiresAt)).toBe(true);
      expect(await meter.consume('archive#ent-beta', '2026-12-02T09', 1001, 1000, expiresAt)).toBe(false);
    });

    it('lets exactly as many concurrent requests through as fit', async () => {
      const meter = new DynamoDbUsageMeter({ client: dynamodb, tableName: cloud.tables.usage_table });
      const results = await Promise.all(Array.from({ length: 20 }, () => meter.consume('archive#ent-gamma', '2026-12-02T07', 100, 750, expiresAt)));
      expect(results.filter(Boolean)).toHaveLength(7);
    });
  });
});
