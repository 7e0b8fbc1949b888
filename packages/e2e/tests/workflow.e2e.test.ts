import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { toJson, toXml } from '@mxflow/iso20022';
import { DynamoDbLedger, DynamoDbTransactionLog } from '@mxflow/store';
import { loadOrCreateSigningKey } from '@mxflow/local-oauth';
import { createSelfSignedCertificate } from '@mxflow/local-sns';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWTHeaderParameters } from 'jose';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { startSubscriber, verifySnsSignature, waitFor, type Subscriber } from '../../local-sns/tests/helpers';
import { forge } from '../../../services/incoming/tests/support/tokens';
import { call, mxflow, paymentXml, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' };
const GAMMA = { entityId: 'ent-gamma', bic: 'GAMMGB2LXXX', clientId: 'gamma-bank' };
const PARTIES = [ALPHA, BETA, GAMMA];
const SCOPES = 'payments/write payments/read';

describe('the payment workflow on the local platform', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let ledger: DynamoDbLedger;
  let log: DynamoDbTransactionLog;
  const tokens: Record<string, string> = {};
  const subscribers: Record<string, Subscriber> = {};

  const balance = async (entityId: string, currency = 'EUR'): Promise<bigint> => (await ledger.balance(entityId, currency))?.minor ?? -1n;
  const postingsOf = async (transactionId: string) => {
    const all = await Promise.all(PARTIES.map((party) => ledger.postings(party.entityId)));
    return all.flat().filter((posting) => posting.transactionId === transactionId);
  };
  const checkBooks = async () => {
    for (const party of PARTIES) {
      for (const currency of ['EUR', 'USD', 'GBP']) {
        const postings = await ledger.postings(party.entityId, currency);
        const sum = postings.reduce((total, posting) => total + posting.minor, 0n);
        expect({ party: party.entityId, currency, balance: await balance(party.entityId, currency) }).toEqual({ party: party.entityId, currency, balance: sum });
      }
    }
  };

  let keyDir: string;

  beforeAll(async () => {
    // The OAuth server's key on disk, so that a test can sign a genuine but expired token.
    keyDir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-e2e-key-'));
    // Beta's endpoint is https, with a certificate the platform's SNS is told to trust.
    const certificate = createSelfSignedCertificate({ commonName: 'beta.subscriber.local', altNames: ['127.0.0.1', 'localhost'] });
    platform = await startPlatform({
      snsTrustedCertificates: [certificate.certificatePem],
      namePrefix: 'mxflow-e2e-workflow',
      oauthKeyFile: path.join(keyDir, 'signing-key.json'),
      composeFile: defaultComposeFile,
      apiPort: 0,
      // A payment whose EndToEndId starts with CRASH- fails once after its liquidity moved.
      serviceEnv: {
        MXFLOW_FAULTS: 'pacs008:crash-before-publish:CRASH-',
        // Small enough for one test to use it up with a few large bodies.
        MXFLOW_ARCHIVE_QUOTA_BYTES_PER_HOUR: String(2_500_000),
        // 200 payments sent at once take longer than SEPA Instant's 10 s to drain on one machine; timeouts have their own tests.
        MXFLOW_SLA_RULES: '*=600s',
      },
    });
    const { cloud } = platform;
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table });
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
    for (const party of PARTIES) tokens[party.entityId] = await requestAccessToken(cloud, party.clientId, SCOPES);
    // Each participant's endpoint gets only what is addressed to it (a filter policy on its entity id).
    const sns = new SNSClient(localClientConfig(cloud.endpoints.sns));
    for (const party of [ALPHA, BETA]) {
      const subscriber = await startSubscriber(party === BETA ? { key: certificate.privateKeyPem, cert: certificate.certificatePem } : undefined);
      subscribers[party.entityId] = subscriber;
      await sns.send(
        new SubscribeCommand({
          TopicArn: cloud.notificationTopicArn,
          Protocol: subscriber.url.startsWith('https') ? 'https' : 'http',
          Endpoint: subscriber.url,
          Attributes: { FilterPolicy: JSON.stringify({ entityId: [party.entityId] }) },
          ReturnSubscriptionArn: true,
        }),
      );
      const confirmation = await waitFor(() => subscriber.received.find((request) => request.json.Type === 'SubscriptionConfirmation'), 'confirmation');
      await fetch(String(confirmation.json.SubscribeURL));
    }
    sns.destroy();
    // The first payment after start loads every handler (the cold start of each function); the timed test starts warm.
    const warmUp = await submit(platform.api, tokens[GAMMA.entityId], paymentXml({ fromBic: GAMMA.bic, toBic: ALPHA.bic, amount: '0.01' }).xml);
    await waitForFinal(platform.api, tokens[GAMMA.entityId], String(warmUp.body.transactionId), { timeoutMs: 30_000, outgoing: 2 });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(subscribers).map((subscriber) => subscriber.close()));
    dynamodb?.destroy();
    s3?.destroy();
    await platform?.stop();
    await rm(keyDir, { recursive: true, force: true });
  }, 60_000);

  it('settles a pacs.008 from Alpha to Beta: ACSC, pacs.002, the forwarded payment, notifications (https for Beta), balances and archive', async () => {
    const [alphaBefore, betaBefore] = [await balance(ALPHA.entityId), await balance(BETA.entityId)];
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '250.75' });
    const posted = Date.now();
    const answer = await submit(platform.api, tokens[ALPHA.entityId], payment.xml);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'ACTC', messageType: 'pacs.008', links: { status: `/v1/transactions/${answer.body.transactionId}` } });
    const transactionId = String(answer.body.transactionId);

    const final = await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId, { timeoutMs: 5_000, outgoing: 2 });
    expect(Date.now() - posted).toBeLessThan(5_000);
    expect(final).toMatchObject({
      status: 'ACSC',
      parties: { sender: ALPHA.entityId, receiver: BETA.entityId },
      amount: { value: '250.75', currency: 'EUR' },
      messageIds: { msgId: payment.msgId, endToEndIds: [payment.endToEndId], uetrs: [payment.uetr] },
    });
    const steps = final.steps as { step: string; timestamp: string }[];
    expect(steps.map((step) => step.step)).toEqual(expect.arrayContaining(['incoming#RCVD', 'incoming#ACTC', 'pacs008#ACSC', 'outgoing#pacs.002', 'outgoing#pacs.008']));
    for (const step of steps) expect(step.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    // The pacs.002 to Alpha: valid against the official XSD, echoing the original's ids.
    const report = await call(`${platform.api}/v1/transactions/${transactionId}/messages/outgoing`, { token: tokens[ALPHA.entityId] });
    expect(report.status).toBe(200);
    const reportXml = report.bytes.toString('utf8');
    expect(officialXsdProblems(reportXml)).toEqual([]);
    for (const echoed of [
      `<OrgnlMsgId>${payment.msgId}</OrgnlMsgId>`,
      '<OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>',
      `<OrgnlEndToEndId>${payment.endToEndId}</OrgnlEndToEndId>`,
      `<OrgnlUETR>${payment.uetr}</OrgnlUETR>`,
      '<TxSts>ACSC</TxSts>',
    ]) {
      expect(reportXml).toContain(echoed);
    }
    expect(report.headers.get('repr-digest')).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);

    // Beta gets the payment itself.
    const forwarded = await call(`${platform.api}/v1/transactions/${transactionId}/messages/outgoing`, { token: tokens[BETA.entityId] });
    expect(forwarded.status).toBe(200);
    expect(forwarded.bytes.toString('utf8')).toContain(`<UETR>${payment.uetr}</UETR>`);
    expect(officialXsdProblems(forwarded.bytes.toString('utf8'))).toEqual([]);

    // The incoming message, byte for byte.
    const incoming = await call(`${platform.api}/v1/transactions/${transactionId}/messages/incoming`, { token: tokens[BETA.entityId] });
    expect(incoming.bytes.toString('utf8')).toBe(payment.xml);

    // Each party is notified of its own message, with a valid signature; Beta over https.
    expect(subscribers[BETA.entityId].url).toMatch(/^https:/);
    for (const [party, messageType] of [[ALPHA, 'pacs.002'], [BETA, 'pacs.008']] as const) {
      const notification = await waitFor(
        () => subscribers[party.entityId].received.find((request) => request.json.Type === 'Notification' && String(request.json.Message).includes(transactionId)),
        `${messageType} notification for ${party.entityId}`,
      );
      expect(await verifySnsSignature(notification.json)).toBe(true);
      expect(JSON.parse(String(notification.json.Message))).toMatchObject({
        transactionId,
        status: 'ACSC',
        messageType,
        outgoingMessageKey: expect.stringMatching(new RegExp(`^outgoing/\\d{4}/\\d{2}/\\d{2}/${transactionId}/${messageType}\\.xml$`)),
        links: { status: `/v1/transactions/${transactionId}`, message: `/v1/transactions/${transactionId}/messages/outgoing` },
      });
    }
    expect(subscribers[BETA.entityId].received.some((request) => String(request.json.Message).includes('"messageType":"pacs.002"') && String(request.json.Message).includes(transactionId))).toBe(false);

    // Exactly the amount moved.
    expect(await balance(ALPHA.entityId)).toBe(alphaBefore - 25075n);
    expect(await balance(BETA.entityId)).toBe(betaBefore + 25075n);

    // Both archive objects exist and refuse to be overwritten.
    const list = await call(`${platform.api}/v1/transactions/${transactionId}/messages`, { token: tokens[ALPHA.entityId] });
    const keys = (list.body.messages as { archiveKey: string }[]).map((message) => message.archiveKey);
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      const overwrite = s3.send(new PutObjectCommand({ Bucket: platform.cloud.archiveBucket, Key: key, Body: 'tampered', ChecksumAlgorithm: 'SHA256' }));
      await expect(overwrite).rejects.toBeInstanceOf(S3ServiceException);
    }
    await checkBooks();
  });

  it('rejects a payment the sender cannot cover with AM04 and moves nothing', async () => {
    const before = await Promise.all(PARTIES.map((party) => balance(party.entityId)));
    const payment = paymentXml({ fromBic: GAMMA.bic, toBic: BETA.bic, amount: '5000000.00' });
    const answer = await submit(platform.api, tokens[GAMMA.entityId], payment.xml);
    expect(answer.status).toBe(202);
    const final = await waitForFinal(platform.api, tokens[GAMMA.entityId], String(answer.body.transactionId), { outgoing: 1 });
    expect(final).toMatchObject({ status: 'RJCT', reasonCode: 'AM04' });
    const report = await call(`${platform.api}/v1/transactions/${String(answer.body.transactionId)}/messages/outgoing`, { token: tokens[GAMMA.entityId] });
    expect(report.bytes.toString('utf8')).toContain('<Cd>AM04</Cd>');
    expect(officialXsdProblems(report.bytes.toString('utf8'))).toEqual([]);
    expect(await Promise.all(PARTIES.map((party) => balance(party.entityId)))).toEqual(before);
    expect(await postingsOf(String(answer.body.transactionId))).toEqual([]);
  });

  it('accepts exactly one of 20 concurrent copies of one message, and posts it once', async () => {
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: GAMMA.bic, amount: '10.00' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(platform.api, tokens[ALPHA.entityId], payment.xml)));
    // A copy gets the first answer once it is stored, or 409 while the first is still being processed.
    const accepted = answers.filter((answer) => answer.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted.map((answer) => answer.body.transactionId)).size).toBe(1);
    for (const refused of answers.filter((answer) => answer.status !== 202)) expect(refused.body).toMatchObject({ status: 409, type: 'urn:mxflow:problem:request-in-progress' });
    const transactionId = String(accepted[0].body.transactionId);
    await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId, { outgoing: 2 });
    expect((await postingsOf(transactionId)).map((posting) => posting.minor).sort()).toEqual([-1000n, 1000n]);
  });

  it('answers a repeat with the same Idempotency-Key and body with the same transaction, and a different body with 409', async () => {
    const key = `order-${Date.now()}`;
    const payment = paymentXml({ fromBic: BETA.bic, toBic: ALPHA.bic, amount: '7.00' });
    const first = await call(`${platform.api}/v1/messages`, {
      method: 'POST',
      token: tokens[BETA.entityId],
      headers: { 'content-type': 'application/xml', 'idempotency-key': key },
      body: payment.xml,
    });
    expect(first.status).toBe(202);
    const transactionId = String(first.body.transactionId);
    await waitForFinal(platform.api, tokens[BETA.entityId], transactionId, { outgoing: 2 });
    const again = await call(`${platform.api}/v1/messages`, {
      method: 'POST',
      token: tokens[BETA.entityId],
      headers: { 'content-type': 'application/xml', 'idempotency-key': key },
      body: payment.xml,
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    const other = await call(`${platform.api}/v1/messages`, {
      method: 'POST',
      token: tokens[BETA.entityId],
      headers: { 'content-type': 'application/xml', 'idempotency-key': key },
      body: paymentXml({ fromBic: BETA.bic, toBic: ALPHA.bic, amount: '8.00' }).xml,
    });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ type: 'urn:mxflow:problem:idempotency-key-reused', errors: [{ path: 'Idempotency-Key' }] });
    // The same bytes under a new key are still the same message: its transaction's answer, never an AM05 naming it.
    const newKey = await call(`${platform.api}/v1/messages`, {
      method: 'POST',
      token: tokens[BETA.entityId],
      headers: { 'content-type': 'application/xml', 'idempotency-key': `${key}-2` },
      body: payment.xml,
    });
    expect(newKey.status).toBe(202);
    expect(newKey.body).toMatchObject({ transactionId, status: 'ACSC' });
    // Another body with the same MsgId is a duplicate message: AM05, naming the transaction that holds it.
    const sameMsgId = await call(`${platform.api}/v1/messages`, {
      method: 'POST',
      token: tokens[BETA.entityId],
      headers: { 'content-type': 'application/xml', 'idempotency-key': `${key}-3` },
      body: payment.xml.replace('<Nm>Debtor</Nm>', '<Nm>Another debtor</Nm>'),
    });
    expect(sameMsgId.status).toBe(422);
    expect(sameMsgId.body).toMatchObject({ reasonCode: 'AM05' });
    expect(JSON.stringify(sameMsgId.body)).toContain(transactionId);
    expect((await postingsOf(transactionId)).map((posting) => posting.minor).sort()).toEqual([-700n, 700n]);
  });

  it('answers an invalid message with 422, records RJCT and sends a negative pacs.002', async () => {
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '10.001' });
    const answer = await submit(platform.api, tokens[ALPHA.entityId], payment.xml);
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ reasonCode: 'AM12', errors: expect.arrayContaining([expect.objectContaining({ reasonCode: 'AM12', path: '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt' })]) });
    const transactionId = String(answer.body.transactionId);
    const final = await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId, { outgoing: 1 });
    expect(final).toMatchObject({ status: 'RJCT', reasonCode: 'AM12' });
    const report = await call(`${platform.api}/v1/transactions/${transactionId}/messages/outgoing`, { token: tokens[ALPHA.entityId] });
    const xml = report.bytes.toString('utf8');
    expect(xml).toContain('<TxSts>RJCT</TxSts>');
    expect(xml).toContain(`<OrgnlMsgId>${payment.msgId}</OrgnlMsgId>`);
    expect(officialXsdProblems(xml)).toEqual([]);
  });

  it('accepts the JSON form and archives it as XML, and names a bad JSON form by its JSON Pointer', async () => {
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '4.20' });
    const form = { messageId: 'pacs.008.001.08', document: toJson(payment.xml).document };
    const answer = await call(`${platform.api}/v1/messages`, { method: 'POST', token: tokens[ALPHA.entityId], headers: { 'content-type': 'application/json' }, body: JSON.stringify(form) });
    expect(answer.status).toBe(202);
    const transactionId = String(answer.body.transactionId);
    await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId, { outgoing: 2 });
    const archived = await call(`${platform.api}/v1/transactions/${transactionId}/messages/incoming`, { token: tokens[ALPHA.entityId] });
    expect(archived.bytes.toString('utf8')).toBe(toXml('pacs.008.001.08', form.document));
    expect(officialXsdProblems(archived.bytes.toString('utf8'))).toEqual([]);

    const broken = { messageId: 'pacs.008.001.08', document: { FIToFICstmrCdtTrf: { GrpHdr: { MsgId: 'X', Colour: 'red' } } } };
    const refused = await call(`${platform.api}/v1/messages`, { method: 'POST', token: tokens[ALPHA.entityId], headers: { 'content-type': 'application/json' }, body: JSON.stringify(broken) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ reasonCode: 'FF01', errors: expect.arrayContaining([expect.objectContaining({ path: '/document/FIToFICstmrCdtTrf/GrpHdr', reasonCode: 'FF01' })]) });
    expect(refused.body).not.toHaveProperty('transactionId');
  });

  it('hands the function the exact bytes: invalid UTF-8 in an XML body gets 400 and nothing is archived', async () => {
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '1.20' });
    const bytes = Buffer.from(payment.xml.replace('<Nm>Debtor</Nm>', '<Nm>M\u00fcller</Nm>'), 'latin1');
    const answer = await call(`${platform.api}/v1/messages`, { method: 'POST', token: tokens[ALPHA.entityId], headers: { 'content-type': 'application/xml' }, body: new Uint8Array(bytes) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'urn:mxflow:problem:malformed-message' });
    expect(answer.body).not.toHaveProperty('transactionId');
  });

  it('sniffs a body sent without a Content-Type', async () => {
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '1.10' });
    // A Uint8Array body: fetch adds no Content-Type.
    const answer = await call(`${platform.api}/v1/messages`, { method: 'POST', token: tokens[ALPHA.entityId], body: new TextEncoder().encode(payment.xml) });
    expect(answer.status).toBe(202);
    const transactionId = String(answer.body.transactionId);
    await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId);
    const archived = await call(`${platform.api}/v1/transactions/${transactionId}/messages/incoming`, { token: tokens[ALPHA.entityId] });
    expect(archived.bytes.toString('utf8')).toBe(payment.xml);
  });

  it('refuses what passes the archive quota with 429 and archives nothing more', async () => {
    // Identifiable as a pacs.008, so archived before it is found schema-invalid: it counts.
    const large = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><!--${'x'.repeat(900_000)}--></FIToFICstmrCdtTrf></Document>`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await call(`${platform.api}/v1/messages`, {
        method: 'POST',
        token: tokens[BETA.entityId],
        headers: { 'content-type': 'application/xml', 'idempotency-key': `large-${attempt}` },
        body: large,
      });
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(answer.body).not.toHaveProperty('transactionId');
      }
    }
    expect(statuses).toEqual([422, 422, 429]);
  });

  describe('authorization', () => {
    const payment = () => paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '1.00' }).xml;

    it('refuses no token, a forged signature, alg none and an expired token with 401 problem+json and a Bearer challenge', async () => {
      const genuine = tokens[ALPHA.entityId];
      const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${b64({ ...decodeProtectedHeader(genuine), alg: 'none' })}.${b64(decodeJwt(genuine))}.`;
      // Signed with the issuer's own key, an hour past its expiry.
      const key = await loadOrCreateSigningKey(path.join(keyDir, 'signing-key.json'));
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ ...decodeJwt(genuine), iat: now - 7200, exp: now - 3600 })
        .setProtectedHeader(decodeProtectedHeader(genuine) as JWTHeaderParameters)
        .sign(await importJWK(key, 'RS256'));
      for (const [what, token] of [['no token', undefined], ['forged', await forge(genuine)], ['alg none', unsigned], ['expired', expired]] as const) {
        const answer = await submit(platform.api, token, payment());
        expect({ what, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ what, status: 401, type: 'application/problem+json' });
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="mxflow"/);
        expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      }
    });

    it('refuses a token without the write scope with 403 problem+json', async () => {
      const readOnly = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/read');
      const answer = await submit(platform.api, readOnly, payment());
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      const writeOnly = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/write');
      const reading = await call(`${platform.api}/v1/transactions`, { token: writeOnly });
      expect({ status: reading.status, type: reading.headers.get('content-type') }).toEqual({ status: 403, type: 'application/problem+json' });
    });

    it('refuses Alpha sending as Beta with 403 and records RJCT', async () => {
      const forged = paymentXml({ fromBic: BETA.bic, toBic: GAMMA.bic, amount: '1.00' });
      const answer = await submit(platform.api, tokens[ALPHA.entityId], forged.xml);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ reasonCode: 'AG01', errors: [{ path: '$.FIToFICstmrCdtTrf.GrpHdr.InstgAgt.FinInstnId.BICFI' }] });
      expect(await log.summary(String(answer.body.transactionId))).toMatchObject({ status: 'RJCT', reasonCode: 'AG01' });
    });

    it('shows a payment to both parties and to nobody else (404)', async () => {
      const answer = await submit(platform.api, tokens[ALPHA.entityId], payment());
      const transactionId = String(answer.body.transactionId);
      await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId);
      expect((await call(`${platform.api}/v1/transactions/${transactionId}`, { token: tokens[BETA.entityId] })).status).toBe(200);
      for (const path of ['', '/messages', '/messages/incoming', '/messages/outgoing']) {
        const answer = await call(`${platform.api}/v1/transactions/${transactionId}${path}`, { token: tokens[GAMMA.entityId] });
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      }
      expect((await call(`${platform.api}/v1/transactions/00000000-0000-4000-8000-000000000000`, { token: tokens[GAMMA.entityId] })).status).toBe(404);
      const betaList = await call(`${platform.api}/v1/transactions?limit=200`, { token: tokens[BETA.entityId] });
      expect((betaList.body.items as { transactionId: string }[]).map((item) => item.transactionId)).toContain(transactionId);
      const gammaList = await call(`${platform.api}/v1/transactions?limit=200`, { token: tokens[GAMMA.entityId] });
      expect((gammaList.body.items as { transactionId: string }[]).map((item) => item.transactionId)).not.toContain(transactionId);
    });
  });

  it('redelivers a record whose consumer crashed after posting and settles it exactly once', async () => {
    const before = [await balance(ALPHA.entityId), await balance(BETA.entityId)];
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '3.33', endToEndId: `CRASH-${Date.now()}` });
    const answer = await submit(platform.api, tokens[ALPHA.entityId], payment.xml);
    const transactionId = String(answer.body.transactionId);
    const final = await waitForFinal(platform.api, tokens[ALPHA.entityId], transactionId, { timeoutMs: 15_000, outgoing: 2 });
    expect(final.status).toBe('ACSC');
    expect((await postingsOf(transactionId)).map((posting) => posting.minor).sort()).toEqual([-333n, 333n]);
    expect([await balance(ALPHA.entityId), await balance(BETA.entityId)]).toEqual([before[0] - 333n, before[1] + 333n]);
  });

  describe('the mxflow command', () => {
    let dir: string;
    let env: Record<string, string>;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-cli-'));
      // What pnpm dev writes for the command to find the platform.
      const cloud = platform.cloud;
      await writeFile(
        path.join(dir, 'ready.json'),
        JSON.stringify({
          api: platform.api,
          tokenUrl: cloud.endpoints.tokenUrl,
          audience: cloud.endpoints.audience,
          dynamodb: cloud.endpoints.dynamodb,
          tables: cloud.tables,
          participants: cloud.seed.participants.map(({ entityId, clientId, clientSecret }) => ({ entityId, clientId, clientSecret })),
        }),
      );
      env = { MXFLOW_READY_FILE: path.join(dir, 'ready.json') };
    });

    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('submits a payment and waits for its pacs.002, then shows its status', async () => {
      const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '2.50' });
      const submitted = await mxflow(['submit', '-', '--wait'], env, payment.xml);
      expect(submitted.status).toBe(0);
      // Progress goes to stderr, one line per status; stdout holds the 202 answer's JSON and the answer's XML.
      expect(submitted.stderr).not.toContain('mxflow:');
      expect(submitted.stderr).toMatch(/ACSC/);
      const transactionId = (JSON.parse(submitted.stdout.split('\n')[0] ?? '{}') as { transactionId?: string }).transactionId;
      expect(transactionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(submitted.stdout).toContain(`<OrgnlUETR>${payment.uetr}</OrgnlUETR>`);
      const status = await mxflow(['status', String(transactionId), '--json'], env);
      expect(status.status).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ transactionId, status: 'ACSC', parties: { sender: ALPHA.entityId, receiver: BETA.entityId } });
      // Without --json: a line per field, then the steps as a table.
      const text = await mxflow(['status', String(transactionId)], env);
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^transactionId +${transactionId}\n`));
      expect(text.stdout).toMatch(/^status +ACSC \(final\)$/m);
      expect(text.stdout).toMatch(/^steps:\n {2}step +status +timestamp/m);
    });

    it('talks to any deployment through flags, and names a refusal', async () => {
      const cloud = platform.cloud;
      const flags = ['--api', platform.api, '--token-url', cloud.endpoints.tokenUrl, '--client-id', GAMMA.clientId, '--client-secret', 'gamma-local-secret-change-me', '--audience', cloud.endpoints.audience];
      const token = await mxflow(['token', ...flags], { MXFLOW_READY_FILE: path.join(dir, 'none.json') });
      expect(token.status).toBe(0);
      expect(decodeJwt(token.stdout.trim())).toMatchObject({ client_id: GAMMA.clientId });
      const broke = paymentXml({ fromBic: GAMMA.bic, toBic: BETA.bic, amount: '9999999.00' });
      const rejected = await mxflow(['submit', '-', '--wait', ...flags], { MXFLOW_READY_FILE: path.join(dir, 'none.json') }, broke.xml);
      // A rejected payment is final, with its negative pacs.002 printed, and the exit code says it was rejected.
      expect(rejected.status).toBe(1);
      expect(rejected.stderr).toMatch(/RJCT AM04/);
      expect(rejected.stdout).toContain('<Cd>AM04</Cd>');
      const wrongSecret = await mxflow(['token', ...flags.slice(0, 6), '--client-secret', 'wrong', '--audience', cloud.endpoints.audience], { MXFLOW_READY_FILE: path.join(dir, 'none.json') });
      expect(wrongSecret.status).toBe(1);
      expect(wrongSecret.stderr).toMatch(/token endpoint answered 401/);
      const nothing = await mxflow(['token'], { MXFLOW_READY_FILE: path.join(dir, 'none.json'), MXFLOW_API: '', MXFLOW_CLIENT_ID: '' });
      expect(nothing.status).toBe(2);
      expect(nothing.stderr).toMatch(/no api given/);
    });

    it('seeds a participant with its opening liquidity as a posting', async () => {
      const seedFile = path.join(dir, 'seed.json');
      await writeFile(
        seedFile,
        JSON.stringify({
          participants: [
            { entityId: 'ent-delta', name: 'Delta Bank', bic: 'DELTDEFFXXX', accounts: [], clientId: 'delta-bank', clientSecret: 's', scopes: ['payments/write'], liquidity: { EUR: '500.00' } },
          ],
        }),
      );
      const seeded = await mxflow(['seed', seedFile], env);
      expect(seeded.status).toBe(0);
      expect(seeded.stdout).toContain('seeded ent-delta (DELTDEFFXXX): 500.00 EUR');
      expect(await balance('ent-delta')).toBe(50000n);
      expect((await ledger.postings('ent-delta')).map((posting) => [posting.leg, posting.minor])).toEqual([['opening', 50000n]]);
      // Idempotent: seeding again posts nothing more.
      expect((await mxflow(['seed', seedFile], env)).status).toBe(0);
      expect(await balance('ent-delta')).toBe(50000n);
    });
  });

  it('brings 200 concurrent payments among three participants to a final status, keeping the books', async () => {
    const totalBefore = (await Promise.all(PARTIES.map((party) => balance(party.entityId)))).reduce((sum, value) => sum + value, 0n);
    const payments = Array.from({ length: 200 }, (_, index) => {
      const from = PARTIES[index % 3];
      const to = PARTIES[(index + 1) % 3];
      return { from, xml: paymentXml({ fromBic: from.bic, toBic: to.bic, amount: `${(index % 50) + 1}.${String(index % 100).padStart(2, '0')}` }).xml };
    });
    const ids: { id: string; token: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < payments.length) {
          const payment = payments[next++];
          const answer = await submit(platform.api, tokens[payment.from.entityId], payment.xml);
          expect(answer.status).toBe(202);
          ids.push({ id: String(answer.body.transactionId), token: tokens[payment.from.entityId] });
        }
      }),
    );
    const finals = await Promise.all(ids.map(({ id, token }) => waitForFinal(platform.api, token, id, { timeoutMs: 60_000 })));
    expect(finals.every((final) => final.status === 'ACSC')).toBe(true);
    const totalAfter = (await Promise.all(PARTIES.map((party) => balance(party.entityId)))).reduce((sum, value) => sum + value, 0n);
    expect(totalAfter).toBe(totalBefore);
    await checkBooks();
  }, 120_000);
});
