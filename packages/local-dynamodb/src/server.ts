import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { checkJava } from './java';
import { DynamoDbStartError, EmulatorNotFoundError, PortInUseError } from './errors';

/** Options for {@link startLocalDynamoDb}. */
export interface LocalDynamoDbOptions {
  /** TCP port; 0 (the default) picks a free one. DynamoDB Local binds every interface. */
  port?: number;
  /** Directory for the database file. Omitted: the database lives in memory only. */
  dbPath?: string;
  /** One database for all credentials and regions (default true), as the stack expects. */
  sharedDb?: boolean;
  /** Java executable (default `java` on PATH). */
  javaPath?: string;
  /** How long to wait for the first successful ListTables (default 60 s, for busy machines). */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping (default 5 s). */
  stopGraceMs?: number;
}

/** A running DynamoDB Local. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `new DynamoDBClient({ endpoint })`. */
  endpoint: string;
  port: number;
  /** PID of the Java process. */
  pid: number;
  /** Milliseconds from spawn to the first successful ListTables. */
  startupMs: number;
  /** Stops the Java process (SIGTERM, then SIGKILL after the grace period) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** Directory holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib`, inside the amplify-dynamodb-simulator package. */
export function resolveEmulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Asks the OS for a free port on the loopback interface, then releases it. */
async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolveExit(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolveExit(true);
    };
    child.once('exit', onExit);
  });
}

/** How many fresh ports to try when a picked port turns out to be taken. */
const PORT_ATTEMPTS = 3;

/**
 * Starts DynamoDB Local (the jar shipped in amplify-dynamodb-simulator) and
 * resolves once it answers ListTables.
 *
 * @example
 * const db = await startLocalDynamoDb({ port: 0 });
 * const client = new DynamoDBClient({ endpoint: db.endpoint, region: 'eu-west-1',
 *   credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
 * await db.stop();
 *
 * @throws JavaNotFoundError / JavaVersionError when Java 17+ is not available
 * @throws PortInUseError when a port given explicitly is taken
 * @throws DynamoDbStartError when the process exits early or never answers
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const javaPath = options.javaPath ?? 'java';
  await checkJava(javaPath);
  const emulatorDir = resolveEmulatorDir();
  const jar = join(emulatorDir, 'DynamoDBLocal.jar');
  if (!existsSync(jar)) throw new EmulatorNotFoundError(jar);
  const dbPath = options.dbPath ? resolve(options.dbPath) : undefined;
  if (dbPath) await mkdir(dbPath, { recursive: true });

  if (options.port && options.port > 0) return launch(options, javaPath, emulatorDir, jar, dbPath, options.port);
  // The probe binds loopback only, while the JVM binds every interface; a clash is rare but possible.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, javaPath, emulatorDir, jar, dbPath, await findFreePort());
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function launch(
  options: LocalDynamoDbOptions,
  javaPath: string,
  emulatorDir: string,
  jar: string,
  dbPath: string | undefined,
  port: number,
): Promise<LocalDynamoDb> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  const args = [
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    jar,
    '-port',
    String(port),
    '-disableTelemetry',
  ];
  if (dbPath) args.push('-dbPath', dbPath);
  else args.push('-inMemory');
  if (options.sharedDb ?? true) args.push('-sharedDb');

  const startedAt = performance.now();
  const child = spawn(javaPath, args, { cwd: emulatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let bindFailed = false;
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    bindFailed ||= /Failed to bind|BindException/.test(output);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  // If the host process exits without calling stop(), the JVM must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, stopGraceMs))) {
          child.kill('SIGKILL');
          await waitForExit(child, 60_000);
        }
      }
      process.off('exit', killOnExit);
      child.stdout?.destroy();
      child.stderr?.destroy();
    })();
    return stopping;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + startTimeoutMs;
    let lastError: unknown;
    for (;;) {
      if (spawnError) throw new DynamoDbStartError(`could not spawn ${javaPath}`, { cause: spawnError });
      // Jetty's bind failure kills the main thread but leaves the JVM running.
      if (bindFailed) throw new PortInUseError(port);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new DynamoDbStartError(
          `DynamoDB Local exited with ${child.exitCode ?? child.signalCode} before it was ready:\n${output}`,
        );
      }
      try {
        // Bounded per attempt: a foreign server on the port may accept and never answer.
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        break;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw new DynamoDbStartError(`DynamoDB Local did not answer on ${endpoint} within ${startTimeoutMs} ms:\n${output}`, {
          cause: lastError,
        });
      }
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid as number,
    startupMs: Math.round(performance.now() - startedAt),
    stop,
  };
}
