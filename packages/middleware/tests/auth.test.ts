import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { SignJWT, decodeJwt } from 'jose';
import { localClientConfig, requestAccessToken, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { CachedMappingDirectory, DynamoDbMappingDirectory } from '@mxflow/store';
import { auth, createTokenVerifier, errors, type AuthOptions, type Caller, type TokenVerifierOptions } from '../src/index';
import { httpEvent, lambdaContext } from './lambda';
import { startOwnIssuer, type OwnIssuer } from './support';

type Result = Exclude<APIGatewayProxyResultV2, string>;

const quiet = { info: () => undefined, error: () => undefined };

describe('auth', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let own: OwnIssuer;

  /** A real middy handler: errors first, then auth; it answers with the caller it was given. */
  const protectedHandler = (options: Partial<AuthOptions> = {}) =>
    middy(async (_event: APIGatewayProxyEventV2, context: Context & { caller?: Caller }) => ({ statusCode: 200, body: JSON.stringify(context.caller) }))
      .use(errors({ logger: quiet }))
      .use(
        auth({
          verifier: createTokenVerifier({ issuer: cloud.endpoints.issuer, audience: cloud.endpoints.audience, jwksUri: cloud.endpoints.jwksUri }),
          directory: new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table }),
          requiredScope: 'payments/write',
          ...options,
        }),
      );

  const call = async (handler: ReturnType<typeof protectedHandler>, headers: Record<string, string>): Promise<Result> =>
    (await handler(httpEvent(headers), lambdaContext())) as Result;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-mw-auth' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    own = await startOwnIssuer();
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await own?.close();
    await cloud?.stop();
  });

  it('resolves a genuine token with the required scope to its entity', async () => {
    const token = await requestAccessToken(cloud, 'alpha-bank', 'payments/write payments/read');
    const result = await call(protectedHandler(), { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ clientId: 'alpha-bank', entityId: 'ent-alpha', scopes: ['payments/write', 'payments/read'], mappingVersion: expect.any(Number) });
  });

  it('reads the header whatever its case', async () => {
    const token = await requestAccessToken(cloud, 'beta-bank', 'payments/write');
    const result = await call(protectedHandler(), { Authorization: `Bearer ${token}` });
    expect(JSON.parse(result.body ?? '')).toMatchObject({ entityId: 'ent-beta' });
  });

  it.each([
    ['no Authorization header', {}],
    ['a Basic scheme', { authorization: 'Basic YWxwaGE6c2VjcmV0' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers %s with 401 and a challenge without an error code', async (_name, headers: Record<string, string>) => {
    const result = await call(protectedHandler(), headers);
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['WWW-Authenticate']).toBe('Bearer realm="mxflow"');
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body ?? '')).toMatchObject({ type: 'urn:mxflow:problem:missing-token', status: 401, errors: [{ path: 'Authorization' }] });
  });

  it('refuses a forged token carrying genuine claims and kid with 401 invalid_token', async () => {
    const genuine = await requestAccessToken(cloud, 'alpha-bank', 'payments/write');
    const forged = await new SignJWT(decodeJwt(genuine)).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: own.kid }).sign(own.privateKey);
    const result = await call(protectedHandler(), { authorization: `Bearer ${forged}` });
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['WWW-Authenticate']).toMatch(/^Bearer realm="mxflow", error="invalid_token"/);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ type: 'urn:mxflow:problem:invalid-token', title: 'Unauthorized', status: 401 });
  });

  it('refuses a token without the required scope with 403 insufficient_scope naming it', async () => {
    const token = await requestAccessToken(cloud, 'alpha-bank', 'payments/read');
    const result = await call(protectedHandler(), { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['WWW-Authenticate']).toContain('error="insufficient_scope"');
    expect(result.headers?.['WWW-Authenticate']).toContain('scope="payments/write"');
  });

  it('refuses a genuine client that has no mapping with 403', async () => {
    // The operator client is issued tokens but is no participant.
    const token = await requestAccessToken(cloud, 'operator', 'payments/read');
    const result = await call(protectedHandler({ requiredScope: 'payments/read' }), { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ type: 'urn:mxflow:problem:client-not-allowed', status: 403 });
  });

  it('refuses a client whose mapping is suspended with 403', async () => {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: cloud.tables.mapping_table,
        Key: { clientId: { S: 'gamma-bank' } },
        UpdateExpression: 'SET #status = :suspended',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':suspended': { S: 'SUSPENDED' } },
      }),
    );
    const token = await requestAccessToken(cloud, 'gamma-bank', 'payments/write');
    const result = await call(protectedHandler(), { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ type: 'urn:mxflow:problem:client-not-allowed' });
  });

  it('refuses on a fresh read only, when the directory keeps mappings', async () => {
    const setStatus = (status: string) =>
      dynamodb.send(
        new UpdateItemCommand({
          TableName: cloud.tables.mapping_table,
          Key: { clientId: { S: 'beta-bank' } },
          UpdateExpression: 'SET #status = :status ADD version :one',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': { S: status }, ':one': { N: '1' } },
        }),
      );
    const directory = new CachedMappingDirectory(new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table }), { ttlMs: 60_000 });
    const handler = protectedHandler({ directory });
    await setStatus('SUSPENDED');
    const token = await requestAccessToken(cloud, 'beta-bank', 'payments/write');
    expect((await call(handler, { authorization: `Bearer ${token}` })).statusCode).toBe(403);
    // The suspension is kept, but a kept refusal is read again: the reinstated client is let in at once.
    await setStatus('ACTIVE');
    const allowed = await call(handler, { authorization: `Bearer ${token}` });
    expect(allowed.statusCode).toBe(200);
    const version = (await new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table }).find('beta-bank'))?.version;
    expect(JSON.parse(allowed.body ?? '')).toMatchObject({ entityId: 'ent-beta', mappingVersion: version });
  });

  it('answers 503, not 401, when the keys cannot be fetched', async () => {
    const token = await requestAccessToken(cloud, 'alpha-bank', 'payments/write');
    const handler = protectedHandler({
      verifier: createTokenVerifier({ issuer: cloud.endpoints.issuer, audience: cloud.endpoints.audience, jwksUri: 'http://127.0.0.1:9/jwks' }),
    });
    const result = await call(handler, { authorization: `Bearer ${token}` });
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('1');
  });

  describe('with Cognito-style access tokens (client_id, token_use, no aud, no typ)', () => {
    const issuer = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_TEST';
    const cognito = (): TokenVerifierOptions => ({ issuer, jwksUri: own.jwksUri, type: null, tokenUse: 'access' });
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ client_id: 'alpha-bank', scope: 'payments/write', token_use: 'access', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: own.kid })
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '5m')
        .sign(own.privateKey);

    it('accepts an access token and resolves its client', async () => {
      const result = await call(protectedHandler({ verifier: createTokenVerifier(cognito()) }), { authorization: `Bearer ${await sign({})}` });
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toMatchObject({ clientId: 'alpha-bank', entityId: 'ent-alpha' });
    });

    it.each([
      ['an ID token', { token_use: 'id' }],
      ['an expired token', { exp: Math.floor(Date.now() / 1000) - 600 }],
      ['a token without client_id', { client_id: undefined }],
    ])('refuses %s with 401', async (_name, claims) => {
      const result = await call(protectedHandler({ verifier: createTokenVerifier(cognito()) }), { authorization: `Bearer ${await sign(claims)}` });
      expect(result.statusCode).toBe(401);
    });

    it('lets a person act for the client\'s entity only as a member of its group', async () => {
      const handler = protectedHandler({ verifier: createTokenVerifier(cognito()) });
      const member = await call(handler, { authorization: `Bearer ${await sign({ username: 'anna', 'cognito:groups': ['ent-alpha'] })}` });
      expect(member.statusCode).toBe(200);
      expect(JSON.parse(member.body ?? '')).toMatchObject({ clientId: 'alpha-bank', entityId: 'ent-alpha' });
      for (const groups of [['ent-beta'], [], undefined]) {
        const stranger = await call(handler, { authorization: `Bearer ${await sign({ username: 'bob', ...(groups ? { 'cognito:groups': groups } : {}) })}` });
        expect(stranger.statusCode).toBe(403);
        expect(JSON.parse(stranger.body ?? '')).toMatchObject({ type: 'urn:mxflow:problem:person-not-in-group', status: 403 });
      }
    });

    it('grants only the scopes the mapping allows, whatever the token claims', async () => {
      // alpha-bank is mapped with payments/write and payments/read: a claim of payments/admin is no operator right.
      const handler = protectedHandler({ verifier: createTokenVerifier(cognito()), requiredScope: 'payments/read' });
      const result = await call(handler, { authorization: `Bearer ${await sign({ scope: 'payments/read payments/admin' })}` });
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toMatchObject({ clientId: 'alpha-bank', entityId: 'ent-alpha', scopes: ['payments/read'] });
      const asOperator = await call(protectedHandler({ verifier: createTokenVerifier(cognito()), requiredScope: 'payments/admin' }), {
        authorization: `Bearer ${await sign({ scope: 'payments/admin' })}`,
      });
      expect(asOperator.statusCode).toBe(403);
    });

    it('still checks the audience when one is configured', async () => {
      const verifier = createTokenVerifier({ ...cognito(), audience: 'https://api.mxflow.local' });
      const result = await call(protectedHandler({ verifier }), { authorization: `Bearer ${await sign({})}` });
      expect(result.statusCode).toBe(401);
    });
  });
});
