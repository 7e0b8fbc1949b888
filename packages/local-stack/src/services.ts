import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import { PartStartError } from './errors';
import type { LocalCloud } from './cloud';
import { localAws } from './cloud';

/** A service of `serverless-compose.yml`. */
export interface ComposeService {
  readonly name: string;
  readonly dir: string;
  /** Whether any function has an `http` or `httpApi` event. */
  readonly hasHttpApi: boolean;
  /** Every `httpApi` route it declares. */
  readonly routes: readonly { readonly method: string; readonly path: string }[];
  /** The Lambda names (`<service>-local-<function>`) of its functions with a `schedule` event. */
  readonly scheduled: readonly string[];
}

/** Reads the services of a compose file, in the order it lists them. */
export async function readCompose(file: string): Promise<ComposeService[]> {
  const compose = (parseYaml(await readFile(file, 'utf8')) ?? {}) as { services?: Record<string, { path?: string }> };
  const services: ComposeService[] = [];
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    if (!service?.path) throw new PartStartError(name, `${file}: services.${name}.path is missing`);
    const dir = path.resolve(path.dirname(file), service.path);
    const definition = (parseYaml(await readFile(path.join(dir, 'serverless.yml'), 'utf8')) ?? {}) as {
      service?: string;
      functions?: Record<string, { events?: Record<string, unknown>[] }>;
    };
    const scheduled = Object.entries(definition.functions ?? {})
      .filter(([, fn]) => (fn.events ?? []).some((event) => 'schedule' in event))
      .map(([fnName]) => `${definition.service ?? name}-local-${fnName}`);
    const events = Object.values(definition.functions ?? {}).flatMap((fn) => fn.events ?? []);
    const hasHttpApi = events.some((event) => 'http' in event || 'httpApi' in event);
    const routes = events.flatMap((event) => {
      const route = event.httpApi as { method?: string; path?: string } | undefined;
      return route?.path ? [{ method: route.method ?? '*', path: route.path }] : [];
    });
    services.push({ name, dir, hasHttpApi, routes, scheduled });
  }
  return services;
}

/**
 * The environment a service's `local` stage reads its endpoints and resource
 * names from; other stages read the same values from SSM parameters.
 */
export function serviceEnvironment(cloud: LocalCloud): Record<string, string> {
  const table = (module: string): string => {
    const name = cloud.tables[module];
    if (!name) throw new PartStartError('services', `infra/platform defines no ${module}`);
    return name;
  };
  return {
    MXFLOW_STAGE: 'local',
    MXFLOW_DYNAMODB_ENDPOINT: cloud.endpoints.dynamodb,
    MXFLOW_S3_ENDPOINT: cloud.endpoints.s3,
    MXFLOW_SNS_ENDPOINT: cloud.endpoints.sns,
    MXFLOW_KAFKA_BROKERS: cloud.endpoints.kafka,
    MXFLOW_AUTH_ISSUER: cloud.endpoints.issuer,
    MXFLOW_AUTH_JWKS_URI: cloud.endpoints.jwksUri,
    MXFLOW_AUTH_AUDIENCE: cloud.endpoints.audience,
    MXFLOW_TABLE_MAPPING: table('mapping_table'),
    MXFLOW_TABLE_ENTITY: table('entity_table'),
    MXFLOW_TABLE_TRANSACTION: table('transaction_table'),
    MXFLOW_TABLE_LIQUIDITY: table('liquidity_table'),
    MXFLOW_TABLE_IDEMPOTENCY: table('idempotency_table'),
    MXFLOW_TABLE_USAGE: table('usage_table'),
    MXFLOW_TABLE_DEADLETTER: table('deadletter_table'),
    MXFLOW_TABLE_AUDIT: table('audit_table'),
    MXFLOW_ARCHIVE_BUCKET: cloud.archiveBucket,
    MXFLOW_NOTIFICATION_TOPIC_ARN: cloud.notificationTopicArn,
    AWS_REGION: localAws.region,
    AWS_ACCESS_KEY_ID: localAws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAws.credentials.secretAccessKey,
  };
}

/** A service running under serverless-offline. */
export interface RunningService {
  readonly name: string;
  /** Base URL of its HTTP API, when it has one. */
  readonly api?: string;
  /** serverless-offline's Lambda invoke endpoint. */
  readonly lambda: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The Serverless Framework CLI (osls) installed with the project. */
export function serverlessBin(): string {
  return createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts one service under `serverless offline start --stage local`, in this
 * process group, and resolves when its HTTP API (or Lambda endpoint) answers.
 */
export async function startService(
  service: ComposeService,
  env: Readonly<Record<string, string>>,
  output: (line: string) => void,
  timeoutMs = 90_000,
): Promise<RunningService> {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    [
      serverlessBin(),
      'offline',
      'start',
      '--stage',
      'local',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
    ],
    { cwd: service.dir, env: { ...process.env, ...env, SLS_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      output(`[${service.name}] ${line}`);
    }
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const done = await Promise.race([exited(child).then(() => true), sleep(10_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };
  const api = service.hasHttpApi ? `http://127.0.0.1:${httpPort}` : undefined;
  const lambda = `http://127.0.0.1:${lambdaPort}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(api ?? lambda))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PartStartError(service.name, `serverless offline exited (${child.exitCode ?? child.signalCode}): ${tail.join(' | ')}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new PartStartError(service.name, `serverless offline did not answer within ${timeoutMs} ms: ${tail.join(' | ')}`);
    }
    await sleep(250);
  }
  return { name: service.name, ...(api ? { api } : {}), lambda, pid: child.pid ?? 0, stop };
}
