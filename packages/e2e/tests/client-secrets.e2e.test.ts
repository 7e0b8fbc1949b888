import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { defaultComposeFile, localClientConfig, readCompose, requestAccessToken, serviceEnvironment, startPlatform, startService, type LocalPlatform } from '@mxflow/local-stack';
import { type Answer, call, mxflow, paymentXml, randomLetters, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const OPERATOR = { clientId: 'platform-operator' };

describe('client secrets the admin API issues, on the local platform', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let admin: string;
  // A participant and client of this run only.
  const zeta = { entityId: `ent-zeta-${randomUUID().slice(0, 8)}`, bic: `Z${randomLetters(3)}DEFFXXX`, clientId: `zeta-${randomUUID().slice(0, 8)}` };
  let secret: string;

  const api = (route: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<Answer> => {
    const { json, ...rest } = init;
    return call(`${platform.api}${route}`, {
      token: admin,
      ...rest,
      ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
    });
  };

  /** The token endpoint as a participant's system calls it: Basic credentials, every scope of the client. */
  const tokenFor = async (clientId: string, clientSecret: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(platform.cloud.endpoints.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: platform.cloud.endpoints.audience }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const accessToken = async (clientSecret: string): Promise<string> => {
    const answer = await tokenFor(zeta.clientId, clientSecret);
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  };
  /** A payment from zeta to alpha, submitted with `token`. */
  const pay = (token: string, amount = '1.00') => submit(platform.api, token, paymentXml({ fromBic: zeta.bic, toBic: ALPHA.bic, amount }).xml);

  beforeAll(async () => {
    platform = await startPlatform({ namePrefix: 'mxflow-e2e-secrets', composeFile: defaultComposeFile, apiPort: 0, consoleDir: false });
    dynamodb = new DynamoDBClient(localClientConfig(platform.cloud.endpoints.dynamodb));
    admin = await requestAccessToken(platform.cloud, OPERATOR.clientId, 'payments/admin');
    expect((await api('/v1/admin/entities', { method: 'POST', json: { entityId: zeta.entityId, name: 'Zeta Bank', bic: zeta.bic } })).status).toBe(201);
    const topUp = await api(`/v1/admin/entities/${zeta.entityId}/liquidity`, { method: 'POST', json: { type: 'top-up', amount: '100.00', currency: 'EUR', reference: randomUUID() } });
    expect(topUp.status).toBeLessThan(300);
  }, 240_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await platform?.stop();
  }, 60_000);

  it('creates a mapping whose client gets a token at once, and pays with it', async () => {
    expect((await tokenFor(zeta.clientId, 'no-secret-yet-0000000000000000000000000000')).status).toBe(401);

    const created = await api(`/v1/admin/entities/${zeta.entityId}/mappings`, { method: 'POST', json: { clientId: zeta.clientId, scopes: ['payments/write', 'payments/read'] } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({ clientId: zeta.clientId, entityId: zeta.entityId, status: 'ACTIVE', version: 1, clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    secret = created.body.clientSecret as string;

    // Shown once: neither the API nor the table holds it in clear.
    const shown = await api(`/v1/admin/mappings/${zeta.clientId}`);
    expect(shown.body).not.toHaveProperty('clientSecret');
    expect(shown.body.secretIssuedAt).toBe(created.body.secretIssuedAt);
    const { Item: item } = await dynamodb.send(new GetItemCommand({ TableName: platform.cloud.tables.mapping_table, Key: { clientId: { S: zeta.clientId } } }));
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(item?.secretHash?.S).toMatch(/^sha256\./);

    const issued = await tokenFor(zeta.clientId, secret);
    expect(issued.status).toBe(200);
    expect(String(issued.body.scope).split(' ').sort()).toEqual(['payments/read', 'payments/write']);
    const answer = await pay(issued.body.access_token as string);
    expect(answer.status).toBe(202);
    const final = await waitForFinal(platform.api, issued.body.access_token as string, String(answer.body.transactionId), { timeoutMs: 30_000, outgoing: 1 });
    expect(final).toMatchObject({ status: 'ACSC', parties: { sender: zeta.entityId, receiver: ALPHA.entityId } });
  }, 60_000);

  it('rotates the secret from the mxflow command: the old one is refused at once, the new one works', async () => {
    const operator = platform.cloud.seed.operators.find((client) => client.clientId === OPERATOR.clientId);
    const env = {
      MXFLOW_READY_FILE: '/nonexistent/ready.json',
      MXFLOW_API: platform.api,
      MXFLOW_TOKEN_URL: platform.cloud.endpoints.tokenUrl,
      MXFLOW_AUDIENCE: platform.cloud.endpoints.audience,
      MXFLOW_CLIENT_ID: OPERATOR.clientId,
      MXFLOW_CLIENT_SECRET: operator?.clientSecret ?? '',
    };
    const before = await accessToken(secret);
    const rotated = await mxflow(['admin', 'mappings', 'rotate', zeta.clientId, '--json'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    const fresh = JSON.parse(rotated.stdout) as { clientId: string; clientSecret: string };
    expect(fresh).toMatchObject({ clientId: zeta.clientId, clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(fresh.clientSecret).not.toBe(secret);

    expect(await tokenFor(zeta.clientId, secret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const after = await accessToken(fresh.clientSecret);
    expect((await pay(after)).status).toBe(202);
    // A token issued before the rotation lives out its hour, as Cognito's would: rotation changes the secret, not the mapping.
    expect((await pay(before)).status).toBe(202);
    secret = fresh.clientSecret;

    const missing = await mxflow(['admin', 'mappings', 'rotate', `nobody-${randomUUID().slice(0, 8)}`], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('(404)');

    // The audit log records the rotation, and no secret.
    const audit = await api(`/v1/admin/audit?subject=${encodeURIComponent(`mapping/${zeta.clientId}`)}`);
    expect((audit.body.items as { action: string }[]).map((entry) => entry.action)).toEqual(['mapping.secret.rotate', 'mapping.create']);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
  }, 60_000);

  it('keeps issuing tokens to a SUSPENDED client, which the API refuses at every call; reinstated, the same secret works', async () => {
    const earlier = await accessToken(secret);
    const suspended = await api(`/v1/admin/mappings/${zeta.clientId}`, { method: 'PATCH', json: { status: 'SUSPENDED', version: 1 } });
    expect(suspended.body).toMatchObject({ status: 'SUSPENDED', version: 2 });

    const during = await accessToken(secret);
    for (const token of [earlier, during]) {
      const refused = await pay(token);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await api(`/v1/admin/mappings/${zeta.clientId}`, { method: 'PATCH', json: { status: 'ACTIVE', version: 2 } })).status).toBe(200);
    expect((await pay(await accessToken(secret))).status).toBe(202);
  }, 60_000);

  it('gives a deleted mapping\'s client no token, and refuses the tokens it had', async () => {
    const earlier = await accessToken(secret);
    const response = await fetch(`${platform.api}/v1/admin/mappings/${zeta.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}`, 'if-match': '"3"' } });
    expect(response.status).toBe(204);
    expect(await tokenFor(zeta.clientId, secret)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await pay(earlier)).status).toBe(403);

    // Mapped again, the client gets a new secret; the one from before stays dead.
    const again = await api(`/v1/admin/entities/${zeta.entityId}/mappings`, { method: 'POST', json: { clientId: zeta.clientId, scopes: ['payments/read'] } });
    expect(again.status).toBe(201);
    expect((await tokenFor(zeta.clientId, secret)).status).toBe(401);
    expect((await tokenFor(zeta.clientId, again.body.clientSecret as string)).body.scope).toBe('payments/read');
  }, 60_000);

  it('keeps the seeded clients on their seed secrets', async () => {
    expect(await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/write payments/read')).toEqual(expect.any(String));
    expect(await requestAccessToken(platform.cloud, OPERATOR.clientId, 'payments/admin')).toEqual(expect.any(String));
  });

  it('answers 501 to a rotation where Cognito holds the secrets, and issues none with a new mapping', async () => {
    const [service] = (await readCompose(defaultComposeFile)).filter((candidate) => candidate.name === 'admin');
    const cognito = await startService(service, { ...serviceEnvironment(platform.cloud), MXFLOW_CLIENT_SECRET_ISSUER: 'cognito' }, () => {});
    try {
      const rotate = await call(`${cognito.api}/v1/admin/mappings/${ALPHA.clientId}/secret`, { method: 'POST', token: admin });
      expect(rotate.status).toBe(501);
      expect(rotate.headers.get('content-type')).toBe('application/problem+json');
      expect(rotate.body).toMatchObject({ type: 'urn:mxflow:problem:client-secrets-elsewhere', status: 501, detail: expect.stringContaining('Terraform') });
      // Alpha's seed secret is untouched.
      expect(await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/read')).toEqual(expect.any(String));

      const clientId = `eta-${randomUUID().slice(0, 8)}`;
      const created = await call(`${cognito.api}/v1/admin/entities/${zeta.entityId}/mappings`, {
        method: 'POST',
        token: admin,
        body: JSON.stringify({ clientId, scopes: ['payments/read'] }),
        headers: { 'content-type': 'application/json' },
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('clientSecret');
      expect((await tokenFor(clientId, 'any-secret-at-all-000000000000000000000000')).status).toBe(401);
    } finally {
      await cognito.stop();
    }
  }, 120_000);
});
