/**
 * A services host: one Node process in which several services of the local
 * platform run under serverless-offline, each from its own serverless.yml,
 * through the Serverless Framework (osls) driven as its CLI drives it
 * (`services-host.ts` launches two: the services with an HTTP API, and the
 * rest).
 *
 * One process instead of one `serverless offline start` per service: osls,
 * serverless-offline and the plugins load once per host, not once per
 * service, and the handlers' bundles come from one esbuild build for the
 * whole platform (`bundles.ts`) instead of one esbuild process per service.
 * serverless-esbuild is not loaded here: the host reads each service's
 * esbuild settings as the plugin would (they are what the build uses), and
 * serverless-offline's `location` points at the platform's bundles, which it
 * imports in process once per function (so no file watcher either).
 *
 * It works in two phases. At launch, while the platform starts the local
 * cloud, it loads osls and every plugin and reads each service's
 * configuration (all but the local cloud's environment, which does not exist
 * yet); the first host also builds the bundles of every service, or finds
 * them up to date. When the platform sends the environment, it resolves each
 * configuration for real and runs each service's offline lifecycle up to
 * where the CLI would wait for Ctrl-C.
 *
 * Reports go over IPC (`host-protocol.ts`). Everything osls,
 * serverless-offline and the handlers print goes to stdout and stderr, which
 * the platform writes to its log.
 */
import { existsSync, readFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundles, type BundleTarget } from './bundles';
import { HOST_LAUNCH_VARIABLE, type HostLaunch, type HostPorts, type HostReport, type HostRequest, type HostService } from './host-protocol';

const require = createRequire(import.meta.url);
const oslsRequire = createRequire(require.resolve('serverless/package.json'));

// osls writes its log (and every plugin's) through this reporter, to stderr, as its CLI does.
oslsRequire('./lib/utils/serverless-utils/log-reporters/node');

type Hook = { hook: () => unknown };
type Command = object;

interface PluginManager {
  readonly hooks: Record<string, Hook[] | undefined>;
  readonly plugins: object[];
  validateCommand(commands: string[]): void;
  getCommand(commands: string[]): Command;
  convertShortcutsIntoOptions(command: Command): void;
  assignDefaultOptions(command: Command): void;
  runHooks(name: string, hooks: Hook[]): Promise<void>;
}

interface FunctionDefinition {
  handler?: string;
  /** serverless-esbuild's per-function opt-out: such a function is not bundled. */
  skipEsbuild?: boolean;
}

interface Serverless {
  init(): Promise<void>;
  readonly pluginManager: PluginManager;
  readonly service: {
    readonly functions: Record<string, FunctionDefinition>;
    readonly provider: { readonly runtime?: string };
    custom?: Record<string, unknown>;
    reloadServiceFileParam(): void;
    mergeArrays(): void;
    setFunctionNames(options: Record<string, unknown>): void;
    validate(): Promise<unknown>;
  };
  variables: { options?: unknown };
  serviceOutputs?: Map<string, unknown>;
  servicePluginOutputs?: Map<string, unknown>;
}

/** The bundler plugin the services name; a host reads its settings but does not load it (see {@link withoutBundlerPlugin}). */
const BUNDLER_PLUGIN = 'serverless-esbuild';

/**
 * serverless-esbuild's defaults for what it hands esbuild (its
 * `DEFAULT_BUILD_OPTIONS` less what only its packaging reads), and the
 * target it derives from `provider.runtime`. A service's `custom.esbuild`
 * overrides them, as in the plugin.
 */
const BUNDLER_DEFAULTS = { bundle: true, target: 'node18', external: [], exclude: ['aws-sdk'], platform: 'node', outputFileExtension: '.js' } as const;
/** The file extensions serverless-esbuild tries, in its order, for a handler's entry file. */
const BUNDLER_ENTRY_EXTENSIONS = ['.ts', '.js', '.jsx', '.tsx'];

/**
 * Takes serverless-esbuild out of the plugins osls loads for a service in a
 * host, and says whether the service named it (then the host bundles it). A
 * host builds the bundles itself (`bundles.ts`) and serverless-offline loads
 * them from the platform's bundle folder; from the plugin it needs only the
 * settings, which are plain configuration (`custom.esbuild`). Loading it
 * would cost each host about 3 s of CPU at every start, most of it in the
 * libraries of its packaging (`@effect/platform-node`). `pnpm package` and
 * the AWS stages run it as usual.
 */
function withoutBundlerPlugin(configuration: Record<string, unknown>): boolean {
  const plugins = configuration.plugins;
  const list: unknown[] | undefined = Array.isArray(plugins) ? plugins : (plugins as { modules?: unknown[] } | undefined)?.modules;
  if (!Array.isArray(list) || !list.includes(BUNDLER_PLUGIN)) return false;
  const kept = list.filter((plugin) => plugin !== BUNDLER_PLUGIN);
  configuration.plugins = Array.isArray(plugins) ? kept : { ...(plugins as object), modules: kept };
  return true;
}

/** The services whose serverless.yml names serverless-esbuild: those a host bundles. */
const namingBundler = new Set<string>();

interface OfflinePlugin {
  end(skipExit?: boolean): Promise<void>;
}

type VariablesMeta = Map<string, { error?: Error }>;
interface ResolverConfiguration {
  serviceDir: string;
  configuration: Record<string, unknown>;
  variablesMeta: VariablesMeta;
  sources: Record<string, unknown>;
  options: Record<string, unknown>;
  fulfilledSources: Set<string>;
  propertyPathsToResolve?: Set<string>;
  isPropertyDeferred?: (propertyPath: string) => boolean;
}

const ServerlessClass = oslsRequire('./lib/serverless') as new (config: object) => Serverless;
const readConfiguration = oslsRequire('./lib/configuration/read') as (file: string) => Promise<Record<string, unknown>>;
const resolveVariablesMeta = oslsRequire('./lib/configuration/variables/resolve-meta') as (configuration: object) => VariablesMeta;
const resolveVariables = oslsRequire('./lib/configuration/variables/resolve') as (configuration: ResolverConfiguration) => Promise<void>;
const deferIrrelevantStageParams = oslsRequire('./lib/configuration/variables/defer-irrelevant-stage-params') as (
  configuration: object,
  resolver: ResolverConfiguration,
) => (propertyPath: string) => boolean;
const reportResolutionErrors = oslsRequire('./lib/configuration/variables/eventually-report-resolution-errors') as (
  file: string,
  configuration: object,
  meta: VariablesMeta,
  options: { isHelpRequest: boolean },
) => boolean;
const source = (name: string): unknown => oslsRequire(`./lib/configuration/variables/sources/${name}`);
const instanceSource = (name: string, serverless?: Serverless): unknown =>
  (oslsRequire(`./lib/configuration/variables/sources/instance-dependent/${name}`) as (instance?: Serverless) => unknown)(serverless);

const COMMANDS = ['offline', 'start'];
const CONFIGURATION_FILE = 'serverless.yml';

const launch = JSON.parse(process.env[HOST_LAUNCH_VARIABLE] ?? '{"services":[]}') as HostLaunch;

function report(message: HostReport): void {
  process.send?.(message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads and resolves a service's serverless.yml and constructs and
 * initialises its Serverless instance (plugins loaded), as the CLI does for
 * `serverless offline start --stage local`. Without `envKnown`, variables of
 * the `env` source stay unresolved instead of failing (the first phase,
 * which validates later: see {@link warmValidation}).
 */
async function loadService(service: HostService, options: Record<string, unknown>, envKnown: boolean): Promise<Serverless> {
  const configurationPath = path.join(service.dir, CONFIGURATION_FILE);
  const configuration = await readConfiguration(configurationPath);
  if (withoutBundlerPlugin(configuration)) namingBundler.add(service.name);
  const variablesMeta = resolveVariablesMeta(configuration);
  const resolver: ResolverConfiguration = {
    serviceDir: service.dir,
    configuration,
    variablesMeta,
    sources: { env: source('env'), file: source('file'), opt: source('opt'), self: source('self'), strToBool: source('str-to-bool'), sls: instanceSource('get-sls') },
    options,
    // A source not listed here leaves a missing value pending rather than failing.
    fulfilledSources: new Set(['file', 'self', 'strToBool', 'opt', ...(envKnown ? ['env'] : [])]),
  };
  resolver.isPropertyDeferred = deferIrrelevantStageParams(configuration, resolver);
  await resolveVariables(resolver);
  const serverless = new ServerlessClass({
    configuration,
    serviceDir: service.dir,
    configurationFilename: CONFIGURATION_FILE,
    commands: COMMANDS,
    options,
    variablesMeta,
  });
  await serverless.init();
  Object.assign(resolver.sources, {
    sls: instanceSource('get-sls', serverless),
    param: instanceSource('param', serverless),
    // The local stage reads none of these; they are here so that a configuration that does fails as the CLI would.
    cf: instanceSource('get-cf', serverless),
    s3: instanceSource('get-s3', serverless),
    ssm: instanceSource('get-ssm', serverless),
    aws: instanceSource('get-aws', serverless),
  });
  for (const name of ['sls', 'param', ...(envKnown ? ['cf', 's3', 'ssm', 'aws'] : [])]) resolver.fulfilledSources.add(name);
  await resolveVariables(resolver);
  // Params of other stages are left unresolved on purpose (as the CLI does).
  for (const [propertyPath, meta] of variablesMeta) if (!meta.error && resolver.isPropertyDeferred(propertyPath)) variablesMeta.delete(propertyPath);
  reportResolutionErrors(configurationPath, configuration, variablesMeta, { isHelpRequest: false });
  // The bundles are built from the first phase's reading: what they are made of may not wait for the local cloud.
  const bundleInputs = [...variablesMeta.keys()].filter((key) => /^(custom\0esbuild|functions\0[^\0]+\0handler|provider\0runtime|package)(\0|$)/.test(key));
  if (!envKnown && bundleInputs.length > 0) {
    throw new Error(`${configurationPath}: ${bundleInputs.map((key) => key.split('\0').join('.')).join(', ')} must not depend on the local cloud's environment (\${env:…}): the bundles are built before it exists`);
  }
  if (envKnown && variablesMeta.size > 0) {
    throw new Error(`${configurationPath}: unresolved variables in ${[...variablesMeta.keys()].map((key) => key.split('\0').join('.')).join(', ')}`);
  }
  // What Serverless#run() does before it runs the command's lifecycle.
  serverless.service.reloadServiceFileParam();
  serverless.pluginManager.validateCommand(COMMANDS);
  serverless.variables.options = options;
  serverless.service.mergeArrays();
  serverless.service.setFunctionNames(options);
  if (envKnown) await serverless.service.validate();
  serverless.serviceOutputs = new Map();
  serverless.servicePluginOutputs = new Map();
  return serverless;
}

function pluginNamed<T>(serverless: Serverless, name: string): T | undefined {
  return serverless.pluginManager.plugins.find((plugin) => plugin.constructor.name === name) as T | undefined;
}

/** The options serverless-esbuild's `bundle()` hands esbuild, besides entry points, output folder and plugins. */
const BUNDLER_ONLY_OPTIONS = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
  'plugins',
]);

/** Where a service's bundles are built, and where its serverless-offline loads them from. */
function bundleFolder(service: HostService): string {
  return path.join(launch.bundleDir, service.name);
}

/**
 * What serverless-esbuild would build for this service's offline start, read
 * as the plugin reads it: its defaults, the target of `provider.runtime`, then
 * `custom.esbuild`; one entry per handler file, found with the plugin's
 * extensions. Built into the platform's bundle folder.
 */
function bundleTarget(service: HostService, serverless: Serverless): BundleTarget | undefined {
  if (!namingBundler.has(service.name)) return undefined;
  const runtime = /^nodejs(\d+)\.x$/.exec(serverless.service.provider.runtime ?? '');
  const options: Record<string, unknown> = {
    ...BUNDLER_DEFAULTS,
    ...(runtime ? { target: `node${runtime[1]}` } : {}),
    ...((serverless.service.custom?.esbuild as Record<string, unknown> | undefined) ?? {}),
  };
  const exclude = ([] as unknown[]).concat(options.exclude ?? []).filter((item): item is string => typeof item === 'string');
  const external = ([] as unknown[]).concat(options.external ?? []).filter((item): item is string => typeof item === 'string');
  const esbuildOptions = Object.fromEntries(Object.entries(options).filter(([key]) => !BUNDLER_ONLY_OPTIONS.has(key)));
  const extension = String(options.outputFileExtension);
  const pluginsFile = typeof options.plugins === 'string' ? path.resolve(service.dir, options.plugins) : undefined;
  const plugins = pluginsFile ? (require(pluginsFile) as import('esbuild').Plugin[]) : ((options.plugins as import('esbuild').Plugin[] | undefined) ?? []);
  const entries = new Set<string>();
  for (const [name, fn] of Object.entries(serverless.service.functions)) {
    if (!fn.handler || fn.skipEsbuild) continue;
    const file = fn.handler.slice(0, fn.handler.lastIndexOf(path.extname(fn.handler)));
    const found = BUNDLER_ENTRY_EXTENSIONS.map((ext) => `${file}${ext}`).find((candidate) => existsSync(path.join(service.dir, candidate)));
    if (!found) throw new Error(`${service.name}: no entry file for ${name}'s handler ${fn.handler} (tried ${BUNDLER_ENTRY_EXTENSIONS.join(', ')})`);
    entries.add(path.normalize(found));
  }
  return {
    service: service.name,
    options: {
      ...esbuildOptions,
      // One build bundles every service of the platform here: split, the services of one host would share
      // module instances, which no two Lambda functions do. Each handler stays one file of its own.
      splitting: false,
      external: [...external, ...(exclude.includes('*') ? [] : exclude)],
      ...(extension !== '.js' ? { outExtension: { '.js': extension } } : {}),
    },
    plugins,
    ...(pluginsFile ? { pluginsFile } : {}),
    entries: [...entries].map((entry) => ({
      in: path.resolve(service.dir, entry),
      out: path.join(bundleFolder(service), entry.slice(0, entry.lastIndexOf('.'))),
    })),
  };
}

/**
 * Runs `work` in the service's folder, as the CLI runs in it: serverless-esbuild
 * finds the handler files relative to the working folder.
 */
async function inServiceFolder<T>(service: HostService, work: () => Promise<T>): Promise<T> {
  const home = process.cwd();
  process.chdir(service.dir);
  try {
    return await work();
  } catch (error) {
    throw Object.assign(new Error(errorText(error), { cause: error }), { part: service.name });
  } finally {
    process.chdir(home);
  }
}

/** A service whose offline lifecycle runs. */
interface Started {
  readonly name: string;
  readonly serverless: Serverless;
}

const started: Started[] = [];
let stopping: Promise<void> | undefined;

/**
 * The first phase: osls and the plugins loaded, each configuration read (the
 * services it runs, and those it bundles); resolves to what to bundle, and
 * the services this host runs, loaded.
 */
async function readConfigurations(): Promise<{ targets: BundleTarget[]; runs: { service: HostService; serverless: Serverless }[] }> {
  console.error(`mxflow services host: osls loaded (${Math.round(performance.now())} ms since the host started)`);
  const targets: BundleTarget[] = [];
  const runs: { service: HostService; serverless: Serverless }[] = [];
  const bundled = new Set(launch.bundle.map((service) => service.name));
  const services = [...launch.bundle, ...launch.services.filter((service) => !bundled.has(service.name))];
  for (const service of services) {
    const began = performance.now();
    const serverless = await inServiceFolder(service, () => loadService(service, { stage: 'local' }, false));
    const target = bundled.has(service.name) ? bundleTarget(service, serverless) : undefined;
    if (target) targets.push(target);
    if (launch.services.some((run) => run.name === service.name)) runs.push({ service, serverless });
    console.error(`mxflow services host: ${service.name} configuration read in ${Math.round(performance.now() - began)} ms (${Math.round(performance.now())} ms since the host started)`);
  }
  return { targets, runs };
}

/**
 * Validates each service this host runs in the first phase, for a side
 * effect: osls's configuration schema compiles (about a second per distinct
 * set of plugins) before the cloud is up rather than after. Its verdict waits
 * for the real values (the second phase validates again). It runs while the
 * bundles build, in esbuild's own process, rather than before they start.
 */
async function warmValidation(runs: readonly { service: HostService; serverless: Serverless }[]): Promise<void> {
  for (const { service, serverless } of runs) await inServiceFolder(service, () => serverless.service.validate().catch(() => undefined));
}

// Reading configurations goes first and alone (osls's plugin loading keeps state in its module); the build then runs on its own.
const reading = readConfigurations();
const bundling = reading.then(async ({ targets }) => {
  if (launch.bundle.length > 0) report({ type: 'bundles', ...(await buildBundles(targets, launch.bundleDir)) });
});
const configurations = reading.then(({ runs }) => warmValidation(runs));

/** Settles when no handler bundle is loading (see {@link gateInProcessLoads}). */
let loading: Promise<void> = Promise.resolve();

async function whileNoBundleLoads(): Promise<void> {
  for (;;) {
    const current = loading;
    await current;
    if (current === loading) return;
  }
}

const gated = new Set<string>();

/**
 * serverless-offline runs each function in this process (`useInProcess`):
 * each invocation first copies the function's environment into process.env,
 * and a bundle reads it at module scope when it first loads (Powertools'
 * service name, the function name in idempotency keys). With several services
 * in one process, another function's invocation could copy its environment
 * in while a bundle loads. So a bundle loads alone: every invocation waits
 * while one loads, and a function's first invocation holds the others back
 * until its bundle has loaded. It knows that moment because serverless-offline
 * copies the invocation's context (reading its `awsRequestId`) right after the
 * bundle loaded and before it calls the handler; were that to change, the
 * first invocation would hold the others back until it ends.
 */
async function gateInProcessLoads(serviceDir: string): Promise<void> {
  const offline = createRequire(path.join(serviceDir, CONFIGURATION_FILE)).resolve('serverless-offline');
  const file = path.join(path.dirname(offline), 'lambda/handler-runner/in-process-runner/InProcessRunner.js');
  if (gated.has(file) || !existsSync(file)) return;
  gated.add(file);
  type Run = (this: object, event: unknown, context: Record<string, unknown>) => Promise<unknown>;
  const runner = ((await import(pathToFileURL(file).href)) as { default: { prototype: { run: Run } } }).default;
  const run = runner.prototype.run;
  const loaded = new WeakSet<object>();
  runner.prototype.run = async function gatedRun(event, context) {
    await whileNoBundleLoads();
    if (loaded.has(this)) return run.call(this, event, context);
    let release = () => {};
    loading = new Promise<void>((resolve) => (release = resolve));
    loaded.add(this);
    const requestId = context.awsRequestId;
    const watched = { ...context };
    Object.defineProperty(watched, 'awsRequestId', {
      enumerable: true,
      get() {
        release();
        return requestId;
      },
    });
    try {
      return await run.call(this, event, watched);
    } finally {
      release();
    }
  };
}

async function runHooks(serverless: Serverless, event: string): Promise<void> {
  await serverless.pluginManager.runHooks(event, serverless.pluginManager.hooks[event] ?? []);
}

/** The second phase for one service: resolved with the local cloud's environment, and its offline lifecycle up to "ready". */
async function startService(service: HostService, ports: HostPorts): Promise<Serverless> {
  const options = { stage: 'local', host: '127.0.0.1', httpPort: ports.httpPort, lambdaPort: ports.lambdaPort };
  const serverless = await loadService(service, options, true);
  // serverless-offline loads the handlers from the platform's bundles.
  const custom = (serverless.service.custom ??= {});
  custom['serverless-offline'] = { ...(custom['serverless-offline'] as object | undefined), location: path.relative(service.dir, bundleFolder(service)) };
  await gateInProcessLoads(service.dir);
  for (const { hook } of serverless.pluginManager.hooks.initialize ?? []) await hook();
  const { pluginManager } = serverless;
  const command = pluginManager.getCommand(COMMANDS);
  pluginManager.convertShortcutsIntoOptions(command);
  pluginManager.assignDefaultOptions(command);
  return serverless;
}

async function start(env: Readonly<Record<string, string>>, ports: Readonly<Record<string, HostPorts>>): Promise<void> {
  await configurations;
  Object.assign(process.env, env);
  const loaded: { service: HostService; serverless: Serverless; began: number }[] = [];
  for (const service of launch.services) {
    const servicePorts = ports[service.name];
    if (!servicePorts) throw Object.assign(new Error(`no ports for ${service.name}`), { part: service.name });
    const began = performance.now();
    const serverless = await inServiceFolder(service, () => startService(service, servicePorts));
    loaded.push({ service, serverless, began });
  }
  // The bundles of the first phase (this host's or the first host's): the configurations are the same files.
  await bundling;
  // serverless-offline starts its servers, then the Kafka event sources join their groups: each service on its own.
  await Promise.all(
    loaded.map(async ({ service, serverless, began }) => {
      try {
        for (const event of ['before:offline:start:init', 'offline:start:init', 'after:offline:start:init']) await runHooks(serverless, event);
      } catch (error) {
        throw Object.assign(new Error(errorText(error), { cause: error }), { part: service.name });
      }
      started.push({ name: service.name, serverless });
      report({ type: 'ready', service: service.name, ms: Math.round(performance.now() - began) });
      // The MSK plugin's consumers (the CLI would then wait for a signal in `offline:start:ready`).
      // They join in the background, as an event source mapping starts polling after its
      // function is deployed: the broker holds a new group's first join for its initial
      // rebalance delay (3 s), and a record sent meanwhile waits for the join, not lost
      // (new groups start from the earliest offset). One that cannot start fails the host,
      // which the platform restarts, saying so.
      const joinedFrom = performance.now();
      void runHooks(serverless, 'before:offline:start:ready').then(
        () => console.error(`mxflow services host: ${service.name} event sources started in ${Math.round(performance.now() - joinedFrom)} ms`),
        (error: unknown) => fail(Object.assign(new Error(errorText(error), { cause: error }), { part: service.name })),
      );
    }),
  );
  flushCompileCache();
}

/** Writes what V8 compiled so far into the compile cache that offline-host.mjs enabled (Node 22). */
function flushCompileCache(): void {
  (nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.();
}

/** Stops the Kafka consumers (leaving their groups) and serverless-offline's servers, then exits. */
function stop(code = 0): Promise<void> {
  stopping ??= (async () => {
    const services = started.splice(0);
    await Promise.race([
      Promise.allSettled(
        services.map(async ({ serverless }) => {
          await runHooks(serverless, 'before:offline:start:end');
          await pluginNamed<OfflinePlugin>(serverless, 'ServerlessOffline')?.end(true);
        }),
      ),
      new Promise((resolve) => setTimeout(resolve, 10_000).unref()),
    ]);
    // The handlers' bundles, loaded at their first invocations since the services were ready.
    flushCompileCache();
    process.exit(code);
  })();
  return stopping;
}

/** Processes that must not outlive the platform, by pid and a text their command line contains. */
let guarded: { pid: number; match: string }[] = [];

function killGuarded(): void {
  for (const { pid, match } of guarded) {
    try {
      // A pid may have been reused since: only the process it was given for.
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(match)) process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function fail(error: unknown): void {
  const part = (error as { part?: string }).part ?? 'services';
  process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
  report({ type: 'failed', part, message: errorText(error) });
  void stop(1);
}

// The platform decides when the services stop: Ctrl-C reaches this process too, and is left to it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void stop());
// The platform is gone (killed, crashed): nothing it started may stay behind.
process.on('disconnect', () => {
  killGuarded();
  void stop();
});
process.on('message', (message: HostRequest) => {
  if (message.type === 'start') void start(message.env, message.ports).catch(fail);
  else if (message.type === 'stop') void stop();
  else if (message.type === 'guard') guarded = [...message.pids];
});

bundling.catch(fail);
