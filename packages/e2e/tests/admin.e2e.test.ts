import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { createKafkaConsumer, DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbMappingDirectory, type ConsumedRecord, type KafkaConsumer } from '@mxflow/store';
import { startSubscriber, waitFor, type Subscriber } from '../../local-sns/tests/helpers';
import { type Answer, call, mxflow, paymentXml, probeDeadLetter, randomLetters, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const OPERATOR = { entityId: 'ent-operator', clientId: 'platform-operator' };

describe('the admin API on the local platform', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let ledger: DynamoDbLedger;
  let admin: string;
  let alpha: string;
  let alerts: Subscriber;
  const consumers: KafkaConsumer[] = [];

  // A participant of this run only, so that reruns on the same state never collide.
  const delta = { entityId: `ent-delta-${randomUUID().slice(0, 8)}`, bic: `D${randomLetters(3)}DEFFXXX`, clientId: `delta-${randomUUID().slice(0, 8)}` };

  const api = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Answer> => {
    const { json, ...rest } = init;
    return call(`${platform.api}${path}`, {
      token: admin,
      ...rest,
      ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string>) } }),
    });
  };
  /** A DELETE, whose 204 has no body to parse. */
  const remove = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${platform.api}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const liquidity = (type: string, amount: string, reference: string = randomUUID()) =>
    api(`/v1/admin/entities/${delta.entityId}/liquidity`, { method: 'POST', json: { type, amount, currency: 'EUR', reference } });
  const lowBalanceAlerts = () =>
    alerts.received.filter((request) => request.json.Type === 'Notification' && String(request.json.Message).includes(`"entityId":"${delta.entityId}"`));

  beforeAll(async () => {
    platform = await startPlatform({ namePrefix: 'mxflow-e2e-admin', composeFile: defaultComposeFile, apiPort: 0 });
    const { cloud } = platform;
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table });
    admin = await requestAccessToken(cloud, OPERATOR.clientId, 'payments/admin');
    alpha = await requestAccessToken(cloud, ALPHA.clientId, 'payments/write payments/read');
    // The operators' endpoint takes the low-balance alerts only.
    alerts = await startSubscriber();
    const sns = new SNSClient(localClientConfig(cloud.endpoints.sns));
    await sns.send(
      new SubscribeCommand({
        TopicArn: cloud.notificationTopicArn,
        Protocol: 'http',
        Endpoint: alerts.url,
        Attributes: { FilterPolicy: JSON.stringify({ kind: ['low-balance'] }) },
      }),
    );
    const confirmation = await waitFor(() => alerts.received.find((request) => request.json.Type === 'SubscriptionConfirmation'), 'confirmation');
    await fetch(String(confirmation.json.SubscribeURL));
    sns.destroy();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await alerts?.close();
    dynamodb?.destroy();
    await platform?.stop();
  }, 60_000);

  afterEach(async () => {
    for (const entityId of [ALPHA.entityId, 'ent-beta', delta.entityId]) {
      for (const balance of await ledger.balances(entityId)) {
        const sum = (await ledger.postings(entityId, balance.currency)).reduce((total, posting) => total + posting.minor, 0n);
        expect({ entityId, currency: balance.currency, balance: balance.minor }).toEqual({ entityId, currency: balance.currency, balance: sum });
      }
    }
  });

  it('refuses a token without payments/admin with 403, and no token with 401, as problem+json', async () => {
    const refused = await api('/v1/admin/entities', { token: alpha });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'urn:mxflow:problem:insufficient-scope', status: 403 });
    const anonymous = await call(`${platform.api}/v1/admin/entities`);
    expect(anonymous.status).toBe(401);
  });

  it('creates, reads, lists and updates an entity, refusing bad input and a stale version', async () => {
    const bad = await api('/v1/admin/entities', { method: 'POST', json: { entityId: delta.entityId, name: 'Delta Bank', bic: 'not-a-bic' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ path: 'bic' }] });

    const created = await api('/v1/admin/entities', { method: 'POST', json: { entityId: delta.entityId, name: 'Delta Bank', bic: delta.bic, accounts: ['DE02120300000000202051'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ entityId: delta.entityId, bic: delta.bic, bics: [delta.bic], status: 'ACTIVE', version: 1 });
    expect((await api('/v1/admin/entities', { method: 'POST', json: { entityId: delta.entityId, name: 'Again', bic: `E${randomLetters(3)}DEFFXXX` } })).status).toBe(409);
    expect((await api('/v1/admin/entities', { method: 'POST', json: { entityId: `ent-${randomUUID().slice(0, 8)}`, name: 'Copy', bic: delta.bic } })).body).toMatchObject({
      status: 409,
      errors: [{ path: 'bic' }],
    });

    const read = await api(`/v1/admin/entities/${delta.entityId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(`/v1/admin/entities?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...(page.body.items as { entityId: string }[]).map((item) => item.entityId));
      cursor = page.body.cursor as string | undefined;
    } while (cursor);
    expect(listed).toEqual(expect.arrayContaining([ALPHA.entityId, OPERATOR.entityId, delta.entityId]));

    const renamed = await api(`/v1/admin/entities/${delta.entityId}`, { method: 'PATCH', headers: { 'if-match': '"1"' }, json: { name: 'Delta Bank AG' } });
    expect(renamed.body).toMatchObject({ name: 'Delta Bank AG', version: 2 });
    // A second admin who read version 1 does not overwrite the first.
    const stale = await api(`/v1/admin/entities/${delta.entityId}`, { method: 'PATCH', headers: { 'if-match': '"1"' }, json: { name: 'Lost Update' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ type: 'urn:mxflow:problem:version-conflict', version: 2 });
    expect((await api(`/v1/admin/entities/${delta.entityId}`)).body).toMatchObject({ name: 'Delta Bank AG' });
    expect((await api('/v1/admin/entities/ent-nobody')).status).toBe(404);
  });

  it('switches camt.054 notifications of postings on and off, in the view, the entity table and the audit log, refusing a type not offered', async () => {
    const epsilon = { entityId: `ent-epsilon-${randomUUID().slice(0, 8)}`, bic: `E${randomLetters(3)}DEFFXXX` };
    const path = `/v1/admin/entities/${epsilon.entityId}`;
    const entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: platform.cloud.tables.entity_table });
    const stored = async () => (await entities.get(epsilon.entityId))?.notifications;

    const unknown = await api('/v1/admin/entities', { method: 'POST', json: { entityId: epsilon.entityId, name: 'Epsilon', bic: epsilon.bic, notifications: ['camt.054', 'camt.099'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(unknown.body).toMatchObject({ type: 'urn:mxflow:problem:invalid-request', reasonCode: 'NARR', errors: [{ path: 'notifications[1]', reasonCode: 'NARR' }] });
    expect((await api(path)).status).toBe(404);

    const created = await api('/v1/admin/entities', { method: 'POST', json: { entityId: epsilon.entityId, name: 'Epsilon', bic: epsilon.bic, notifications: ['camt.054'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ entityId: epsilon.entityId, notifications: ['camt.054'], version: 1 });
    expect(await stored()).toEqual(['camt.054']);

    const off = await api(path, { method: 'PATCH', headers: { 'if-match': '"1"' }, json: { notifications: [] } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ notifications: [], version: 2 });
    expect((await api(path)).body).toMatchObject({ notifications: [], version: 2 });
    expect(await stored()).toBeUndefined();

    const refused = await api(path, { method: 'PATCH', json: { notifications: ['camt.053'] } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 400, errors: [{ path: 'notifications[0]', reasonCode: 'NARR' }] });
    // A second admin who read version 1 switches nothing back on.
    expect((await api(path, { method: 'PATCH', headers: { 'if-match': '"1"' }, json: { notifications: ['camt.054'] } })).status).toBe(409);
    expect(await stored()).toBeUndefined();

    const on = await api(path, { method: 'PATCH', json: { notifications: ['camt.054'], version: 2 } });
    expect(on.body).toMatchObject({ notifications: ['camt.054'], version: 3, name: 'Epsilon' });
    expect(await stored()).toEqual(['camt.054']);
    const listed = await api('/v1/admin/entities?limit=200');
    expect((listed.body.items as { entityId: string }[]).find((item) => item.entityId === epsilon.entityId)).toMatchObject({ notifications: ['camt.054'] });

    const audit = await api(`/v1/admin/audit?subject=${encodeURIComponent(`entity/${epsilon.entityId}`)}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'entity.update', before: expect.objectContaining({ notifications: [], version: 2 }), after: expect.objectContaining({ notifications: ['camt.054'], version: 3 }) }),
      expect.objectContaining({ action: 'entity.update', before: expect.objectContaining({ notifications: ['camt.054'], version: 1 }), after: expect.objectContaining({ notifications: [], version: 2 }) }),
      expect.objectContaining({ action: 'entity.create', after: expect.objectContaining({ notifications: ['camt.054'], version: 1 }) }),
    ]);

    // The same through the mxflow command.
    const operator = platform.cloud.seed.operators.find((client) => client.clientId === OPERATOR.clientId);
    const env = {
      MXFLOW_READY_FILE: '/nonexistent/ready.json',
      MXFLOW_API: platform.api,
      MXFLOW_TOKEN_URL: platform.cloud.endpoints.tokenUrl,
      MXFLOW_AUDIENCE: platform.cloud.endpoints.audience,
      MXFLOW_CLIENT_ID: OPERATOR.clientId,
      MXFLOW_CLIENT_SECRET: operator?.clientSecret ?? '',
    };
    const none = await mxflow(['admin', 'entities', 'update', epsilon.entityId, '--notifications', 'none', '--json'], env);
    expect(none.status).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ entityId: epsilon.entityId, notifications: [], version: 4 });
    expect(await stored()).toBeUndefined();
    const camt054 = await mxflow(['admin', 'entities', 'update', epsilon.entityId, '--notifications', 'camt.054'], env);
    expect(camt054.status).toBe(0);
    expect(camt054.stdout).toMatch(/^notifications +camt\.054$/m);
    expect(await stored()).toEqual(['camt.054']);
    const wrong = await mxflow(['admin', 'entities', 'update', epsilon.entityId, '--notifications', 'camt.052'], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('"path": "notifications[0]"');

    expect((await remove(path)).status).toBe(204);
  }, 60_000);

  it('creates, lists, updates and reads a client mapping of the entity', async () => {
    const created = await api(`/v1/admin/entities/${delta.entityId}/mappings`, { method: 'POST', json: { clientId: delta.clientId, scopes: ['payments/write', 'payments/read'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientId: delta.clientId, entityId: delta.entityId, status: 'ACTIVE', version: 1 });
    expect((await api(`/v1/admin/entities/${delta.entityId}/mappings`, { method: 'POST', json: { clientId: delta.clientId, scopes: ['payments/read'] } })).status).toBe(409);
    expect((await api(`/v1/admin/entities/${delta.entityId}/mappings`, { method: 'POST', json: { clientId: 'x', scopes: ['no scope'] } })).body).toMatchObject({
      status: 400,
      errors: [{ path: 'scopes[0]' }],
    });
    const listed = await api(`/v1/admin/entities/${delta.entityId}/mappings`);
    expect(listed.body.items).toEqual([expect.objectContaining({ clientId: delta.clientId })]);
    const suspended = await api(`/v1/admin/mappings/${delta.clientId}`, { method: 'PATCH', json: { status: 'SUSPENDED', version: 1 } });
    expect(suspended.body).toMatchObject({ status: 'SUSPENDED', version: 2 });
    expect((await api(`/v1/admin/mappings/${delta.clientId}`)).body).toMatchObject({ status: 'SUSPENDED', scopes: ['payments/read', 'payments/write'] });
    // The operator cannot lock itself out.
    expect((await remove(`/v1/admin/mappings/${OPERATOR.clientId}`)).status).toBe(409);
  });

  it('tops up and withdraws as postings, once per reference, and refuses a withdrawal beyond the balance with AM04', async () => {
    const reference = `top-up-${randomUUID()}`;
    const topUp = await liquidity('top-up', '125.00', reference);
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ balance: '125.00', alreadyPosted: false });
    const again = await liquidity('top-up', '125.00', reference);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ balance: '125.00', alreadyPosted: true });

    const refused = await liquidity('withdrawal', '125.01');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:mxflow:problem:insufficient-funds', reasonCode: 'AM04', errors: [{ path: 'amount', reasonCode: 'AM04' }] });
    expect((await liquidity('withdrawal', '12.345')).body).toMatchObject({ status: 400, errors: [{ path: 'amount' }] });
    expect((await liquidity('withdrawal', '25.00')).body).toMatchObject({ balance: '100.00' });

    const balances = await api(`/v1/admin/entities/${delta.entityId}/liquidity`);
    expect(balances.body.balances).toEqual([expect.objectContaining({ currency: 'EUR', amount: '100.00' })]);
    const postings = await api(`/v1/admin/entities/${delta.entityId}/liquidity/postings?currency=EUR`);
    expect((postings.body.items as { amount: string; leg: string }[]).map((posting) => [posting.leg, posting.amount])).toEqual([
      ['top-up', '125.00'],
      ['withdrawal', '-25.00'],
    ]);
  });

  it('alerts on SNS once per crossing below the low-balance threshold', async () => {
    const set = await api(`/v1/admin/entities/${delta.entityId}/thresholds/EUR`, { method: 'PUT', json: { amount: '80.00' } });
    expect(set.body).toMatchObject({ threshold: '80.00', lowBalanceAlert: false });
    expect((await liquidity('withdrawal', '30.00')).body).toMatchObject({ balance: '70.00', lowBalanceAlert: true });
    expect((await liquidity('withdrawal', '5.00')).body).toMatchObject({ balance: '65.00', lowBalanceAlert: false });
    const first = await waitFor(() => lowBalanceAlerts()[0], 'the low-balance alert');
    expect(JSON.parse(String(first.json.Message))).toMatchObject({ kind: 'low-balance', entityId: delta.entityId, currency: 'EUR', balance: '70.00', threshold: '80.00' });
    expect(first.json.MessageAttributes).toMatchObject({ entityId: { Value: delta.entityId }, kind: { Value: 'low-balance' } });

    // Back above, then below again: a second crossing, a second alert.
    expect((await liquidity('top-up', '50.00')).body).toMatchObject({ balance: '115.00', lowBalanceAlert: false });
    expect((await liquidity('withdrawal', '40.00')).body).toMatchObject({ balance: '75.00', lowBalanceAlert: true });
    await waitFor(() => (lowBalanceAlerts().length >= 2 ? true : undefined), 'the second alert');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lowBalanceAlerts()).toHaveLength(2);
    expect((await api(`/v1/admin/entities/${delta.entityId}/liquidity`)).body.balances).toEqual([expect.objectContaining({ amount: '75.00', threshold: '80.00' })]);
  });

  it('suspends the entity', async () => {
    const suspended = await api(`/v1/admin/entities/${delta.entityId}/suspend`, { method: 'POST' });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'SUSPENDED' });
    // Suspending again changes nothing.
    expect((await api(`/v1/admin/entities/${delta.entityId}/suspend`, { method: 'POST' })).body).toMatchObject({ status: 'SUSPENDED', version: suspended.body.version });
  });

  it('rejects a payment to the suspended entity with RJCT AG11', async () => {
    const answer = await submit(platform.api, alpha, paymentXml({ fromBic: ALPHA.bic, toBic: delta.bic, amount: '1.00' }).xml);
    expect(answer.status).toBe(202);
    const final = await waitForFinal(platform.api, alpha, String(answer.body.transactionId), { timeoutMs: 30_000, outgoing: 1 });
    expect(final).toMatchObject({ status: 'RJCT', reasonCode: 'AG11' });
  });

  it('reinstates the entity, which then receives payments again', async () => {
    const reinstated = await api(`/v1/admin/entities/${delta.entityId}/reinstate`, { method: 'POST' });
    expect(reinstated.body).toMatchObject({ status: 'ACTIVE' });
    const before = (await ledger.balance(delta.entityId, 'EUR'))?.minor ?? 0n;
    const answer = await submit(platform.api, alpha, paymentXml({ fromBic: ALPHA.bic, toBic: delta.bic, amount: '2.00' }).xml);
    expect(answer.status).toBe(202);
    const final = await waitForFinal(platform.api, alpha, String(answer.body.transactionId), { timeoutMs: 30_000, outgoing: 1 });
    expect(final).toMatchObject({ status: 'ACSC', parties: { receiver: delta.entityId } });
    expect((await ledger.balance(delta.entityId, 'EUR'))?.minor).toBe(before + 2_00n);
  }, 60_000);

  it('lists, shows and re-drives a dead letter once, with the replay-of header on its topic', async () => {
    const { cloud } = platform;
    const deadLetters = new DynamoDbDeadLetterStore({ client: dynamodb, tableName: cloud.tables.deadletter_table });
    const letter = probeDeadLetter(ALPHA.entityId);
    expect(await deadLetters.put(letter)).toBe(true);
    const path = `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}`;

    const listed = await api('/v1/admin/dead-letters?limit=200');
    expect((listed.body.items as { id: string }[]).map((item) => item.id)).toContain(letter.id);
    expect((await api(path)).body).toMatchObject({ id: letter.id, topic: letter.topic, replayed: false, error: letter.error });
    expect((await api('/v1/admin/dead-letters/incoming.pain.001%3A0%3A1')).status).toBe(404);

    const received: ConsumedRecord[] = [];
    const consumer = createKafkaConsumer({ brokers: [cloud.endpoints.kafka], clientId: 'admin-e2e', groupId: `admin-e2e-${randomUUID()}`, topics: [letter.topic] });
    consumers.push(consumer);
    await consumer.run(async (batch, control) => {
      received.push(...batch.records);
      const last = batch.records.at(-1);
      if (last) await control.commit(last.offset);
    });

    const replayed = await api(`${path}/replay`, { method: 'POST' });
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({ id: letter.id, replayed: true, replayedBy: OPERATOR.clientId });
    const second = await api(`${path}/replay`, { method: 'POST' });
    expect(second.status).toBe(409);

    const record = await waitFor(
      () => received.find((candidate) => candidate.headers.some((header) => header.key === 'replay-of' && header.value?.toString() === letter.id)),
      'the re-driven record',
      20_000,
    );
    expect(record.value?.toString()).toBe(letter.value);
    expect(record.key?.toString()).toBe(letter.key);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.filter((candidate) => candidate.headers.some((header) => header.key === 'replay-of' && header.value?.toString() === letter.id))).toHaveLength(1);
  }, 60_000);

  it('refuses to delete an entity that holds a balance or has clients, then deletes it once emptied', async () => {
    const refused = await remove(`/v1/admin/entities/${delta.entityId}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:mxflow:problem:entity-has-balance' });
    const held = ((await api(`/v1/admin/entities/${delta.entityId}/liquidity`)).body.balances as { amount: string }[])[0].amount;
    expect((await liquidity('withdrawal', held)).body).toMatchObject({ balance: '0.00' });
    expect((await remove(`/v1/admin/entities/${delta.entityId}`)).body).toMatchObject({ type: 'urn:mxflow:problem:entity-has-mappings' });
    expect((await remove(`/v1/admin/mappings/${delta.clientId}`)).status).toBe(204);
    expect((await remove(`/v1/admin/entities/${delta.entityId}`)).status).toBe(204);
    expect((await api(`/v1/admin/entities/${delta.entityId}`)).status).toBe(404);
  });

  it('shows every change in the audit log, newest first, with who made it and when', async () => {
    const entity = await api(`/v1/admin/audit?subject=${encodeURIComponent(`entity/${delta.entityId}`)}&limit=200`);
    const entries = entity.body.items as { action: string; actor: unknown; timestamp: string; epochMs: number; before?: unknown; after?: unknown }[];
    const actions = entries.map((entry) => entry.action);
    expect(actions[0]).toBe('entity.delete');
    expect(actions.at(-1)).toBe('entity.create');
    for (const action of ['entity.update', 'liquidity.top-up', 'liquidity.withdrawal', 'threshold.set', 'entity.suspend', 'entity.reinstate']) expect(actions).toContain(action);
    // The repeated top-up posted nothing and is not a change.
    expect(actions.filter((action) => action === 'liquidity.top-up')).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.actor).toEqual({ clientId: OPERATOR.clientId, entityId: OPERATOR.entityId });
      expect(entry.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(entry.epochMs).toBe(Date.parse(entry.timestamp));
    }
    expect(entries.map((entry) => entry.epochMs)).toEqual([...entries.map((entry) => entry.epochMs)].sort((a, b) => b - a));
    expect(entries.find((entry) => entry.action === 'entity.suspend')).toMatchObject({ before: { status: 'ACTIVE' }, after: { status: 'SUSPENDED' } });
    expect(entries.find((entry) => entry.action === 'entity.update')).toMatchObject({ before: { name: 'Delta Bank' }, after: { name: 'Delta Bank AG' } });

    const mapping = await api(`/v1/admin/audit?subject=${encodeURIComponent(`mapping/${delta.clientId}`)}`);
    expect((mapping.body.items as { action: string }[]).map((entry) => entry.action)).toEqual(['mapping.delete', 'mapping.update', 'mapping.create']);
    const all = await api('/v1/admin/audit?limit=200');
    expect((all.body.items as { action: string }[]).map((entry) => entry.action)).toEqual(expect.arrayContaining(['dead-letter.replay', 'entity.delete']));
    expect((await api('/v1/admin/audit?limit=0')).body).toMatchObject({ status: 400, errors: [{ path: 'limit' }] });
  });

  it('serves the same API to the mxflow command, as the platform operator', async () => {
    const { cloud } = platform;
    const operator = cloud.seed.operators.find((client) => client.clientId === OPERATOR.clientId);
    const env = {
      MXFLOW_READY_FILE: '/nonexistent/ready.json',
      MXFLOW_API: platform.api,
      MXFLOW_TOKEN_URL: cloud.endpoints.tokenUrl,
      MXFLOW_AUDIENCE: cloud.endpoints.audience,
      MXFLOW_CLIENT_ID: OPERATOR.clientId,
      MXFLOW_CLIENT_SECRET: operator?.clientSecret ?? '',
    };
    const shown = await mxflow(['admin', 'entities', 'show', ALPHA.entityId, '--json'], env);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ entityId: ALPHA.entityId, bic: ALPHA.bic });
    const balances = await mxflow(['admin', 'liquidity', 'balances', ALPHA.entityId, '--json'], env);
    expect(JSON.parse(balances.stdout).balances).toEqual(expect.arrayContaining([expect.objectContaining({ currency: 'EUR' })]));
    const readable = await mxflow(['admin', 'entities', 'show', ALPHA.entityId], env);
    expect(readable.status).toBe(0);
    expect(readable.stdout).toMatch(new RegExp(`^entityId +${ALPHA.entityId}$`, 'm'));
    expect(readable.stdout).toMatch(new RegExp(`^bic +${ALPHA.bic}$`, 'm'));
    const refused = await mxflow(['admin', 'liquidity', 'withdraw', ALPHA.entityId, '99999999999.00', 'EUR', '--reference', `cli-${randomUUID()}`], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"reasonCode": "AM04"');
    const missing = await mxflow(['dlq', 'show', 'incoming.pacs.008:0:999999999'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('(404)');
  }, 60_000);
  describe('the Status API as the console reads it', () => {
    const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX' };
    let operator: string;
    let gamma: string;
    let payment: ReturnType<typeof paymentXml>;
    let transactionId: string;
    const ids = (answer: Answer): string[] => ((answer.body.items as { transactionId: string }[] | undefined) ?? []).map((item) => item.transactionId);
    const read = (path: string, token: string, headers: Record<string, string> = {}) => call(`${platform.api}${path}`, { token, headers });

    beforeAll(async () => {
      operator = await requestAccessToken(platform.cloud, OPERATOR.clientId, 'payments/admin payments/read');
      gamma = await requestAccessToken(platform.cloud, 'gamma-bank', 'payments/write payments/read');
      payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '3.21' });
      const answer = await submit(platform.api, alpha, payment.xml);
      expect(answer.status).toBe(202);
      transactionId = String(answer.body.transactionId);
      await waitForFinal(platform.api, alpha, transactionId, { timeoutMs: 30_000, outgoing: 2 });
    }, 60_000);

    it('filters a participant\'s list by type and counterparty', async () => {
      expect(ids(await read('/v1/transactions?type=pacs.008&counterparty=ent-beta&limit=200', alpha))).toContain(transactionId);
      expect(ids(await read('/v1/transactions?counterparty=ent-gamma&limit=200', alpha))).not.toContain(transactionId);
      expect(ids(await read('/v1/transactions?type=pacs.004&limit=200', alpha))).not.toContain(transactionId);
      expect(ids(await read('/v1/transactions?counterparty=ent-alpha&status=ACSC&limit=200', operator))).toContain(transactionId);
    });

    it('finds a transaction by its UETR, EndToEndId or MsgId, for its parties only', async () => {
      for (const query of [`uetr=${payment.uetr}`, `endToEndId=${payment.endToEndId}`, `msgId=${payment.msgId}`]) {
        expect(ids(await read(`/v1/transactions?${query}`, alpha))).toEqual([transactionId]);
        expect(ids(await read(`/v1/transactions?${query}`, gamma))).toEqual([]);
      }
      expect(ids(await read(`/v1/transactions?uetr=${payment.uetr}&participant=ent-beta`, operator))).toEqual([transactionId]);
      expect(ids(await read(`/v1/transactions?uetr=${payment.uetr}&participant=ent-gamma`, operator))).toEqual([]);
    });

    it('lists every participant\'s transactions to the platform operator, and shows any of them', async () => {
      expect(ids(await read('/v1/transactions?limit=200', operator))).toContain(transactionId);
      expect(ids(await read('/v1/transactions?participant=ent-gamma&limit=200', operator))).not.toContain(transactionId);
      expect((await read(`/v1/transactions/${transactionId}`, operator)).body).toMatchObject({ transactionId, status: 'ACSC' });
      expect((await read(`/v1/transactions/${transactionId}`, gamma)).status).toBe(404);
      const refused = await read('/v1/transactions?participant=ent-beta', alpha);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ errors: [{ path: 'participant' }] });
    });

    it('links the bytes of every message the caller may read, and serves their JSON form', async () => {
      type Listed = { messageType: string; direction: string; entityId?: string; archiveKey: string; links?: { content: string } };
      const listed = (await read(`/v1/transactions/${transactionId}/messages`, alpha)).body.messages as Listed[];
      const toBeta = listed.find((message) => message.direction === 'outgoing' && message.entityId === BETA.entityId);
      const report = listed.find((message) => message.direction === 'outgoing' && message.entityId === ALPHA.entityId);
      expect(toBeta?.links).toBeUndefined();
      expect(report?.links?.content).toBeDefined();
      const bytes = await read(report?.links?.content ?? '', alpha);
      expect(bytes.status).toBe(200);
      expect(bytes.headers.get('x-archive-key')).toBe(report?.archiveKey);
      expect(bytes.headers.get('repr-digest')).toBe(`sha-256=:${createHash('sha256').update(bytes.bytes).digest('base64')}:`);
      const form = await read(report?.links?.content ?? '', alpha, { accept: 'application/json' });
      expect(form.body).toMatchObject({ messageType: 'pacs.002', document: { FIToFIPmtStsRpt: { TxInfAndSts: [{ TxSts: 'ACSC' }] } } });
      expect(form.headers.get('repr-digest')).toBe(bytes.headers.get('repr-digest'));

      const all = (await read(`/v1/transactions/${transactionId}/messages`, operator)).body.messages as Listed[];
      expect(all.every((message) => message.links !== undefined)).toBe(true);
      const forwarded = all.find((message) => message.archiveKey === toBeta?.archiveKey);
      expect((await read(forwarded?.links?.content ?? '', operator)).bytes.toString('utf8')).toContain(payment.uetr);
      expect((await read(forwarded?.links?.content ?? '', alpha)).status).toBe(404);
    });

    it('shows a participant its own balances and postings, and the operator anyone\'s', async () => {
      const own = await read('/v1/liquidity', alpha);
      const eur = (own.body.balances as { currency: string; amount: string }[]).find((balance) => balance.currency === 'EUR');
      const minor = (await ledger.balance(ALPHA.entityId, 'EUR'))?.minor ?? 0n;
      expect(eur?.amount).toBe(`${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`);
      const postings = await read('/v1/liquidity/postings?currency=EUR', alpha);
      expect(postings.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ reference: transactionId, amount: '-3.21', currency: 'EUR' })]));
      const betas = await read('/v1/liquidity/postings?currency=EUR&participant=ent-beta', operator);
      expect(betas.body).toMatchObject({ entityId: BETA.entityId });
      expect(betas.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ reference: transactionId, amount: '3.21' })]));
      expect((await read('/v1/liquidity?participant=ent-beta', alpha)).body).toMatchObject({ status: 400, errors: [{ path: 'participant' }] });
    });

    it('validates a message as a dry run, recording nothing', async () => {
      const unsent = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '4.00' });
      const validate = (xml: string, token = alpha) =>
        call(`${platform.api}/v1/messages/validate`, { method: 'POST', token, headers: { 'content-type': 'application/xml' }, body: xml });
      expect((await validate(unsent.xml)).body).toMatchObject({ valid: true, messageType: 'pacs.008', messageId: 'pacs.008.001.08' });
      const broken = await validate(unsent.xml.replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>one</NbOfTxs>'));
      expect(broken.status).toBe(422);
      expect(broken.body).toMatchObject({ reasonCode: 'FF01', dryRun: true, errors: [{ reasonCode: 'FF01', line: expect.any(Number), column: expect.any(Number) }] });
      expect(broken.body.transactionStatus).toBeUndefined();
      expect(String(broken.body.detail)).toContain('submitted, it would be rejected');
      // Beta may not send a message whose instructing agent is Alpha.
      expect((await validate(unsent.xml, await requestAccessToken(platform.cloud, 'beta-bank', 'payments/write payments/read'))).status).toBe(403);
      expect(ids(await read(`/v1/transactions?msgId=${unsent.msgId}`, alpha))).toEqual([]);
    });

    it('gives a token that claims payments/admin no operator right on any route group once the mapping no longer allows it', async () => {
      const mappings = new DynamoDbMappingDirectory({ client: dynamodb, tableName: platform.cloud.tables.mapping_table });
      const mapped = await mappings.find(OPERATOR.clientId);
      if (!mapped) throw new Error('the seed maps no platform operator');
      // The token is issued while the mapping allows it; then the mapping takes payments/admin away.
      const claiming = await requestAccessToken(platform.cloud, OPERATOR.clientId, 'payments/admin payments/read');
      const narrowed = await mappings.update(OPERATOR.clientId, { scopes: ['payments/read'] }, mapped.version ?? 0);
      try {
        // The admin API: every route refuses.
        for (const [method, route] of [
          ['GET', '/v1/admin/entities'],
          ['GET', `/v1/admin/entities/${ALPHA.entityId}`],
          ['GET', `/v1/admin/mappings/${ALPHA.clientId}`],
          ['GET', `/v1/admin/entities/${ALPHA.entityId}/liquidity`],
          ['GET', '/v1/admin/audit'],
          ['GET', '/v1/admin/dead-letters'],
        ] as const) {
          expect([route, (await call(`${platform.api}${route}`, { method, token: claiming })).status]).toEqual([route, 403]);
        }
        const topUp = await call(`${platform.api}/v1/admin/entities/${ALPHA.entityId}/liquidity`, {
          method: 'POST',
          token: claiming,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'top-up', amount: '1.00', currency: 'EUR', reference: randomUUID() }),
        });
        expect(topUp.status).toBe(403);
        // The Status API: the caller is its own entity, with no operator's view of others' transactions and balances.
        expect((await read(`/v1/transactions/${transactionId}`, claiming)).status).toBe(404);
        expect(ids(await read('/v1/transactions?counterparty=ent-alpha&limit=200', claiming))).not.toContain(transactionId);
        expect((await read('/v1/liquidity/postings?currency=EUR&participant=ent-beta', claiming)).status).toBe(400);
      } finally {
        await mappings.update(OPERATOR.clientId, { scopes: mapped.scopes }, narrowed.version ?? 0);
      }
      // The same token, once the mapping allows it again: the refusals above were the mapping's doing.
      expect((await read(`/v1/transactions/${transactionId}`, claiming)).status).toBe(200);
      // Incoming: the mapping never allowed the operator to submit, whatever a token says.
      expect((await submit(platform.api, claiming, paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '1.00' }).xml)).status).toBe(403);
    });
  });
});
