import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { PartStartError } from './errors';
import { HOST_LAUNCH_VARIABLE, type HostLaunch, type HostPorts, type HostReport, type HostRequest } from './host-protocol';

// This module stays light (no AWS SDK, no local cloud): `pnpm dev` launches the
// services host with it first, and loads the rest while the host gets going.

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

/**
 * The services a running services host serves, read from its launch
 * variable in /proc (Linux); undefined for any other process, or one that is
 * gone. Benchmarks use it to name processes; tests, to find the host to kill.
 */
export function hostedServices(pid: number): string[] | undefined {
  try {
    const launch = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((entry) => entry.startsWith(`${HOST_LAUNCH_VARIABLE}=`));
    return launch ? (JSON.parse(launch.slice(HOST_LAUNCH_VARIABLE.length + 1)) as HostLaunch).services.map((service) => service.name) : undefined;
  } catch {
    // Gone, or not ours to read.
    return undefined;
  }
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

/** A service running under serverless-offline (in a services host). */
export interface RunningService {
  readonly name: string;
  /** Base URL of its HTTP API, when it has one. */
  readonly api?: string;
  /** serverless-offline's Lambda invoke endpoint. */
  readonly lambda: string;
  /** The process of the services host it runs in. */
  readonly pid: number;
  /** Stops the services hosts, and with them every service. */
  stop(): Promise<void>;
}

/**
 * How services are spread over host processes: `role` puts the services
 * with an HTTP API in one and the others (Kafka consumers, schedules) in
 * another, so that a flood of API calls does not hold up settlement in the
 * same event loop; `single` runs them all in one process (the least memory).
 */
export type HostGrouping = 'role' | 'single';

/** Options of {@link launchServices}. */
export interface ServicesOptions {
  /** Every line the hosts print: osls, serverless-offline, the plugins, the handlers. */
  readonly output?: (line: string) => void;
  /** One line per step of each part while it starts, and what supervision does later. */
  readonly progress?: (line: string) => void;
  /** Restart a host that dies after its services started (default true). */
  readonly restart?: boolean;
  /** Default: `MXFLOW_SERVICES_HOSTS`, else `role`. */
  readonly grouping?: HostGrouping;
}

/** The services hosts: every service of the compose file under serverless-offline. */
export interface ServicesHost {
  /** The hosts' current processes. */
  readonly pids: readonly number[];
  /**
   * Starts every service with the local cloud's environment and resolves
   * when each one answers; rejects with a {@link PartStartError} naming the
   * service when one fails. There is no deadline: a slow machine gets a
   * "still starting" line every 30 s instead.
   */
  start(env: Readonly<Record<string, string>>): Promise<RunningService[]>;
  /** Processes the hosts end if the platform goes away without stopping (DynamoDB Local's JVM). */
  guard(pids: readonly { pid: number; match: string }[]): void;
  /** Stops every service and every host; safe to call twice. */
  stop(): Promise<void>;
}

/** A port the kernel picks (port 0), then released. */
function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Where the kernel's ephemeral ports (port 0, outgoing connections) begin, on Linux. */
function ephemeralPortsFrom(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 0;
  } catch {
    return 0;
  }
}

const LOWEST_PORT = 10_000;
const handedOut = new Set<number>();

/**
 * A free port for a service's serverless-offline, below the kernel's
 * ephemeral range: between this check and the host's listen, no outgoing
 * connection or port-0 server can be handed it (one from that range can be,
 * and was: EADDRINUSE). Where the range leaves no room, a port the kernel picks.
 */
async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  for (let attempt = 0; below > LOWEST_PORT + 1000 && attempt < 50; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (below - LOWEST_PORT));
    if (!handedOut.has(port) && (await canListen(port))) {
      handedOut.add(port);
      return port;
    }
  }
  return kernelPort();
}

/** The host's entry: plain Node runs it, and it runs the build of the host's TypeScript (programs.mjs). */
const hostEntry = fileURLToPath(new URL('./offline-host.mjs', import.meta.url));
/**
 * Where the hosts build the handlers' bundles: a cache (kept across
 * `pnpm dev --fresh`, which wipes state, not builds), out of the services'
 * folders, so that nothing else reads or packages it.
 */
const bundleDir = path.resolve(fileURLToPath(import.meta.url), '../../../../node_modules/.cache/mxflow-offline');

const STALL_NOTICE_MS = 30_000;
const TAIL_LINES = 30;

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The groups of services, one host process each. */
function groupServices(services: readonly ComposeService[], grouping: HostGrouping): ComposeService[][] {
  if (grouping === 'single') return [[...services]];
  return [services.filter((service) => service.hasHttpApi), services.filter((service) => !service.hasHttpApi)].filter((group) => group.length > 0);
}

/** One host process and what it is doing. */
interface Host {
  readonly services: readonly ComposeService[];
  child: ChildProcess;
  /** The host's last lines, for an error message. */
  readonly tail: string[];
  /** Where its reports go at the moment. */
  listener?: (report: HostReport) => void;
  /** What to do when it exits. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/**
 * Launches the services hosts for these services. They start reading their
 * configurations at once, and the one with the most services builds every
 * service's bundles (one esbuild build), while the caller starts the local cloud;
 * {@link ServicesHost.start} then gives them the cloud's environment. The
 * hosts run in this process group and end themselves when this process goes
 * away. A host that dies after its services started is launched again, on
 * the same ports (the gateway's routes stay valid), and `progress` says so.
 */
export function launchServices(services: readonly ComposeService[], options: ServicesOptions = {}): ServicesHost {
  const output = options.output ?? (() => {});
  const progress = options.progress ?? (() => {});
  const grouping = options.grouping ?? (process.env.MXFLOW_SERVICES_HOSTS === 'single' ? 'single' : 'role');
  let stopping: Promise<void> | undefined;
  let guarded: readonly { pid: number; match: string }[] = [];
  let lastReport = performance.now();

  const send = (child: ChildProcess, request: HostRequest) => {
    if (child.connected) child.send(request, () => {});
  };
  const spawnHost = (host: Pick<Host, 'services' | 'tail'> & Partial<Host>, builder: boolean): ChildProcess => {
    const launch: HostLaunch = {
      services: host.services.map(({ name, dir }) => ({ name, dir })),
      bundle: builder ? services.map(({ name, dir }) => ({ name, dir })) : [],
      bundleDir,
    };
    // MXFLOW_HOST_CPU_PROFILE_DIR: each host writes a V8 CPU profile there when it stops (what a benchmark spends where).
    const profileDir = process.env.MXFLOW_HOST_CPU_PROFILE_DIR;
    const child = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), hostEntry], {
      env: { ...process.env, [HOST_LAUNCH_VARIABLE]: JSON.stringify(launch) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const relay = (line: string) => {
      if (!line.trim()) return;
      host.tail.push(line);
      if (host.tail.length > TAIL_LINES) host.tail.shift();
      output(line);
    };
    // Whole lines, even when a long one (a handler's JSON log) comes in several chunks.
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', relay);
    child.on('message', (report: HostReport) => {
      lastReport = performance.now();
      host.listener?.(report);
    });
    child.once('exit', (code, signal) => host.onExit?.(code, signal));
    // A send to a host that just died is reported by its exit.
    child.on('error', () => {});
    if (guarded.length) send(child, { type: 'guard', pids: guarded });
    return child;
  };
  const groups = groupServices(services, grouping);
  progress(`services: ${groups.map((group) => group.map((service) => service.name).join(', ')).join(' | ')} (serverless offline, ${groups.length === 1 ? 'one host process' : `${groups.length} host processes`})`);
  // The host with the most services builds the bundles: it reads most of the configurations anyway.
  const largest = groups.reduce((best, group, index) => (group.length > groups[best].length ? index : best), 0);
  const hosts: Host[] = groups.map((group, index) => {
    const host: Partial<Host> & Pick<Host, 'services' | 'tail'> = { services: group, tail: [] };
    host.child = spawnHost(host, index === largest);
    return host as Host;
  });
  const builder = hosts[largest];

  /** The builder's bundles, built or found up to date: what every host's start waits for. */
  const bundled = new Promise<void>((resolve, reject) => {
    builder.listener = (report) => {
      if (report.type === 'bundles') {
        progress(`bundles: ${report.handlers} handlers ${report.built ? `built in ${report.ms} ms (one esbuild build)` : `up to date (checked in ${report.ms} ms)`}`);
        resolve();
      } else if (report.type === 'failed') reject(new PartStartError(report.part, `${report.message}${builder.tail.length ? `\n${builder.tail.join('\n')}` : ''}`));
    };
    builder.onExit = (code, signal) => reject(new PartStartError('services', `the services host exited (${code ?? signal}) before the bundles were built${builder.tail.length ? `:\n${builder.tail.join('\n')}` : ''}`));
  });
  bundled.catch(() => {});

  let ports: Record<string, HostPorts> | undefined;
  const running = (): RunningService[] =>
    services.map((service) => {
      const { httpPort, lambdaPort } = (ports as Record<string, HostPorts>)[service.name];
      const host = hosts.find((candidate) => candidate.services.includes(service)) as Host;
      return {
        name: service.name,
        ...(service.hasHttpApi ? { api: `http://127.0.0.1:${httpPort}` } : {}),
        lambda: `http://127.0.0.1:${lambdaPort}`,
        get pid() {
          return host.child.pid ?? 0;
        },
        stop,
      };
    });

  /** Sends the environment to a host and waits until each of its services reports ready. */
  const startHost = (host: Host, env: Readonly<Record<string, string>>): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const waiting = new Set(host.services.map((service) => service.name));
      const began = performance.now();
      const stall = setInterval(() => {
        if (performance.now() - lastReport < STALL_NOTICE_MS) return;
        lastReport = performance.now();
        progress(`still starting ${[...waiting].join(', ')} (${Math.round((performance.now() - began) / 1000)} s)`);
      }, 1000);
      const settle = (error?: Error) => {
        clearInterval(stall);
        host.listener = undefined;
        host.onExit = undefined;
        if (error) reject(error);
        else resolve();
      };
      host.listener = (report) => {
        if (report.type === 'progress') progress(`${report.part}: ${report.text}`);
        else if (report.type === 'failed') settle(new PartStartError(report.part, `${report.message}${host.tail.length ? `\n${host.tail.join('\n')}` : ''}`));
        else if (report.type === 'ready') {
          waiting.delete(report.service);
          const service = running().find((candidate) => candidate.name === report.service);
          progress(`${report.service} ready${service?.api ? ` at ${service.api}` : ''} (${report.ms} ms)`);
          if (waiting.size === 0) settle();
        }
      };
      host.onExit = (code, signal) =>
        settle(new PartStartError([...waiting][0] ?? 'services', `the services host exited (${code ?? signal}) before ${[...waiting].join(', ')} started${host.tail.length ? `:\n${host.tail.join('\n')}` : ''}`));
      if (hasExited(host.child)) host.onExit(host.child.exitCode, host.child.signalCode);
      else send(host.child, { type: 'start', env, ports: ports as Record<string, HostPorts> });
    });

  /** Supervision: a host that dies after the start is launched again, with a growing pause after each failed attempt. */
  const supervise = (host: Host, env: Readonly<Record<string, string>>) => {
    const names = host.services.map((service) => service.name).join(', ');
    host.onExit = (code, signal) => {
      if (stopping) return;
      progress(`services host of ${names} exited (${code ?? signal}); restarting it`);
      void (async () => {
        for (let failures = 0; !stopping; failures++) {
          await sleep(failures === 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1)));
          if (stopping) return;
          const began = performance.now();
          host.tail.length = 0;
          host.child = spawnHost(host, false);
          try {
            await startHost(host, env);
            progress(`${names} restarted in ${Math.round(performance.now() - began)} ms`);
            supervise(host, env);
            return;
          } catch (error) {
            if (stopping) return;
            progress(`${names} did not restart: ${(error as Error).message.split('\n')[0]}; trying again`);
            if (!hasExited(host.child)) host.child.kill('SIGKILL');
            await exited(host.child);
          }
        }
      })();
    };
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(
        hosts.map(async (host) => {
          host.listener = undefined;
          host.onExit = undefined;
          if (hasExited(host.child)) return;
          send(host.child, { type: 'stop' });
          const done = await Promise.race([exited(host.child).then(() => true), sleep(15_000, undefined, { ref: false }).then(() => false)]);
          if (!done) {
            host.child.kill('SIGKILL');
            await exited(host.child);
          }
        }),
      );
    })());

  return {
    get pids() {
      return hosts.map((host) => host.child.pid ?? 0);
    },
    async start(env) {
      ports ??= Object.fromEntries(await Promise.all(services.map(async (service) => [service.name, { httpPort: await freePort(), lambdaPort: await freePort() }] as const)));
      const portsFor = async (host: Host) => {
        for (const service of host.services) (ports as Record<string, HostPorts>)[service.name] = { httpPort: await freePort(), lambdaPort: await freePort() };
      };
      // A port taken between its check and the listen (another program's) fails that host's start: again, on others.
      const startOnFreePorts = async (host: Host) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await startHost(host, env);
          } catch (error) {
            if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
            progress(`${host.services.map((service) => service.name).join(', ')}: a port was taken meanwhile; starting again on others`);
            await exited(host.child);
            await portsFor(host);
            host.tail.length = 0;
            host.child = spawnHost(host, false);
          }
        }
      };
      try {
        await bundled;
        await Promise.all(hosts.map(startOnFreePorts));
      } catch (error) {
        await stop();
        throw error;
      }
      if (options.restart ?? true) for (const host of hosts) supervise(host, env);
      return running();
    },
    guard(pids) {
      guarded = pids;
      for (const host of hosts) send(host.child, { type: 'guard', pids });
    },
    stop,
  };
}

/** The services of a compose file and their host, launched (see {@link launchServices}). */
export interface LaunchedServices {
  readonly compose: readonly ComposeService[];
  /** Absent when the compose file lists no service (or does not exist). */
  readonly host?: ServicesHost;
}

/** Reads the compose file and launches the services host for its services, if it lists any. */
export async function launchComposeServices(composeFile: string, options: ServicesOptions = {}): Promise<LaunchedServices> {
  let compose: ComposeService[];
  try {
    compose = await readCompose(composeFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { compose: [] };
    throw error;
  }
  if (compose.length === 0) return { compose };
  return { compose, host: launchServices(compose, options) };
}
