/**
 * The messages between the platform (`services.ts`) and its services host
 * (`offline-host.ts`), over the host's IPC channel.
 */

/** A service the host runs, as the platform tells it at launch. */
export interface HostService {
  readonly name: string;
  /** The folder of its serverless.yml. */
  readonly dir: string;
}

/** Ports of one service's serverless-offline. */
export interface HostPorts {
  readonly httpPort: number;
  readonly lambdaPort: number;
}

/** What the platform asks of the host. */
export type HostRequest =
  /** Start every service with the local cloud's environment, on these ports. */
  | { readonly type: 'start'; readonly env: Readonly<Record<string, string>>; readonly ports: Readonly<Record<string, HostPorts>> }
  /** Stop every service and exit. */
  | { readonly type: 'stop' }
  /** Processes to end (SIGKILL) if the platform goes away without stopping them (DynamoDB Local's JVM). */
  | { readonly type: 'guard'; readonly pids: readonly { readonly pid: number; readonly match: string }[] };

/** What the host reports while it works. */
export type HostReport =
  /** One step of one part, for the progress line. */
  | { readonly type: 'progress'; readonly part: string; readonly text: string }
  /** The bundles are built or found up to date. */
  | { readonly type: 'bundles'; readonly handlers: number; readonly built: boolean; readonly ms: number }
  /** A service answers on its ports. */
  | { readonly type: 'ready'; readonly service: string; readonly ms: number }
  /** A part failed; the host exits after this. */
  | { readonly type: 'failed'; readonly part: string; readonly message: string };

/** The environment variable holding the host's launch settings (JSON of {@link HostLaunch}). */
export const HOST_LAUNCH_VARIABLE = 'MXFLOW_OFFLINE_HOST';

/** The host's launch settings. */
export interface HostLaunch {
  /** The services it runs. */
  readonly services: readonly HostService[];
  /** The services whose bundles it builds (or finds up to date) at launch: every service for one host, none for the others. */
  readonly bundle: readonly HostService[];
  /** Where the bundles are: `<bundleDir>/<service>/<handler file>.mjs`, and the build's manifest. */
  readonly bundleDir: string;
}
