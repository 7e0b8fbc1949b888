import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './cloud';
import { CONSOLE_PATH, startGateway, type LocalGateway } from './gateway';
import { runSchedules, type LocalSchedules } from './schedules';
import { readCompose, serviceEnvironment, startService, type RunningService } from './services';

/** Options of {@link startPlatform}. */
export interface PlatformOptions extends LocalCloudOptions {
  /** The compose file whose services run (default: the repository's). */
  readonly composeFile: string;
  /** Port of the one HTTP API in front of every service: 0 picks a free one. */
  readonly apiPort: number;
  /** Extra environment for every service (fault injection in tests). */
  readonly serviceEnv?: Readonly<Record<string, string>>;
  /** Every line the services print, prefixed with the service name. */
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
  const cloud = await startLocalCloud(options);
  const services: RunningService[] = [];
  let gateway: LocalGateway | undefined;
  let schedules: LocalSchedules | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await schedules?.stop();
      await gateway?.stop();
      await Promise.allSettled(services.map((service) => service.stop()));
      await cloud.stop();
    })());
  try {
    const compose = existsSync(options.composeFile) ? await readCompose(options.composeFile) : [];
    const env = { ...serviceEnvironment(cloud), ...options.serviceEnv };
    const output = options.output ?? (() => {});
    log(`starting ${compose.map((service) => service.name).join(', ')} (serverless offline)`);
    const results = await Promise.allSettled(
      compose.map(async (service) => {
        const running = await startService(service, env, output);
        services.push(running);
        log(`service ${service.name} ready${running.api ? ` at ${running.api}` : ''}`);
        return running;
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
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
      schedules = runSchedules(targets, Math.max(1, scheduleSeconds) * 1000, (line) => output(`[schedule] ${line}`));
      log(`running ${targets.map((target) => target.functionName).join(', ')} every ${Math.max(1, scheduleSeconds)} s`);
    }
    return { cloud, services, gateway, api: started.url, apiPortFellBack: started.fellBack, ...(site ? { console: `${started.url}${CONSOLE_PATH}` } : {}), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

