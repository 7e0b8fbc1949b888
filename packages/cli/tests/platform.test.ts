import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../src/errors';
import { connectionOf, Role } from '../src/platform';

// A ready file as pnpm dev writes it, on a machine that also deploys a stage.
const ready = {
  api: 'http://127.0.0.1:3000',
  tokenUrl: 'http://127.0.0.1:4100/oauth2/token',
  audience: 'http://127.0.0.1:3000',
  participants: [{ clientId: 'alpha-bank', clientSecret: 'alpha-local-secret', entityId: 'ent-alpha' }],
  operators: [{ clientId: 'platform-operator', clientSecret: 'operator-local-secret', entityId: 'ent-operator' }],
};

const stage = {
  MXFLOW_API: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/',
  MXFLOW_TOKEN_URL: 'https://mxflow-uat-auth.auth.eu-west-1.amazoncognito.com/oauth2/token',
  MXFLOW_CLIENT_ID: '5f1c0example0client0id',
  MXFLOW_CLIENT_SECRET: 'stage-secret',
};

describe('connectionOf', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mxflow-connection-'));
    writeFileSync(path.join(dir, 'ready.json'), JSON.stringify(ready));
    env = { MXFLOW_READY_FILE: path.join(dir, 'ready.json') };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes everything from the local platform when no API is given', () => {
    expect(connectionOf({}, env)).toEqual({
      api: ready.api,
      tokenUrl: ready.tokenUrl,
      clientId: 'alpha-bank',
      clientSecret: 'alpha-local-secret',
      audience: ready.audience,
      scope: 'payments/write payments/read',
      ready,
    });
    expect(connectionOf({}, env, Role.operator)).toMatchObject({ clientId: 'platform-operator', clientSecret: 'operator-local-secret', scope: 'payments/admin' });
  });

  it('reads a stage from the environment only, without the local audience or ready file', () => {
    const connection = connectionOf({}, { ...env, ...stage }, Role.operator);
    expect(connection).toEqual({
      api: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      tokenUrl: stage.MXFLOW_TOKEN_URL,
      clientId: stage.MXFLOW_CLIENT_ID,
      clientSecret: stage.MXFLOW_CLIENT_SECRET,
      scope: 'payments/admin',
    });
  });

  it('lets a flag win over its variable', () => {
    const connection = connectionOf({ 'client-id': 'alpha-client', 'client-secret': 'alpha-secret', scope: 'payments/read' }, { ...env, ...stage });
    expect(connection).toMatchObject({ api: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', clientId: 'alpha-client', clientSecret: 'alpha-secret', scope: 'payments/read' });
  });

  it.each([
    ['MXFLOW_TOKEN_URL', /no tokenUrl given: pass --token-url or set MXFLOW_TOKEN_URL \(the API is a deployment/],
    ['MXFLOW_CLIENT_ID', /no clientId given: pass --client-id or set MXFLOW_CLIENT_ID/],
    ['MXFLOW_CLIENT_SECRET', /no clientSecret given: pass --client-secret or set MXFLOW_CLIENT_SECRET/],
  ])('refuses a stage without %s instead of taking the local one', (missing, message) => {
    const partial: NodeJS.ProcessEnv = { ...env, ...stage };
    delete partial[missing];
    expect(() => connectionOf({}, partial)).toThrow(UsageError);
    expect(() => connectionOf({}, partial)).toThrow(message);
  });

  it('takes the API flag as a deployment too', () => {
    expect(() => connectionOf({ api: 'https://api.mxflow.example' }, env)).toThrow(/no tokenUrl given/);
  });
});
