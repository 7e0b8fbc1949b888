import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './cloud';
import { CONSOLE_PATH, startGateway, type LocalGateway } from './gateway';
import { descendants } from './processes';
import { superviseProcess, type SupervisedProcess } from './supervision';
import { runSchedules, type LocalSchedules } from './schedules';
import { serviceEnvironment } from './services';
import { launchComposeServices, type LaunchedServices, type RunningService } from './services-host';

/** Options of {@link startPlatform}. */
export interface PlatformOptions extends LocalCloudOptions {
  /** The compose file whose services run (default: the repository's). */
  readonly composeFile: string;
  /** Port of the one HTTP API in front of every service: 0 picks a free one. */
  readonly apiPort: number;
  /**
   * The compose file's services with their host already launched
   * ({@link launchComposeServices}), so that it reads configurations and builds
   * bundles while the caller loads the rest; by default launched here.
   */
  readonly services?: Promise<LaunchedServices>;
  /** Extra environment for every service (fault injection in tests). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Every line the services and the scheduled runs print (a log, not the terminal: `pnpm dev` writes it to a file). */
  readonly output?: (line: string) => void;
  /**
   * How often scheduled functions (the timeout sweep) run, in seconds, where
   * AWS runs them every minute (default `MXFLOW_TIMEOUT_SWEEP_SECONDS`, else 1).
   */
  readonly scheduleSeconds?: number;
  /**
   * The built operations console to serve under `/console/`: by default the
   * repository's `packages/console/dist` when it has been built; a folder
   * given here is served even while its build is still running; `false`
   * serves none.
   */
  readonly consoleDir?: string | false;
}

/** How long a scheduled function with nothing to do waits at most before it runs again: AWS's one-minute schedule. */
const IDLE_SCHEDULE_MS = 60_000;

/** Where `pnpm --filter @mxflow/console build` puts the console. */
export const defaultConsoleDir = path.resolve(fileURLToPath(import.meta.url), '../../../console/dist');

/** The local cloud, every service under serverless-offline, and the API in front of them. */
export interface LocalPlatform {
  readonly cloud: LocalCloud;
  readonly services: readonly RunningService[];
  readonly gateway: LocalGateway;
  /** The API's base URL: `POST /v1/messages`, `GET /v1/transactions/…`. */
  readonly api: string;
  /** Whether the API is not on the port asked for, because that one was taken. */
  readonly apiPortFellBack: boolean;
  /** The operations console's URL, when one is served. */
  readonly console?: string;
  /** Stops the gateway, every service, then the cloud; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts what `pnpm dev` runs: the local cloud, each service of the compose
 * file (in parallel), and the gateway that routes each HTTP API route to its
 * service. If anything fails, what started is stopped again.
 */
export async function startPlatform(options: PlatformOptions): Promise<LocalPlatform> {
  const log = options.log ?? (() => {});
  const output = options.output ?? (() => {});
  // The services host reads the services' configurations and builds their bundles while the cloud starts.
  const { compose, host } = await (options.services ?? launchComposeServices(options.composeFile, { output, progress: log }));
  let cloud: LocalCloud;
  try {
    cloud = await startLocalCloud(options);
  } catch (error) {
    await host?.stop();
    throw error;
  }
  let services: RunningService[] = [];
  let gateway: LocalGateway | undefined;
  let schedules: LocalSchedules | undefined;
  let dynamodb: SupervisedProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await dynamodb?.stop();
      await schedules?.stop();
      await gateway?.stop();
      await host?.stop();
      await cloud.stop();
    })());
  try {
    // DynamoDB Local's JVM must not outlive this process, even killed with SIGKILL: the hosts (which notice) end it.
    const jvm = descendants(process.pid).find((child) => child.command.includes('DynamoDBLocal.jar'));
    const guard = (pid: number) => host?.guard([{ pid, match: 'DynamoDBLocal.jar' }]);
    if (jvm) {
      guard(jvm.pid);
      // Restarted when it dies, on its port and its files; in memory (tests) its tables would be gone, so it is only reported.
      dynamodb = superviseProcess('dynamodb', jvm.pid, Number(new URL(cloud.endpoints.dynamodb).port), log, {
        restart: jvm.command.includes('-dbPath '),
        onRestart: guard,
      });
    }
    const env = { ...serviceEnvironment(cloud), ...options.serviceEnv };
    services = host ? await host.start(env) : [];
    const routes = compose.flatMap((service) => {
      const running = services.find((candidate) => candidate.name === service.name);
      return running?.api ? service.routes.map((route) => ({ ...route, target: running.api as string })) : [];
    });
    const consoleDir = options.consoleDir ?? (existsSync(path.join(defaultConsoleDir, 'index.html')) ? defaultConsoleDir : false);
    const site =
      consoleDir
        ? {
            dir: consoleDir,
            // The console signs in with a participant's client credentials, through the gateway's own token route.
            config: { apiUrl: '', auth: { mode: 'client-credentials', tokenUrl: '/oauth2/token', audience: cloud.endpoints.audience } },
          }
        : undefined;
    const started = await startGateway(routes, options.apiPort, true, { oauth: new URL(cloud.endpoints.tokenUrl).origin, ...(site ? { console: site } : {}) });
    gateway = started;
    const scheduleSeconds = options.scheduleSeconds ?? Number(process.env.MXFLOW_TIMEOUT_SWEEP_SECONDS ?? 1);
    const targets = compose.flatMap((service) => {
      const running = services.find((candidate) => candidate.name === service.name);
      return running ? service.scheduled.map((functionName) => ({ service: running, functionName })) : [];
    });
    if (targets.length > 0) {
      const intervalMs = Math.max(1, scheduleSeconds) * 1000;
      schedules = runSchedules(
        targets,
        {
          intervalMs,
          idleMs: Math.max(intervalMs, IDLE_SCHEDULE_MS),
          // Every transaction enters through an incoming topic (a pain.001's payments too): each is work for the sweep.
          wake: (listener) => cloud.onRecords((topic) => {
            if (topic.startsWith('incoming.') && !topic.endsWith('.dlq')) listener();
          }),
        },
        (line) => output(`[schedule] ${line}`),
      );
      log(`schedules: ${targets.map((target) => target.functionName).join(', ')} when due (at most every ${Math.max(1, scheduleSeconds)} s, at least every ${Math.max(intervalMs, IDLE_SCHEDULE_MS) / 1000} s)`);
    }
    return { cloud, services, gateway, api: started.url, apiPortFellBack: started.fellBack, ...(site ? { console: `${started.url}${CONSOLE_PATH}` } : {}), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
