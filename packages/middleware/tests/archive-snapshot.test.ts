import { createHash } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy, { type Request } from '@middy/core';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import {
  MiddlewareOrderError,
  archive,
  archiveKey,
  bodyBytes,
  errors,
  nextTimestamp,
  snapshot,
  transaction,
  type SubmitContext,
} from '../src/index';
import { httpEvent, lambdaContext } from './lambda';

type Result = Exclude<APIGatewayProxyResultV2, string>;

const quiet = { info: () => undefined, error: () => undefined };
const XML = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>';
const bodyOf = (request: Request) => ({ body: bodyBytes(httpEvent({}, (request.event as { body?: string }).body)), messageType: 'pacs.008' });

class RejectedForTest extends Error {
  readonly reasonCode = 'AM04';
  readonly messageIds = { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: [] };
}

describe('archive and snapshot', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let store: S3Archive;
  let log: DynamoDbTransactionLog;
  let ids: string[];
  const newId = () => ids.shift() ?? 'no-more-ids';

  /** errors → transaction → archive → snapshot around `inner`. */
  const chain = (inner: (context: SubmitContext) => Promise<Result>, now = () => new Date('2026-11-27T23:59:59.999Z')) =>
    middy(async (_event: unknown, context: Context) => inner(context as SubmitContext))
      .use(errors({ logger: quiet }))
      .use(transaction({ newId, now }))
      .use(archive({ store, message: bodyOf }))
      .use(snapshot({ log, service: 'incoming', now }));

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-mw-archive' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
    store = new S3Archive({ client: s3, bucket: cloud.archiveBucket });
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    s3?.destroy();
    await cloud?.stop();
  });

  it('archives the message and records RCVD together with the first step the handler records', async () => {
    ids = ['7a1c4c0e-1111-4aaa-8bbb-000000000001', 'request-1'];
    let seenByHandler: unknown[] = [];
    const handler = chain(async (context) => {
      seenByHandler = (await log.steps(context.transaction.transactionId)).map((step) => step.status);
      await context.recordStep('ACTC', { messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: [] } });
      return { statusCode: 202, body: context.archived.key };
    });
    const result = (await handler(httpEvent({}, XML), lambdaContext())) as Result;
    const key = 'incoming/2026/11/27/7a1c4c0e-1111-4aaa-8bbb-000000000001/pacs.008.xml';
    expect(result).toMatchObject({ statusCode: 202, body: key });
    // Nothing exists before the decision: a crash before it leaves no open transaction behind.
    expect(seenByHandler).toEqual([]);
    const stored = await s3.send(new GetObjectCommand({ Bucket: cloud.archiveBucket, Key: key }));
    expect(await stored.Body?.transformToString()).toBe(XML);
    expect(stored.Metadata).toMatchObject({ 'transaction-id': '7a1c4c0e-1111-4aaa-8bbb-000000000001', 'request-id': 'request-1' });
    const steps = await log.steps('7a1c4c0e-1111-4aaa-8bbb-000000000001');
    expect(steps).toEqual([
      {
        transactionId: '7a1c4c0e-1111-4aaa-8bbb-000000000001',
        step: 'incoming#RCVD',
        status: 'RCVD',
        timestamp: '2026-11-27T23:59:59.999Z',
        requestId: 'request-1',
        messageType: 'pacs.008',
        archiveKey: key,
        // The digest of the archived bytes, so that reconciliation can prove the archive still holds them.
        archiveSha256: createHash('sha256').update(XML).digest('base64'),
      },
      {
        transactionId: '7a1c4c0e-1111-4aaa-8bbb-000000000001',
        step: 'incoming#ACTC',
        status: 'ACTC',
        // The clock stood still: the step still comes one millisecond later.
        timestamp: '2026-11-28T00:00:00.000Z',
        requestId: 'request-1',
        messageType: 'pacs.008',
        archiveKey: key,
        archiveSha256: createHash('sha256').update(XML).digest('base64'),
        messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'] },
      },
    ]);
  });

  it('records RJCT with the reason code when the handler throws a business rejection', async () => {
    ids = ['7a1c4c0e-2222-4aaa-8bbb-000000000002', 'request-2'];
    const handler = chain(async () => {
      throw new RejectedForTest('insufficient funds');
    });
    const result = (await handler(httpEvent({}, XML), lambdaContext())) as Result;
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ transactionId: '7a1c4c0e-2222-4aaa-8bbb-000000000002', requestId: 'request-2' });
    const steps = await log.steps('7a1c4c0e-2222-4aaa-8bbb-000000000002');
    expect(steps.map((step) => [step.status, step.reasonCode, step.messageIds?.msgId])).toEqual([
      ['RCVD', undefined, undefined],
      ['RJCT', 'AM04', 'MSG-1'],
    ]);
  });

  it('records nothing for an infrastructure failure before the decision', async () => {
    ids = ['7a1c4c0e-3333-4aaa-8bbb-000000000003', 'request-3'];
    const handler = chain(async () => {
      throw new Error('broker unreachable');
    });
    const result = (await handler(httpEvent({}, XML), lambdaContext())) as Result;
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('broker');
    expect(JSON.parse(result.body ?? '{}')).not.toHaveProperty('transactionId');
    expect(await log.history('7a1c4c0e-3333-4aaa-8bbb-000000000003')).toEqual({ steps: [] });
  });

  it('refuses to write a step twice', async () => {
    ids = ['7a1c4c0e-4444-4aaa-8bbb-000000000004', 'request-4'];
    const handler = chain(async (context) => {
      await context.recordStep('ACTC');
      await context.recordStep('ACTC');
      return { statusCode: 202 };
    });
    const result = (await handler(httpEvent({}, XML), lambdaContext())) as Result;
    expect(result.statusCode).toBe(500);
    expect((await log.steps('7a1c4c0e-4444-4aaa-8bbb-000000000004')).map((step) => step.status)).toEqual(['RCVD', 'ACTC']);
  });

  it('treats a retry with the same bytes as archived, and different bytes as a failure', async () => {
    const ok = async (context: SubmitContext) => {
      await context.recordStep('ACTC');
      return { statusCode: 202 };
    };
    ids = ['7a1c4c0e-5555-4aaa-8bbb-000000000005', 'request-5'];
    expect(((await chain(ok)(httpEvent({}, XML), lambdaContext())) as Result).statusCode).toBe(202);

    const retry = await store.put({ key: archiveKey('incoming', '2026-11-27T23:59:59.999Z', '7a1c4c0e-5555-4aaa-8bbb-000000000005', 'pacs.008'), body: Buffer.from(XML) });
    expect(retry.alreadyArchived).toBe(true);

    // Same transaction id, other bytes: nothing is archived over the first, and nothing recorded.
    ids = ['7a1c4c0e-5555-4aaa-8bbb-000000000005', 'request-6'];
    const result = (await chain(ok)(httpEvent({}, XML.replace('/>', '></Document>')), lambdaContext())) as Result;
    expect(result.statusCode).toBe(500);
    const steps = await log.steps('7a1c4c0e-5555-4aaa-8bbb-000000000005');
    expect(steps.map((step) => step.requestId)).toEqual(['request-5', 'request-5']);
  });

  it('claims keys with the first step: a key another transaction holds writes nothing and tells what it was claimed with', async () => {
    const accept = (digest: string) => async (context: SubmitContext) => {
      await context.recordStep('ACTC', { claims: [{ key: 'msgid#ent-test#pacs.008#MSG-CLAIM', attributes: { bodySha256: digest } }] });
      return { statusCode: 202 };
    };
    ids = ['7a1c4c0e-6666-4aaa-8bbb-000000000006', 'request-7'];
    expect(((await chain(accept('first'))(httpEvent({}, XML), lambdaContext())) as Result).statusCode).toBe(202);
    ids = ['7a1c4c0e-7777-4aaa-8bbb-000000000007', 'request-8'];
    let refusal: unknown;
    const second = chain(async (context) => {
      try {
        return await accept('second')(context);
      } catch (error) {
        refusal = error;
        throw error;
      }
    });
    expect(((await second(httpEvent({}, XML), lambdaContext())) as Result).statusCode).toBe(500);
    expect(refusal).toMatchObject({ name: 'KeyClaimedError', owner: '7a1c4c0e-6666-4aaa-8bbb-000000000006', attributes: { bodySha256: 'first' } });
    expect(await log.history('7a1c4c0e-7777-4aaa-8bbb-000000000007')).toEqual({ steps: [] });
    expect((await log.summary('7a1c4c0e-6666-4aaa-8bbb-000000000006'))?.createdAt).toBe('2026-11-27T23:59:59.999Z');
  });

  it('refuses to run without the transaction middleware', async () => {
    const handler = middy(async () => ({ statusCode: 200 })).use(archive({ store, message: bodyOf }));
    await expect(handler(httpEvent({}, XML), lambdaContext())).rejects.toBeInstanceOf(MiddlewareOrderError);
  });

  it.each([
    [undefined, '2026-11-27T09:30:00.123Z', '2026-11-27T09:30:00.123Z'],
    ['2026-11-27T09:30:00.123Z', '2026-11-27T09:30:00.500Z', '2026-11-27T09:30:00.500Z'],
    ['2026-11-27T09:30:00.123Z', '2026-11-27T09:30:00.123Z', '2026-11-27T09:30:00.124Z'],
    ['2026-11-27T09:30:00.123Z', '2026-11-27T09:29:59.000Z', '2026-11-27T09:30:00.124Z'],
  ])('orders a step after %s at %s as %s', (previous, now, expected) => {
    expect(nextTimestamp(previous, new Date(now))).toBe(expected);
  });

  it.each([
    ['incoming', '2026-01-05T00:00:00.000Z', 'incoming/2026/01/05/t-1/pacs.008.xml'],
    ['outgoing', '2026-12-31T23:59:59.999Z', 'outgoing/2026/12/31/t-1/pacs.008.xml'],
  ] as const)('keys a %s message received at %s as %s', (direction, receivedAt, expected) => {
    expect(archiveKey(direction, receivedAt, 't-1', 'pacs.008')).toBe(expected);
  });
});
