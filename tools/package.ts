/**
 * `pnpm package`: packages every service of `serverless-compose.yml` for AWS
 * without an AWS account or network, into `services/<step>/.serverless/`.
 * The stage `package` takes its values from params (shared.yml), not SSM.
 * It also builds the Kafka topic function's zip, which Terraform deploys
 * (packages/kafka-topics/dist/kafka-topics.zip). Prints the zipped size of
 * each function's bundle and fails when one reaches the budget.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildTopicFunction } from '@mxflow/kafka-topics';
import { readCompose, serverlessBin } from '@mxflow/local-stack';

/** Largest zipped bundle a function may have. */
export const bundleBudgetBytes = 1024 * 1024;

export const packageStage = 'package';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');

export interface PackagedBundle {
  readonly service: string;
  readonly dir: string;
  readonly function: string;
  readonly zipBytes: number;
  /** The paths inside the zip. */
  readonly files: readonly string[];
}

/** The names of a zip's entries, from its central directory (no zip64: a Lambda zip is far below 4 GiB). */
export function zipEntryNames(zip: Buffer): string[] {
  const END = 0x06054b50;
  const ENTRY = 0x02014b50;
  // The end-of-central-directory record: 22 bytes, then a comment of up to 64 KiB.
  let end = zip.length - 22;
  while (end >= Math.max(0, zip.length - 22 - 0xffff) && zip.readUInt32LE(end) !== END) end--;
  if (end < 0 || zip.readUInt32LE(end) !== END) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== ENTRY) throw new Error(`not a zip: central directory entry ${index} is damaged`);
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
}

function run(dir: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverlessBin(), ...args], {
      cwd: dir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`serverless ${args.join(' ')} in ${dir} exited ${code}:\n${output}`))));
  });
}

/** Packages each service in turn (one esbuild at a time) and returns its bundles. */
export async function packageServices(composeFile = path.join(root, 'serverless-compose.yml')): Promise<PackagedBundle[]> {
  const bundles: PackagedBundle[] = [];
  for (const service of await readCompose(composeFile)) {
    const out = path.join(service.dir, '.serverless');
    await rm(out, { recursive: true, force: true });
    await run(service.dir, ['package', '--stage', packageStage]);
    for (const file of (await readdir(out)).filter((name) => name.endsWith('.zip')).sort()) {
      const zip = await readFile(path.join(out, file));
      bundles.push({ service: service.name, dir: service.dir, function: file.slice(0, -'.zip'.length), zipBytes: zip.length, files: zipEntryNames(zip) });
    }
  }
  return bundles;
}

/** The bundles as an aligned text table, with their share of the budget. */
export function sizeTable(bundles: readonly PackagedBundle[]): string {
  const rows = [
    ['service', 'function', 'zipped bytes', 'KiB', 'of budget'],
    ...bundles.map((bundle) => [
      bundle.service,
      bundle.function,
      String(bundle.zipBytes),
      (bundle.zipBytes / 1024).toFixed(1),
      `${((100 * bundle.zipBytes) / bundleBudgetBytes).toFixed(1)} %`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ')).join('\n');
}

/** The Kafka topic function, which Terraform deploys (infra/modules/kafka-topics), not serverless. */
async function packageTopicFunction(): Promise<PackagedBundle> {
  const built = await buildTopicFunction();
  return {
    service: 'infra',
    dir: path.dirname(built.zipPath),
    function: 'kafka-topics',
    zipBytes: built.zipBytes,
    files: zipEntryNames(await readFile(built.zipPath)),
  };
}

async function main(): Promise<void> {
  const bundles = [await packageTopicFunction(), ...(await packageServices())];
  process.stdout.write(`${sizeTable(bundles)}\n`);
  const over = bundles.filter((bundle) => bundle.zipBytes >= bundleBudgetBytes);
  if (over.length > 0) {
    process.stderr.write(`over the ${bundleBudgetBytes}-byte budget: ${over.map((bundle) => `${bundle.service}/${bundle.function}`).join(', ')}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
