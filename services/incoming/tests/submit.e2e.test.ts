import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { localClientConfig, requestAccessToken, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { DynamoDbTransactionLog, createKafkaConsumer, type ConsumedRecord, type KafkaConsumer } from '@mxflow/store';
import { REPO_ROOT, startOffline, type Offline } from './support/cloud';
import { forge } from './support/tokens';

const FIXTURES = path.join(REPO_ROOT, 'packages/iso20022/tests/fixtures/messages/pacs.008.001.08');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * A fixture sent by Alpha, now: its instructing agent becomes Alpha's BIC, since a participant may only send as
 * itself, and its CreDtTm the current time, since a message whose SLA ran out before it arrived is rejected AB05.
 */
const asAlpha = async (file: string): Promise<Buffer> =>
  Buffer.from(
    (await readFile(path.join(FIXTURES, file), 'utf8'))
      .replaceAll('COBADEFFXXX', 'ALPHDEFFXXX')
      .replace(/<CreDtTm>[^<]*<\/CreDtTm>/g, `<CreDtTm>${new Date().toISOString()}</CreDtTm>`),
  );

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('POST /v1/messages under serverless offline', () => {
  let cloud: LocalCloud;
  let offline: Offline;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let consumer: KafkaConsumer;
  const records: ConsumedRecord[] = [];
  let token: string;

  const submit = async (body: string | Buffer, bearer: string | undefined, contentType = 'application/xml', headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${offline.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  const waitForRecord = async (transactionId: string): Promise<ConsumedRecord> => {
    for (let waited = 0; waited < 15_000; waited += 100) {
      const found = records.find((record) => record.headers.some((h) => h.key === 'transaction-id' && h.value.toString() === transactionId));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no record for ${transactionId}`);
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-e2e-incoming' });
    offline = await startOffline(cloud);
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
    consumer = createKafkaConsumer({
      brokers: [cloud.endpoints.kafka],
      clientId: 'incoming-e2e',
      groupId: 'incoming-e2e',
      topics: ['incoming.pacs.008'],
      startFrom: 'earliest',
      maxWaitTimeMs: 100,
    });
    await consumer.run(async (batch) => {
      records.push(...batch.records);
    });
    token = await requestAccessToken(cloud, 'alpha-bank', 'payments/write');
  }, 240_000);

  afterAll(async () => {
    await consumer?.stop();
    await offline?.stop();
    dynamodb?.destroy();
    s3?.destroy();
    await cloud?.stop();
  }, 60_000);

  it('accepts a valid pacs.008: archive, RCVD and ACTC steps, and a record on incoming.pacs.008', async () => {
    const xml = await asAlpha('valid.xml');
    const answer = await submit(xml, token);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      transactionId: expect.stringMatching(UUID),
      requestId: expect.stringMatching(UUID),
      status: 'ACTC',
      messageType: 'pacs.008',
      links: { status: `/v1/transactions/${String(answer.body.transactionId)}` },
    });
    const { transactionId, requestId } = answer.body as { transactionId: string; requestId: string };

    const steps = await new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }).steps(transactionId);
    expect(steps.map((step) => step.status)).toEqual(['RCVD', 'ACTC']);
    const [received, accepted] = steps;
    for (const step of steps) {
      expect(step).toMatchObject({ transactionId, requestId, entityId: 'ent-alpha', messageType: 'pacs.008' });
      expect(step.timestamp).toMatch(ISO_MS);
    }
    expect(Date.parse(accepted.timestamp)).toBeGreaterThan(Date.parse(received.timestamp));
    expect(accepted.messageIds).toEqual({
      msgId: 'COBA20261127093000001',
      endToEndIds: ['INV-2026-11-0457', 'PO-88213', 'SUB-2026-Q4-19'],
      uetrs: ['8a562c67-ca16-48ba-b074-65581be6f001', '3f1d9b42-7c0e-4a6d-9e25-b1c8d4f70a12', 'c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54'],
      txIds: ['COBA-TX-20261127-0001', 'COBA-TX-20261127-0002', 'COBA-TX-20261127-0003'],
      instructionIds: ['COBA-INSTR-0001', 'COBA-INSTR-0002', 'COBA-INSTR-0003'],
    });

    const day = received.timestamp.slice(0, 10).replaceAll('-', '/');
    const key = `incoming/${day}/${transactionId}/pacs.008.xml`;
    expect(received.archiveKey).toBe(key);
    const stored = await s3.send(new GetObjectCommand({ Bucket: cloud.archiveBucket, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(xml)).toBe(true);
    expect(stored.ObjectLockMode).toBe('COMPLIANCE');
    const overwrite = s3.send(new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: key, Body: 'tampered', ChecksumAlgorithm: 'SHA256' }));
    await expect(overwrite).rejects.toBeInstanceOf(S3ServiceException);
    await expect(overwrite).rejects.toMatchObject({ name: 'AccessDenied' });

    const record = await waitForRecord(transactionId);
    expect(record.key?.toString()).toBe('ent-alpha');
    expect(Object.fromEntries(record.headers.map((h) => [h.key, h.value.toString()]))).toEqual({
      'transaction-id': transactionId,
      'request-id': requestId,
      'message-type': 'pacs.008',
    });
    const value = JSON.parse(record.value!.toString()) as Record<string, unknown>;
    expect(value).toMatchObject({ messageId: 'pacs.008.001.08', messageType: 'pacs.008', transactionId, requestId, senderEntity: 'ent-alpha', archiveKey: key });
    expect(value.document).toHaveProperty('FIToFICstmrCdtTrf.GrpHdr.MsgId', 'COBA20261127093000001');
  });

  it('rejects the same MsgId from the same participant under another idempotency key with AM05, and accepts it from another', async () => {
    // A MsgId of its own: the first test already submitted the fixture's.
    const xml = (await asAlpha('valid-with-apphdr.xml')).toString('utf8').replaceAll('COBA20261127093000001', 'COBA20261127093000099');
    const first = await submit(xml, token);
    expect(first.status).toBe(202);
    // The same bytes under a new key are a retry of the same message: the first transaction's answer.
    const retry = await submit(xml, token, 'application/xml', { 'idempotency-key': 'retry-1' });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ transactionId: first.body.transactionId, requestId: first.body.requestId });
    // Other bytes with the same MsgId are another message: a duplicate.
    const again = await submit(xml.replace('Boulangerie Martin SAS', 'Boulangerie Martin SARL'), token, 'application/xml', { 'idempotency-key': 'resend-1' });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ reasonCode: 'AM05', errors: [{ path: '$.FIToFICstmrCdtTrf.GrpHdr.MsgId', reasonCode: 'AM05' }] });
    expect((again.body.errors as { message: string }[])[0].message).toContain(first.body.transactionId as string);
    const steps = await new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }).steps(again.body.transactionId as string);
    expect(steps.map((step) => [step.status, step.reasonCode])).toEqual([
      ['RCVD', undefined],
      ['RJCT', 'AM05'],
    ]);
    // Beta's own message may carry the same MsgId: the key is per sender.
    const fromBeta = await submit(xml.replaceAll('ALPHDEFFXXX', 'BETAFRPPXXX'), await requestAccessToken(cloud, 'beta-bank', 'payments/write'));
    expect(fromBeta.status).toBe(202);
  });

  it('rejects a message whose deadline passed before it arrived with AB05 at once, and queues nothing', async () => {
    const late = (await asAlpha('valid.xml')).toString('utf8').replace(/<CreDtTm>[^<]*<\/CreDtTm>/, `<CreDtTm>${new Date(Date.now() - 40 * 60_000).toISOString()}</CreDtTm>`).replaceAll('COBA20261127093000001', 'COBA20261127093000077');
    const seen = records.length;
    const answer = await submit(late, token);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ type: 'urn:mxflow:problem:message-too-late', reasonCode: 'AB05', errors: [{ path: '$.FIToFICstmrCdtTrf.GrpHdr.CreDtTm', reasonCode: 'AB05' }] });
    const summary = await new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }).summary(answer.body.transactionId as string);
    expect(summary).toMatchObject({ status: 'RJCT', reasonCode: 'AB05', final: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(records.slice(seen).filter((record) => record.value?.toString().includes('COBA20261127093000077'))).toEqual([]);
  });

  it('answers a retry of the same bytes after their deadline with the transaction they made, not AB05', async () => {
    const xml = (await asAlpha('valid.xml')).toString('utf8').replace(/<CreDtTm>[^<]*<\/CreDtTm>/, `<CreDtTm>${new Date(Date.now() - 9_000).toISOString()}</CreDtTm>`).replaceAll('COBA20261127093000001', 'COBA20261127093000066');
    const first = await submit(xml, token, 'application/xml', { 'idempotency-key': 'before-deadline' });
    expect(first.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A new key, so that the idempotency record does not answer: the MsgId claim does.
    const retry = await submit(xml, token, 'application/xml', { 'idempotency-key': 'after-deadline' });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ transactionId: first.body.transactionId });
  });

  it('rejects a message that breaks a business rule with 422, the reason code and an RJCT step', async () => {
    // Its own key: by MsgId and instructing agent it would be the accepted valid.xml with another body (409).
    const answer = await submit(await asAlpha('invalid-iban.xml'), token, 'application/xml', { 'idempotency-key': 'invalid-iban' });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 422, title: 'Message Rejected', reasonCode: 'AC01', transactionStatus: 'RJCT' });
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ path: '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN', reasonCode: 'AC01' }),
    ]);
    const transactionId = answer.body.transactionId as string;
    expect(transactionId).toMatch(UUID);
    const steps = await new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }).steps(transactionId);
    expect(steps.map((step) => [step.status, step.reasonCode])).toEqual([
      ['RCVD', undefined],
      ['RJCT', 'AC01'],
    ]);
    expect(steps[1].messageIds?.msgId).toBe('COBA20261127093000001');
    // Its answer went out before the 422: the rejection is no longer pending it, so the timeout sweep leaves it.
    expect(steps[1].detail).toEqual(expect.stringMatching(/\S/));
    expect(await new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }).overdue(new Date(), 1000)).not.toContain(transactionId);
  });

  it('refuses a forged token that serverless-offline lets through, with 401 and a Bearer challenge', async () => {
    const answer = await submit(await readFile(path.join(FIXTURES, 'valid.xml')), await forge(token));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="mxflow", error="invalid_token"/);
    expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it.each([
    ['malformed XML', 400, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>', 'application/xml'],
    ['an unsupported namespace', 415, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.057.001.06"><NtfctnToRcv/></Document>', 'application/xml'],
    ['a JSON body that is no message in the JSON form', 422, '{"FIToFICstmrCdtTrf":{}}', 'application/json'],
    ['a text/plain body', 415, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>', 'text/plain'],
  ])('answers %s with problem+json status %i and no transaction', async (_name, status, body, contentType) => {
    const answer = await submit(body, token, contentType);
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status, requestId: expect.stringMatching(UUID) });
    expect(answer.body).not.toHaveProperty('transactionId');
    expect((answer.body.errors as unknown[]).length).toBeGreaterThan(0);
  });

  it('answers an oversize message with 413', async () => {
    const xml = (await readFile(path.join(FIXTURES, 'valid.xml'), 'utf8')).replace('</Document>', `<!--${'x'.repeat(1024 * 1024)}--></Document>`);
    const answer = await submit(xml, token);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ status: 413, title: 'Content Too Large' });
  });
});
