import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The fixture service. */
export const FIXTURE_DIR = path.resolve(here, '../fixture');
const SERVERLESS_BIN = path.resolve(here, '../../node_modules/serverless/bin/serverless.js');

/** Polls `read` until it returns a value. */
export async function waitFor<T>(read: () => T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One event a fixture function reported. */
export interface Delivery {
  functionName: string;
  event: Record<string, unknown>;
  at: number;
}

/** An HTTP server the fixture handler posts each event to; its answer can make the handler fail. */
export interface EventSink {
  url: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

/** Starts the sink; `failWith` returns an error message to make that invocation fail. */
export async function startEventSink(failWith: (delivery: Delivery, earlier: Delivery[]) => string | undefined): Promise<EventSink> {
  const deliveries: Delivery[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Delivery, 'at'>;
      const delivery = { ...body, at: Date.now() };
      const fail = failWith(delivery, [...deliveries]);
      deliveries.push(delivery);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ fail: fail ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A running `serverless offline start` in its own process group. */
export interface OfflineProcess {
  pid: number;
  output(): string;
  /** Sends SIGINT to the process group and waits for the group to be gone. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a fixture service (by default `tests/fixture`) under the real osls + serverless-offline + the plugin. */
export function startOffline(env: Record<string, string>, lambdaPort: number, serviceDir = FIXTURE_DIR): OfflineProcess {
  const child = spawn(process.execPath, [SERVERLESS_BIN, 'offline', 'start', '--lambdaPort', String(lambdaPort)], {
    cwd: serviceDir,
    detached: true,
    env: { ...process.env, ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('serverless did not start');
  return {
    pid,
    output: () => output,
    async stop() {
      if (groupAlive(pid)) process.kill(-pid, 'SIGINT');
      const timeout = setTimeout(() => groupAlive(pid) && process.kill(-pid, 'SIGKILL'), 20_000);
      try {
        const result = await exited;
        // The handler workers and anything else in the group must be gone too.
        await waitFor(() => !groupAlive(pid), 10_000, 'the process group to end');
        return result;
      } finally {
        clearTimeout(timeout);
        if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
      }
    },
  };
}
