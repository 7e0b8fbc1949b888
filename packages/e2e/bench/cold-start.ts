/**
 * `pnpm bench:cold`: the cold start and the memory of the bundled incoming
 * handler (`POST /v1/messages`), as Lambda would run it.
 *
 * The handler is bundled with esbuild exactly as the AWS stages bundle it
 * (`packages/runtime/serverless/shared.yml`: ESM, platform node, target
 * node22, the `require` banner, `mainFields: [module, main]`, minified with
 * `keepNames`, no source maps, its esbuild plugins), and the bundle's size is
 * printed. Then, for each run, a fresh `node` process imports the bundle and
 * invokes `handler` once with an API Gateway HTTP API (v2) event carrying the
 * 5 KB pacs.008 (fresh ids, instructed by Alpha) and a real token, against the
 * local cloud (DynamoDB Local, S3, Kafka, OAuth) with the environment the
 * `local` stage gives the service. It reports the time from its own start
 * (`performance.timeOrigin`) to the handler's 202, the time of the import, the
 * handler's duration, its CPU time and its peak RSS: the process's own
 * high-water mark (VmHWM), the bundle's and not a TypeScript loader's.
 * (`maxRSS` would not do: Linux carries a process's maxRSS over fork and exec,
 * so a child of this process starts at this process's size.) The same process
 * then invokes the handler with a second message: the handler warm.
 *
 * Baselines, in the same run and interleaved with it: `node -e "0"` (process
 * start to exit), a process that only imports the bundle, and the ISO 20022
 * engine alone (`parseMessage` bundled the same way, once on the same
 * message). Every process is also timed from this one, spawn to exit, so that
 * they compare on one clock. The goal of issue #10: process start to the first
 * validated message under 500 ms.
 *
 * BENCH_COLD_RUNS (default 10) sets the number of runs of each. One untimed
 * round runs first, so that every run finds the bundle in the page cache and
 * DynamoDB Local past its first requests. BENCH_COLD_PROFILE=DIR also writes a
 * V8 CPU profile of every cold-start run into DIR (`node --cpu-prof`), to see
 * where the time goes; profiling slows the runs it profiles.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { requestAccessToken, serviceEnvironment, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';

const runs = Number(process.env.BENCH_COLD_RUNS ?? '10');
if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_COLD_RUNS must be a positive integer, not ${process.env.BENCH_COLD_RUNS}`);
const profileDir = process.env.BENCH_COLD_PROFILE ? path.resolve(process.env.BENCH_COLD_PROFILE) : undefined;
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const serviceDir = path.join(root, 'services/incoming');
const entry = 'src/handlers/submit-message.ts';
const sharedYml = path.join(root, 'packages/runtime/serverless/shared.yml');
const fixture = path.join(root, 'packages/iso20022/tests/fixtures/messages/pacs.008.001.08/valid.xml');
/** The Lambda name serverless gives the function in the local stage. */
const functionName = 'mxflow-incoming-local-submitMessage';
const ALPHA = { clientId: 'alpha-bank', bic: 'ALPHDEFFXXX' };
const BETA_BIC = 'BETAFRPPXXX';
/** What the runner prefixes its one line of results with; Powertools writes its metrics to stdout too. */
const RESULT_MARK = 'mxflow-bench-cold ';
const GOAL_MS = 500;
/** A child that takes longer than this is killed, and the bench fails. */
const CHILD_TIMEOUT_MS = 60_000;

// The bundle as the AWS stages build it (shared.yml `esbuild`, with the params of `dev`, `prod` and `package`),
// with the same esbuild plugins.
const bundlePlugins = createRequire(import.meta.url)('../../runtime/serverless/esbuild-plugins.cjs') as Plugin[];
const BANNER = "import { createRequire as __mxflowCreateRequire } from 'node:module'; const require = __mxflowCreateRequire(import.meta.url);";

/** The runner: one fresh process, one import of the bundle and, unless told `import`, one invocation. */
const RUNNER = `import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, mode, eventFile, secondEventFile] = process.argv.slice(2);
// The process's own high-water mark. maxRSS of a process forked from a larger
// one starts at that one's size (Linux carries it over fork and exec), so it is
// only the fallback where /proc is missing.
const peakRssKiB = () => {
  try {
    return Number(/^VmHWM:\\s*(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
};
const rssBeforeImportKiB = peakRssKiB();
const report = (fields, code = 0) => {
  const cpu = process.cpuUsage();
  const line = { ...fields, cpuMs: (cpu.user + cpu.system) / 1000, peakRssKiB: peakRssKiB(), maxRssKiB: process.resourceUsage().maxRSS, rssBeforeImportKiB };
  process.stdout.write(${JSON.stringify(RESULT_MARK)} + JSON.stringify(line) + '\\n', () => process.exit(code));
};
try {
  const event = mode === 'invoke' ? JSON.parse(readFileSync(eventFile, 'utf8')) : undefined;
  const importStart = performance.now();
  const { handler, parseMessage } = await import(pathToFileURL(bundle).href);
  const importMs = performance.now() - importStart;
  if (mode === 'engine') {
    // The ISO 20022 engine alone: its bundle exports parseMessage (parse, validate, convert).
    const xml = readFileSync(eventFile);
    const parseStart = performance.now();
    const parsed = parseMessage(xml);
    const handlerMs = performance.now() - parseStart;
    report({ totalMs: performance.now(), importMs, handlerMs, status: parsed.messageId === 'pacs.008.001.08' && parsed.document ? 200 : 500 });
  } else if (mode === 'import') {
    report({ totalMs: performance.now(), importMs });
  } else {
    const deadline = Date.now() + 15_000;
    const context = {
      awsRequestId: randomUUID(),
      functionName: ${JSON.stringify(functionName)},
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:${functionName}',
      memoryLimitInMB: '1024',
      logGroupName: '/aws/lambda/${functionName}',
      logStreamName: 'bench',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done() {},
      fail() {},
      succeed() {},
    };
    const handlerStart = performance.now();
    const response = await handler(event, context);
    const totalMs = performance.now();
    const handlerMs = totalMs - handlerStart;
    // A second message in the same process: the handler warm, what the local cloud's round trips cost alone.
    const secondStart = performance.now();
    const second = await handler(JSON.parse(readFileSync(secondEventFile, 'utf8')), { ...context, awsRequestId: randomUUID() });
    const warmMs = performance.now() - secondStart;
    const failed = [response, second].find((answer) => answer?.statusCode !== 202);
    report({ totalMs, importMs, handlerMs, warmMs, status: failed?.statusCode ?? 202, body: failed?.body });
  }
} catch (error) {
  report({ error: String(error?.stack ?? error) }, 1);
}
`;

/** What a runner reports. */
interface RunnerResult {
  /** From `performance.timeOrigin` (the process's start) to the response, or to the end of the import. */
  readonly totalMs: number;
  readonly importMs: number;
  readonly handlerMs?: number;
  /** The second invocation of the same process, with another message. */
  readonly warmMs?: number;
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
  readonly cpuMs: number;
  /** The process's own peak RSS (VmHWM), or maxRSS where /proc is missing. */
  readonly peakRssKiB: number;
  /** `process.resourceUsage().maxRSS`, which also counts what the process shared with this one at fork. */
  readonly maxRssKiB: number;
  /** The peak RSS before the import: Node itself. */
  readonly rssBeforeImportKiB: number;
}

/** One child process: its wall time from spawn to exit, measured here, and what it reported. */
interface ChildRun {
  readonly wallMs: number;
  readonly result?: RunnerResult;
}

// ---------------------------------------------------------------------------
// The environment of the `local` stage, read from shared.yml.

/** The flat `key: value` map under the nested keys `parents` of a YAML file whose blocks are indented by two spaces. */
function flatBlock(text: string, parents: readonly string[]): Record<string, string> {
  const lines = text.split('\n');
  let line = 0;
  for (const [depth, key] of parents.entries()) {
    const header = `${'  '.repeat(depth)}${key}:`;
    while (line < lines.length && lines[line].trimEnd() !== header) line++;
    if (line === lines.length) throw new Error(`shared.yml has no ${parents.slice(0, depth + 1).join('.')}`);
    line++;
  }
  const indent = '  '.repeat(parents.length);
  const block: Record<string, string> = {};
  for (; line < lines.length; line++) {
    const text = lines[line];
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    if (!text.startsWith(indent)) break;
    if (text.startsWith(`${indent} `)) continue;
    const match = /^\s*([A-Za-z0-9_]+):\s*(.*)$/.exec(text);
    if (match && match[2] !== '') block[match[1]] = match[2].trim();
  }
  return block;
}

const unquote = (value: string): string =>
  value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;

/** Resolves `${param:…}`, `${env:…[, 'default']}` and `${self:custom.service}` as serverless does for the stage `local`. */
function resolveValue(raw: string, params: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): string {
  const reference = /^\$\{(param|env|self):([^,}]+?)\s*(?:,\s*(.+))?\}$/.exec(raw);
  if (!reference) {
    if (raw.includes('${')) throw new Error(`shared.yml: cannot resolve ${raw}`);
    return unquote(raw);
  }
  const [, kind, name, fallback] = reference;
  let value: string | undefined;
  if (kind === 'param') value = params[name] === undefined ? undefined : resolveValue(params[name], params, env);
  else if (kind === 'env') value = env[name];
  else if (name === 'custom.service') value = 'incoming';
  if (value !== undefined) return value;
  if (fallback === undefined) throw new Error(`shared.yml: ${raw} has no value in the local stage`);
  return resolveValue(fallback.trim(), params, env);
}

/**
 * The function's environment in the `local` stage: shared.yml's
 * `provider.environment` with the params of `local`, whose `${env:…}` come
 * from the local cloud (`serviceEnvironment`); plus what the Lambda runtime
 * itself sets (region, credentials, function name and memory).
 */
async function functionEnvironment(cloud: LocalCloud): Promise<Record<string, string>> {
  const text = await readFile(sharedYml, 'utf8');
  const environment = flatBlock(text, ['provider', 'environment']);
  const params = flatBlock(text, ['params', 'local']);
  const cloudEnv = serviceEnvironment(cloud);
  const env = { ...process.env, ...cloudEnv };
  const resolved = Object.fromEntries(Object.entries(environment).map(([name, raw]) => [name, resolveValue(raw, params, env)]));
  for (const name of ['TRANSACTION_TABLE', 'KAFKA_BROKERS', 'AUTH_ISSUER', 'DYNAMODB_ENDPOINT']) {
    if (!resolved[name]) throw new Error(`shared.yml's provider.environment gives no ${name} in the local stage`);
  }
  return {
    ...resolved,
    AWS_REGION: cloudEnv.AWS_REGION,
    AWS_ACCESS_KEY_ID: cloudEnv.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: cloudEnv.AWS_SECRET_ACCESS_KEY,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  };
}

// ---------------------------------------------------------------------------
// The message and the event.

/** The 5 KB pacs.008 with fresh ids, instructed by Alpha (its debtor agent) and paying Beta. */
function paymentOf(template: string): string {
  const now = new Date().toISOString();
  return template
    .replace(/<MsgId>[^<]*<\/MsgId>/, `<MsgId>ALPH-COLD-${randomUUID().replaceAll('-', '').slice(0, 20)}</MsgId>`)
    .replace(/<CreDtTm>[^<]*<\/CreDtTm>/, `<CreDtTm>${now}</CreDtTm>`)
    .replace(/<IntrBkSttlmDt>[^<]*<\/IntrBkSttlmDt>/, `<IntrBkSttlmDt>${now.slice(0, 10)}</IntrBkSttlmDt>`)
    .replaceAll(/<UETR>[^<]*<\/UETR>/g, () => `<UETR>${randomUUID()}</UETR>`)
    .replaceAll(/<BICFI>([^<]*)<\/BICFI>/g, (_, bic: string) => `<BICFI>${bic === 'COBADEFFXXX' ? ALPHA.bic : BETA_BIC}</BICFI>`);
}

/** An API Gateway HTTP API (payload 2.0) event of `POST /v1/messages`. */
function submitEvent(xml: string, token: string): Record<string, unknown> {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /v1/messages',
    rawPath: '/v1/messages',
    rawQueryString: '',
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'content-length': String(Buffer.byteLength(xml)),
      'content-type': 'application/xml',
      host: 'api.mxflow.local',
      'user-agent': 'mxflow-bench-cold',
    },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'api.mxflow.local',
      domainPrefix: 'api',
      http: { method: 'POST', path: '/v1/messages', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'mxflow-bench-cold' },
      requestId: randomUUID(),
      routeKey: 'POST /v1/messages',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: xml,
    isBase64Encoded: false,
  };
}

// ---------------------------------------------------------------------------
// Child processes.

/** Spawns `node args…` with `env`; resolves once it has exited, with its wall time and its report, if it made one. */
function runNode(args: readonly string[], env: Readonly<Record<string, string>>, what: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
    let exitedAt = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', () => (exitedAt = performance.now()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARK));
      const result = line ? (JSON.parse(line.slice(RESULT_MARK.length)) as RunnerResult) : undefined;
      if (code !== 0 || result?.error) {
        const detail = result?.error ?? `${stderr}${stdout}`.trim().split('\n').slice(-20).join('\n');
        reject(new Error(`${what} exited ${code ?? signal}:\n${detail}`));
        return;
      }
      resolve({ wallMs: (exitedAt || performance.now()) - start, result });
    });
  });
}

// ---------------------------------------------------------------------------
// Statistics and the report.

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const p90 = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)];
};
const num = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—';
const mib = (kib: number): number => kib / 1024;

let cloud: LocalCloud | undefined;
let dir: string | undefined;
let cleaned: Promise<void> | undefined;
/** Stops the local cloud and removes the temporary folder; once. */
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    await cloud?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  })();
  return cleaned;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  dir = await mkdtemp(path.join(tmpdir(), 'mxflow-bench-cold-'));

  progress('bundling the incoming handler as the AWS stages do');
  const bundleStart = performance.now();
  // Both bundles as the AWS stages build them (shared.yml `esbuild`).
  const asDeployed = {
    absWorkingDir: serviceDir,
    bundle: true,
    minify: true,
    keepNames: true,
    sourcemap: false,
    format: 'esm',
    splitting: true,
    platform: 'node',
    mainFields: ['module', 'main'],
    target: 'node22',
    banner: { js: BANNER },
    external: [],
    plugins: bundlePlugins,
    logLevel: 'error',
  } as const satisfies BuildOptions;
  await build({ ...asDeployed, entryPoints: [entry], outdir: dir, outExtension: { '.js': '.mjs' } });
  const bundleMs = performance.now() - bundleStart;
  // The engine alone, bundled the same way: what of the cold start is ISO 20022 and what is the platform's clients.
  await build({
    ...asDeployed,
    // One file: esbuild splits only into an output folder.
    splitting: false,
    stdin: { contents: "export { parseMessage } from '@mxflow/iso20022';", resolveDir: path.join(serviceDir, 'src'), sourcefile: 'engine.ts', loader: 'ts' },
    outfile: path.join(dir, 'engine', 'engine.mjs'),
  });
  const engineBundle = path.join(dir, 'engine', 'engine.mjs');
  const bundle = path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
  const bundleBytes = await readFile(bundle);
  const bundleGzip = gzipSync(bundleBytes, { level: 9 }).length;
  // Files the bundle reads beside itself (libxml2-wasm's WebAssembly, see esbuild-plugins.cjs).
  const besides = (await readdir(dir)).filter((name) => name.endsWith('.wasm'));
  const engineBytes = (await stat(engineBundle)).size;
  const besideBytes = await Promise.all(besides.map(async (name) => (await stat(path.join(dir as string, name))).size));
  // What the handler imports only dynamically, split off (shared.yml `splitting`; named by esbuild-plugins.cjs).
  const chunksDir = path.join(dir, `${path.basename(entry, '.ts')}.chunks`);
  const chunks = await readdir(chunksDir).catch(() => [] as string[]);
  const chunkBytes = (await Promise.all(chunks.map(async (name) => (await stat(path.join(chunksDir, name))).size))).reduce((sum, size) => sum + size, 0);
  const runner = path.join(dir, 'runner.mjs');
  await writeFile(runner, RUNNER);

  progress('starting the local cloud (in memory)');
  cloud = await startLocalCloud({ namePrefix: `mxflow-bench-cold-${Date.now()}` });
  const token = await requestAccessToken(cloud, ALPHA.clientId, 'payments/write');
  const env = await functionEnvironment(cloud);
  const template = await readFile(fixture, 'utf8');
  const eventFile = path.join(dir, 'event.json');
  const secondEventFile = path.join(dir, 'second-event.json');

  const baseline: ChildRun[] = [];
  const importOnly: ChildRun[] = [];
  const cold: ChildRun[] = [];
  const engine: ChildRun[] = [];
  const messageFile = path.join(dir, 'message.xml');
  let messageBytes = 0;
  /** One round: each of the four, one right after the other. */
  const round = async (keep: boolean): Promise<void> => {
    const nodeRun = await runNode(['-e', '0'], env, 'node -e "0"');
    const importRun = await runNode([runner, bundle, 'import'], env, 'the import-only runner');
    const xml = paymentOf(template);
    messageBytes = Buffer.byteLength(xml);
    await writeFile(eventFile, JSON.stringify(submitEvent(xml, token)));
    await writeFile(secondEventFile, JSON.stringify(submitEvent(paymentOf(template), token)));
    const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const coldRun = await runNode([...profile, runner, bundle, 'invoke', eventFile, secondEventFile], env, 'the cold-start runner');
    await writeFile(messageFile, xml);
    const engineRun = await runNode([runner, engineBundle, 'engine', messageFile], env, 'the engine runner');
    if (engineRun.result?.status !== 200) throw new Error('the engine did not parse the pacs.008');
    if (coldRun.result?.status !== 202) {
      throw new Error(`the handler answered ${coldRun.result?.status ?? 'nothing'} instead of 202: ${coldRun.result?.body ?? ''}`);
    }
    if (!importRun.result) throw new Error('the import-only runner reported nothing');
    if (keep) {
      baseline.push(nodeRun);
      importOnly.push(importRun);
      cold.push(coldRun);
      engine.push(engineRun);
    }
  };
  progress('warm-up round (not counted)');
  await round(false);
  for (let run = 1; run <= runs; run++) {
    progress(`run ${run}/${runs} (load average ${loadavg()[0].toFixed(2)})`);
    await round(true);
  }

  const results = (list: readonly ChildRun[]): RunnerResult[] => list.map((item) => item.result as RunnerResult);
  const wall = (list: readonly ChildRun[]) => list.map((item) => item.wallMs);
  const baseMedian = median(wall(baseline));
  const importMedian = median(wall(importOnly));
  const coldResults = results(cold);
  const importResults = results(importOnly);
  const coldMedian = median(coldResults.map((result) => result.totalMs));

  const rows: (readonly string[])[] = [['measurement', 'median ms', 'p90 ms', 'CPU ms', 'peak RSS MiB', '× node -e 0']];
  const row = (name: string, values: readonly number[], cpu?: readonly number[], rssKiB?: readonly number[], ratioTo?: number) =>
    rows.push([
      name,
      num(median(values), 1),
      num(p90(values), 1),
      cpu ? num(median(cpu), 1) : '',
      rssKiB ? num(mib(median(rssKiB)), 1) : '',
      ratioTo ? `${num(median(values) / ratioTo, 2)}×` : '',
    ]);
  row('node -e "0": spawn → exit (baseline)', wall(baseline), undefined, undefined, baseMedian);
  row('import only: spawn → exit', wall(importOnly), importResults.map((r) => r.cpuMs), importResults.map((r) => r.peakRssKiB), baseMedian);
  row('  in process: start → bundle imported', importResults.map((r) => r.totalMs));
  row('cold start, then a 2nd message: spawn → exit', wall(cold), coldResults.map((r) => r.cpuMs), coldResults.map((r) => r.peakRssKiB), baseMedian);
  row('  in process: start → 202 (cold start)', coldResults.map((r) => r.totalMs));
  row('    of which: import of the bundle', coldResults.map((r) => r.importMs));
  row('    of which: handler, first invocation', coldResults.map((r) => r.handlerMs ?? Number.NaN));
  row('  then: handler, second invocation (warm)', coldResults.map((r) => r.warmMs ?? Number.NaN));
  const engineResults = results(engine);
  row('engine alone: spawn → exit', wall(engine), engineResults.map((r) => r.cpuMs), engineResults.map((r) => r.peakRssKiB), baseMedian);
  row('  in process: start → message parsed', engineResults.map((r) => r.totalMs));
  row('    of which: import of the engine', engineResults.map((r) => r.importMs));
  row('    of which: first parseMessage', engineResults.map((r) => r.handlerMs ?? Number.NaN));
  const widths = rows[0].map((_, column) => Math.max(...rows.map((cells) => cells[column].length)));
  const table = rows.map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());

  const load = loadavg();
  console.log(`\nincoming handler cold start, Node ${process.version}; ${runs} runs of each, interleaved, after one warm-up round`);
  console.log(`load average ${load.map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} cores\n`);
  console.log(
    `bundle: services/incoming/${entry}, esbuild as the AWS stages (minified, keepNames, no source maps): ` +
      `${num(bundleBytes.length)} B raw (${num(bundleBytes.length / 1024 / 1024, 2)} MiB), ${num(bundleGzip)} B gzip -9 (${num(bundleGzip / 1024, 1)} KiB), built in ${num(bundleMs)} ms` +
      besides.map((name, index) => `; beside it ${name.replace(/-[A-Z0-9]{8}\./, '.')}, ${num(besideBytes[index])} B`).join('') +
      `; split off, read only when imported: ${chunks.length} chunks, ${num(chunkBytes)} B`,
  );
  console.log(`engine alone: @mxflow/iso20022's parseMessage (parse, validate, convert) bundled the same way, ${num(engineBytes)} B raw, the same WebAssembly beside it`);
  console.log(`message: the 5 KB pacs.008 (3 transactions, ${num(messageBytes)} B, fresh ids each run), Alpha's token, against the local cloud\n`);
  console.log(table.join('\n'));
  console.log(
    `\npeak RSS: the process's own high-water mark (VmHWM); of Node itself, before the import: ${num(mib(median(coldResults.map((r) => r.rssBeforeImportKiB))), 1)} MiB median ` +
      `(not maxRSS, ${num(mib(median(coldResults.map((r) => r.maxRssKiB))), 1)} MiB: it starts at the RSS of the process that spawned it)`,
  );
  console.log(
    `cold start (start → 202) / baseline (spawn → exit), medians: ${num(coldMedian / baseMedian, 2)}× node -e "0", ${num(coldMedian / importMedian, 2)}× import only; ` +
      `engine alone (start → parsed): ${num(median(engineResults.map((r) => r.totalMs)) / baseMedian, 2)}× node -e "0"`,
  );
  console.log(
    `goal (issue #10): process start → first validated message under ${GOAL_MS} ms: median ${num(coldMedian, 1)} ms, ` +
      `${coldMedian < GOAL_MS ? 'met' : 'NOT met'} (p90 ${num(p90(coldResults.map((r) => r.totalMs)), 1)} ms)`,
  );
  console.log(`bench time: ${num(performance.now() / 1000, 1)} s`);
} catch (error) {
  process.exitCode = 1;
  console.error(`bench:cold failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  progress('stopping the local cloud');
  await cleanup();
}
