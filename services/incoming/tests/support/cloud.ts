import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localAws, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO_ROOT = path.resolve(here, '../../../..');
/** The incoming service directory. */
export const SERVICE_DIR = path.resolve(here, '../..');

/** Starts an in-memory local cloud whose names start with `prefix`. */
export function startCloud(prefix: string): Promise<LocalCloud> {
  return startLocalCloud({
    infraDir: path.join(REPO_ROOT, 'infra'),
    seedFile: path.join(REPO_ROOT, 'packages/local-stack/seed/participants.json'),
    namePrefix: prefix,
  });
}

/** The environment the service's `local` stage reads. */
export function localStageEnv(cloud: LocalCloud): Record<string, string> {
  return {
    MXFLOW_TABLE_MAPPING: cloud.tables.mapping_table,
    MXFLOW_TABLE_TRANSACTION: cloud.tables.transaction_table,
    MXFLOW_ARCHIVE_BUCKET: cloud.archiveBucket,
    MXFLOW_AUTH_ISSUER: cloud.endpoints.issuer,
    MXFLOW_AUTH_JWKS_URI: cloud.endpoints.jwksUri,
    MXFLOW_AUTH_AUDIENCE: cloud.endpoints.audience,
    MXFLOW_KAFKA_BROKERS: cloud.endpoints.kafka,
    MXFLOW_DYNAMODB_ENDPOINT: cloud.endpoints.dynamodb,
    MXFLOW_S3_ENDPOINT: cloud.endpoints.s3,
    AWS_REGION: localAws.region,
    AWS_ACCESS_KEY_ID: localAws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAws.credentials.secretAccessKey,
  };
}

/** Asks the local OAuth server for a client_credentials access token. */
export async function fetchToken(cloud: LocalCloud, clientId: string, scope: string): Promise<string> {
  const client = [...cloud.seed.participants, ...cloud.seed.operators].find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`no seeded client ${clientId}`);
  const response = await fetch(cloud.endpoints.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: cloud.endpoints.audience }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `serverless offline start --stage local` of the incoming service, in its own process group. */
export interface Offline {
  readonly url: string;
  output(): string;
  /** Ends the whole process group and waits until it is gone. */
  stop(): Promise<void>;
}

/** Starts the service under serverless-offline and resolves once its HTTP API answers. */
export async function startOffline(env: Record<string, string>, timeoutMs = 120_000): Promise<Offline> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const bin = createRequire(path.join(SERVICE_DIR, 'package.json')).resolve('serverless/bin/serverless.js');
  const child = spawn(
    process.execPath,
    [bin, 'offline', 'start', '--stage', 'local', '--ignoreJWTSignature', '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    {
      cwd: SERVICE_DIR,
      detached: true,
      env: { ...process.env, ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('serverless did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (groupAlive(pid)) process.kill(-pid, 'SIGINT');
    const kill = setTimeout(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'), 10_000);
    await exited;
    for (let waited = 0; groupAlive(pid) && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    clearTimeout(kill);
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/v1/messages`, { method: 'GET', signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`serverless offline did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { url, output: () => output, stop };
}
