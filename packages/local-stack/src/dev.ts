/**
 * `pnpm dev`: starts the local cloud and every service of
 * serverless-compose.yml, one progress line per part, then, once every health
 * check passes, the ready block (`mxflow ready in …`: the API, the console, a
 * token command, the participants) and the full details in
 * `<state>/ready.json`. After that an idle platform prints nothing: what the
 * services and the scheduled sweep print goes to `<state>/logs/platform.log`.
 * Ctrl-C (read as a key in a terminal), SIGINT or SIGTERM stops everything.
 */
import { rm, writeFile } from 'node:fs/promises';
import nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalStackError, PartStartError } from './errors';
import { httpProbe, kafkaProbe, startHealthServer, type HealthServer, type Probe } from './health';
import { buildConsole, consoleSourcesNewerThan } from '@mxflow/console/build';
import { openLogFile, type LogFile } from './log-file';
import type { LocalPlatform } from './platform';
import { launchComposeServices, type LaunchedServices } from './services-host';
import { claimStateDir, watchAncestors } from './supervision';
// The local cloud, the AWS SDK and the platform load after the services host is launched (see main()).

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
/** The services `pnpm dev` runs (the local cloud's `defaultComposeFile`, without loading the cloud for it). */
const defaultComposeFile = path.join(repoRoot, 'serverless-compose.yml');

const usage = `usage: pnpm dev [--fresh] [--state-dir DIR] [--compose FILE] [--seed FILE] [--api-port P] [--kafka-port P] [--sweep-seconds S]

  --fresh           wipe the local state (DIR) before starting
  --state-dir DIR   where every part keeps its data (default .mxflow)
  --compose FILE    services to run (default serverless-compose.yml)
  --seed FILE       participants to seed (default packages/local-stack/seed/participants.json)
  --api-port P      port of the HTTP API (default 3000; a free one when taken)
  --kafka-port P    port of the Kafka broker (default 9092; a free one when taken)
  --sweep-seconds S the shortest time between two runs of the timeout sweep, which runs when a
                    deadline is due or a message arrives, and at least once a minute (default 1;
                    AWS runs it every minute)`;

function options() {
  try {
    return parseArgs({
      options: {
        fresh: { type: 'boolean', default: false },
        'state-dir': { type: 'string', default: path.join(repoRoot, '.mxflow') },
        compose: { type: 'string', default: defaultComposeFile },
        seed: { type: 'string' },
        'api-port': { type: 'string', default: '3000' },
        'kafka-port': { type: 'string', default: '9092' },
        'sweep-seconds': { type: 'string', default: process.env.MXFLOW_TIMEOUT_SWEEP_SECONDS ?? '1' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`mxflow dev: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);
// The clock starts with the process (bin/dev.mjs), not with this module: it counts finding or making the build too.
const elapsed = () => `${(performance.now() / 1000).toFixed(1).padStart(5)} s`;

/**
 * The progress lines of the start: one per part, with the time since the
 * command began. The provisioning of tables, bucket and topics is one line.
 */
function progressPrinter(log: LogFile | undefined): (line: string) => void {
  const provisioned: string[] = [];
  return (line) => {
    log?.write(line);
    const item = /^provisioned (?:(\d+) (Kafka topics)|(table|bucket|SNS topic) )/.exec(line);
    if (item) {
      provisioned.push(item[1] ? `${item[1]} ${item[2]}` : item[3]);
      return;
    }
    if (line.startsWith('seeded ') && provisioned.length) {
      const counts = new Map<string, number>();
      for (const kind of provisioned) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const summary = [...counts].map(([kind, count]) => (/^\d/.test(kind) ? kind : `${count} ${kind}${count > 1 ? 's' : ''}`));
      say(`  ${elapsed()}  provisioned ${summary.join(', ')} from infra/; ${line}`);
      provisioned.length = 0;
      return;
    }
    say(`  ${elapsed()}  ${line}`);
  };
}

async function main(): Promise<void> {
  const args = options();
  if (args.help) {
    say(usage);
    return;
  }
  const stateDir = path.resolve(args['state-dir']);
  let release: () => Promise<void>;
  try {
    release = await claimStateDir(stateDir, say, { fresh: args.fresh });
  } catch (error) {
    process.stderr.write(`mxflow dev: ${(error as Error).message}\n`);
    process.exit(1);
  }

  const readyFile = path.join(stateDir, 'ready.json');
  const logFile = openLogFile(path.join(stateDir, 'logs', 'platform.log'));
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  let launched: Promise<LaunchedServices> | undefined;
  let platform: LocalPlatform | undefined;
  let health: HealthServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await rm(readyFile, { force: true });
      // Before the platform took it over (and stops it), the services host is ours to stop.
      if (platform) await platform.stop();
      else await (await launched?.catch(() => undefined))?.host?.stop();
      await health?.stop();
      await logFile.close();
      await release();
    })());
  // A signal may come more than once (tsx relays one): later ones must not cut the first one's clean stop short.
  const stopOn = (cause: string): void => {
    if (stopping) return;
    say(`\n${cause}: stopping`);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    void stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopOn(signal));
  // In a terminal, Ctrl-C is read here as a key instead of being sent as SIGINT to
  // every process of the group: the shells that pnpm and the node shim run the
  // command through then see no signal, and the command ends with this exit code.
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', (bytes: Buffer) => {
      if (bytes.includes(0x03)) stopOn('Ctrl-C');
    });
  }
  // Killed along with whatever ran it (pnpm, npx, a terminal closing on it), nothing of the platform may stay.
  watchAncestors(() => {
    if (stopping) return;
    process.stderr.write('mxflow dev: the command that ran pnpm dev went away; stopping\n');
    void stop().then(() => process.exit(1));
  });
  const sweepSeconds = Number(args['sweep-seconds']);
  if (!Number.isInteger(sweepSeconds) || sweepSeconds < 1) {
    process.stderr.write(`mxflow dev: --sweep-seconds must be a whole number of seconds from 1\n${usage}\n`);
    process.exit(2);
  }
  const port = (name: 'api-port' | 'kafka-port'): number => {
    const value = Number(args[name]);
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      process.stderr.write(`mxflow dev: --${name} must be a port number\n${usage}\n`);
      process.exit(2);
    }
    return value;
  };

  const progress = progressPrinter(logFile);
  try {
    say(`starting the platform; its log: ${shown(logFile.file)}`);
    const programs = process.env.MXFLOW_PROGRAMS_BUILD ? (JSON.parse(process.env.MXFLOW_PROGRAMS_BUILD) as { built: boolean; ms: number }) : undefined;
    delete process.env.MXFLOW_PROGRAMS_BUILD;
    if (programs) progress(`programs: dev and the services host ${programs.built ? `built in ${programs.ms} ms (esbuild)` : `up to date (checked in ${programs.ms} ms)`}`);
    // First the services host, which has the most to do before the cloud is up (read every
    // serverless.yml, build or check the bundles); then the rest of the platform's code loads.
    launched = launchComposeServices(path.resolve(args.compose), { output: (line) => logFile.write(line), progress });
    // Launched before the imports below start: loading them holds the event loop for seconds.
    await launched.catch(() => {});
    const [{ startPlatform, defaultConsoleDir }, { localClientConfig }, { DynamoDBClient, ListTablesCommand }, { ListTopicsCommand, SNSClient }] = await Promise.all([
      import('./platform'),
      import('./cloud'),
      import('@aws-sdk/client-dynamodb'),
      import('@aws-sdk/client-sns'),
    ]);
    // The console builds while the platform starts, when its sources changed since the last build.
    const consoleBuild = (async () => {
      if (!(await consoleSourcesNewerThan(defaultConsoleDir))) return;
      const begun = performance.now();
      await buildConsole({ outDir: defaultConsoleDir });
      progress(`console built in ${Math.round(performance.now() - begun)} ms (vite)`);
    })();
    // Failing later is enough: it is awaited before the ready line.
    consoleBuild.catch(() => {});
    platform = await startPlatform({
      services: launched,
      consoleDir: defaultConsoleDir,
      ...(args.seed ? { seedFile: args.seed } : {}),
      stateDir,
      composeFile: args.compose,
      apiPort: port('api-port'),
      kafkaPort: port('kafka-port'),
      scheduleSeconds: sweepSeconds,
      log: progress,
      output: (line) => logFile.write(line),
    });
    const { cloud, services } = platform;
    progress(`api ${platform.api}${platform.apiPortFellBack ? ` (port ${args['api-port']} is taken)` : ''}`);

    const dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    const sns = new SNSClient(localClientConfig(cloud.endpoints.sns));
    const probes: Record<string, Probe> = {
      dynamodb: async () => void (await dynamodb.send(new ListTablesCommand({ Limit: 1 }))),
      s3: httpProbe(`${cloud.endpoints.s3}/_health`),
      sns: async () => void (await sns.send(new ListTopicsCommand({}))),
      oauth: httpProbe(cloud.endpoints.jwksUri),
      kafka: kafkaProbe(cloud.endpoints.kafka),
      ...Object.fromEntries(services.map((service) => [service.name, httpProbe(service.api ?? service.lambda)])),
      // The gateway answers 404 for a path no service declares, without waking any function.
      api: httpProbe(`${platform.api}/`),
    };
    try {
      await consoleBuild;
    } catch (error) {
      throw new PartStartError('console', (error as Error).message);
    }
    health = await startHealthServer(probes);
    const failing = await health.check();
    if (failing.length) throw new PartStartError(failing.join(', '), 'failed its health check');
    progress(`health: all ${Object.keys(probes).length} parts answer`);

    const api = platform.api;
    const ready = {
      api,
      ...(platform.console ? { console: platform.console } : {}),
      tokenUrl: cloud.endpoints.tokenUrl,
      issuer: cloud.endpoints.issuer,
      audience: cloud.endpoints.audience,
      dynamodb: cloud.endpoints.dynamodb,
      s3: cloud.endpoints.s3,
      archiveBucket: cloud.archiveBucket,
      sns: cloud.endpoints.sns,
      notificationTopicArn: cloud.notificationTopicArn,
      kafka: cloud.endpoints.kafka,
      health: health.urls,
      participants: cloud.seed.participants.map(({ entityId, bic, clientId, clientSecret }) => ({ entityId, bic, clientId, clientSecret })),
      // Operators that may act (mapped to an entity): the admin API's callers.
      operators: cloud.seed.operators.flatMap(({ entityId, clientId, clientSecret, scopes }) => (entityId ? [{ entityId, clientId, clientSecret, scopes: [...scopes] }] : [])),
    };
    // The mxflow command finds the running platform here (with the table names, for `mxflow seed`).
    await writeFile(readyFile, `${JSON.stringify({ ...ready, tables: cloud.tables }, null, 2)}\n`);
    // What V8 compiled to get here, for the next start (bin/dev.mjs enabled the compile cache).
    (nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.();
    say('');
    for (const line of readyBlock(ready, performance.now() / 1000, shown(readyFile), shown(logFile.file))) say(line);
  } catch (error) {
    const part = error instanceof PartStartError ? error.part : 'local cloud';
    process.stderr.write(`mxflow dev: ${part} failed to start: ${error instanceof Error ? error.message : String(error)}\n(the whole log: ${shown(logFile.file)})\n`);
    if (!(error instanceof LocalStackError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    await stop();
    process.exit(1);
  }
}

/** What a participant or operator client of the ready file holds. */
interface Client {
  readonly entityId: string;
  readonly bic?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes?: readonly string[];
}

/**
 * The ready block: what a person needs to start working, one thing a line.
 * Its first line starts with `mxflow ready`; the full details are in the ready file.
 */
function readyBlock(
  ready: { api: string; console?: string; audience: string; participants: readonly Client[]; operators: readonly Client[] },
  seconds: number,
  readyFile: string,
  logFile: string,
): string[] {
  const [first] = ready.participants;
  const tokenUrl = `${ready.api}/oauth2/token`;
  const width = Math.max(0, ...ready.participants.map((participant) => participant.entityId.length));
  const client = (c: Client) => `${c.entityId.padEnd(width)}  ${c.bic ? `${c.bic}  ` : ''}client ${c.clientId}  secret ${c.clientSecret}`;
  return [
    `mxflow ready in ${seconds.toFixed(1)} s; Ctrl-C stops everything`,
    `  API           ${ready.api}`,
    ...(ready.console ? [`  console       ${ready.console}   (sign in with a participant's client id and secret)`] : []),
    ...(first
      ? [
          `  token         TOKEN=$(curl -s -u ${first.clientId}:${first.clientSecret} -d grant_type=client_credentials -d 'scope=payments/write payments/read' -d resource=${ready.audience} ${tokenUrl} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
          `  submit        pnpm --silent mxflow sample | curl -s -X POST ${ready.api}/v1/messages -H "Authorization: Bearer $TOKEN" -H 'content-type: application/xml' --data-binary @-`,
        ]
      : []),
    '  participants',
    ...ready.participants.map((participant) => `    ${client(participant)}`),
    ...(ready.operators.length ? ['  operators', ...ready.operators.map((operator) => `    ${client(operator)}  (${(operator.scopes ?? []).join(' ')})`)] : []),
    `  details       ${readyFile} (every endpoint and health URL)`,
    `  log           ${logFile}`,
  ];
}

await main();
