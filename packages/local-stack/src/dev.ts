/**
 * `pnpm dev`: starts the local cloud and every service of
 * serverless-compose.yml, prints `mxflow ready {json}` once every health check
 * passes, and stops everything on SIGINT or SIGTERM.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { defaultComposeFile, defaultSeedFile, localClientConfig } from './cloud';
import { LocalStackError, PartStartError } from './errors';
import { httpProbe, kafkaProbe, startHealthServer, type HealthServer, type Probe } from './health';
import { buildConsole, consoleSourcesNewerThan } from '@mxflow/console/build';
import { defaultConsoleDir, startPlatform, type LocalPlatform } from './platform';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const started = performance.now();

const usage = `usage: pnpm dev [--fresh] [--state-dir DIR] [--compose FILE] [--seed FILE] [--api-port P] [--kafka-port P] [--sweep-seconds S]

  --fresh           wipe the local state (DIR) before starting
  --state-dir DIR   where every part keeps its data (default .mxflow)
  --compose FILE    services to run (default serverless-compose.yml)
  --seed FILE       participants to seed (default packages/local-stack/seed/participants.json)
  --api-port P      port of the HTTP API (default 3000; a free one when taken)
  --kafka-port P    port of the Kafka broker (default 9092; a free one when taken)
  --sweep-seconds S how often the timeout sweep runs (default 1; AWS runs it every minute)`;

function options() {
  try {
    return parseArgs({
      options: {
        fresh: { type: 'boolean', default: false },
        'state-dir': { type: 'string', default: path.join(repoRoot, '.mxflow') },
        compose: { type: 'string', default: defaultComposeFile },
        seed: { type: 'string', default: defaultSeedFile },
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

async function main(): Promise<void> {
  const args = options();
  if (args.help) {
    say(usage);
    return;
  }
  const stateDir = path.resolve(args['state-dir']);
  if (args.fresh) {
    await rm(stateDir, { recursive: true, force: true });
    say(`wiped ${path.relative(process.cwd(), stateDir) || stateDir}`);
  }

  const readyFile = path.join(stateDir, 'ready.json');
  let platform: LocalPlatform | undefined;
  let health: HealthServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await rm(readyFile, { force: true });
      await platform?.stop();
      await health?.stop();
    })());
  // Ctrl-C reaches every process of the group, and tsx relays it once more:
  // later signals must not cut the first one's clean stop short.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      say(`\n${signal}: stopping`);
      void stop().then(() => {
        say('stopped');
        process.exit(0);
      });
    });
  }
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

  try {
    // The console builds while the platform starts, when its sources changed since the last build.
    const consoleBuild = (async () => {
      if (!(await consoleSourcesNewerThan(defaultConsoleDir))) return;
      say('building the console (vite)');
      const begun = performance.now();
      await buildConsole({ outDir: defaultConsoleDir });
      say(`  console built in ${Math.round(performance.now() - begun)} ms`);
    })();
    // Failing later is enough: it is awaited before the ready line.
    consoleBuild.catch(() => {});
    say('starting dynamodb, s3, sns, oauth and kafka');
    platform = await startPlatform({
      consoleDir: defaultConsoleDir,
      seedFile: args.seed,
      stateDir,
      composeFile: args.compose,
      apiPort: port('api-port'),
      kafkaPort: port('kafka-port'),
      scheduleSeconds: sweepSeconds,
      log: (line) => say(`  ${line}`),
      output: say,
    });
    const { cloud, services } = platform;
    if (platform.apiPortFellBack) say(`  port ${args['api-port']} is taken; the API listens on ${platform.api} instead`);

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
    say(`mxflow ready ${JSON.stringify(ready)}`);
    say(`ready in ${Math.round(performance.now() - started)} ms; state in ${path.relative(process.cwd(), stateDir) || stateDir}; Ctrl-C stops everything`);
    const [first] = cloud.seed.participants;
    say('');
    say('Get a token and submit the sample pacs.008:');
    say(
      `  TOKEN=$(curl -s -u ${first.clientId}:${first.clientSecret} -d grant_type=client_credentials ` +
        `-d 'scope=payments/write payments/read' -d resource=${cloud.endpoints.audience} ${cloud.endpoints.tokenUrl} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    );
    if (api) {
      say(`  pnpm --silent mxflow sample | curl -s -X POST ${api}/v1/messages -H "Authorization: Bearer $TOKEN" -H 'content-type: application/xml' --data-binary @-`);
    } else {
      say('  (no service with an HTTP API is listed in serverless-compose.yml yet)');
    }
  } catch (error) {
    const part = error instanceof PartStartError ? error.part : 'local cloud';
    process.stderr.write(`mxflow dev: ${part} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!(error instanceof LocalStackError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    await stop();
    process.exit(1);
  }
}

await main();
