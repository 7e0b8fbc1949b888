/**
 * `pnpm bench:cli`: how long one call of `mxflow` takes, process start to
 * exit, beside `node -e 0` (what any Node.js command costs on this machine).
 *
 * Three commands, each run two ways: the built command (`bin/mxflow.mjs`,
 * what `pnpm mxflow` runs: the freshness check, then the cached bundle) and
 * the sources through the tsx loader (`node --import tsx src/main.ts`, how
 * the command ran before). The commands: `--help`, `sample pacs.008`, and
 * `validate` of a sample written once before the runs. Every process is
 * spawned from this one and timed spawn to exit; the cases are interleaved
 * round by round, so that a change in the machine's load touches them alike.
 * One untimed round runs first (it builds the bundle when it is stale, and
 * warms the page cache). Each run must exit 0, and `validate` must say
 * `valid`, or the benchmark stops.
 *
 * BENCH_CLI_RUNS (default 10) sets the number of rounds.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_CLI_RUNS ?? '10');
if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_CLI_RUNS must be a positive integer, not ${process.env.BENCH_CLI_RUNS}`);

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const launcher = path.join(cliDir, 'bin/mxflow.mjs');
const sources = path.join(cliDir, 'src/main.ts');

interface Outcome {
  readonly ms: number;
  readonly stdout: string;
}

/** Runs `node ...args` to its end; rejects unless it exits 0. */
function timed(args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - began;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}: ${stderr.trim()}`));
    });
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const workDir = await mkdtemp(path.join(tmpdir(), 'mxflow-bench-cli-'));
try {
  const sampleFile = path.join(workDir, 'pacs.008.xml');
  await writeFile(sampleFile, (await timed([launcher, 'sample', 'pacs.008'])).stdout);

  const commands = [
    { name: '--help', args: ['--help'] },
    { name: 'sample pacs.008', args: ['sample', 'pacs.008'] },
    { name: 'validate <sample>', args: ['validate', sampleFile] },
  ];
  const cases = [
    { name: 'node -e 0', args: ['-e', '0'] },
    ...commands.map((command) => ({ name: `built  mxflow ${command.name}`, args: [launcher, ...command.args] })),
    ...commands.map((command) => ({ name: `tsx    mxflow ${command.name}`, args: ['--import', 'tsx', sources, ...command.args] })),
  ];
  const times = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  const check = (name: string, outcome: Outcome) => {
    if (name.endsWith('validate <sample>') && !outcome.stdout.includes(': valid pacs.008.001.08')) throw new Error(`${name} did not find the sample valid: ${outcome.stdout}`);
  };

  process.stderr.write(`… ${runs} rounds of ${cases.length} cases (one untimed round first), ${availableParallelism()} CPUs, load ${loadavg()[0].toFixed(2)}\n`);
  for (let round = 0; round <= runs; round++) {
    for (const entry of cases) {
      const outcome = await timed(entry.args);
      check(entry.name, outcome);
      if (round > 0) times.get(entry.name)?.push(outcome.ms);
    }
  }

  const node = median(times.get('node -e 0') ?? []);
  const width = Math.max(...cases.map((entry) => entry.name.length));
  const lines = [`${'case'.padEnd(width)}  median ms     min     max  × node -e 0`];
  for (const entry of cases) {
    const values = times.get(entry.name) ?? [];
    const value = median(values);
    lines.push(
      `${entry.name.padEnd(width)}  ${value.toFixed(0).padStart(9)}  ${Math.min(...values).toFixed(0).padStart(6)}  ${Math.max(...values).toFixed(0).padStart(6)}  ${(value / node).toFixed(2).padStart(11)}`,
    );
  }
  lines.push('');
  for (const command of commands) {
    const built = median(times.get(`built  mxflow ${command.name}`) ?? []);
    const tsx = median(times.get(`tsx    mxflow ${command.name}`) ?? []);
    lines.push(`mxflow ${command.name}: built ${built.toFixed(0)} ms (${(built - node).toFixed(0)} ms over node -e 0), tsx ${tsx.toFixed(0)} ms, tsx / built ${(tsx / built).toFixed(2)}`);
  }
  lines.push(`load average after: ${loadavg()[0].toFixed(2)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
