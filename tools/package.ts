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
import { inflateRawSync } from 'node:zlib';
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
  /** The zip itself. */
  readonly zip: Buffer;
  /** The paths inside the zip. */
  readonly files: readonly string[];
}

/** The content of one entry of a zip (stored or deflated), found by its name in the central directory. */
export function zipEntry(zip: Buffer, name: string): Buffer {
  const index = zipEntryNames(zip).indexOf(name);
  if (index < 0) throw new Error(`the zip has no ${name}`);
  let offset = centralDirectory(zip).offset;
  for (let skipped = 0; skipped < index; skipped++) offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  const method = zip.readUInt16LE(offset + 10);
  const size = zip.readUInt32LE(offset + 20);
  const local = zip.readUInt32LE(offset + 42);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + size);
  if (method === 0) return Buffer.from(data);
  if (method === 8) return inflateRawSync(data);
  throw new Error(`${name}: compression method ${method} is neither stored nor deflated`);
}

/** Where a zip's central directory starts, and its number of entries (no zip64: a Lambda zip is far below 4 GiB). */
function centralDirectory(zip: Buffer): { offset: number; count: number } {
  const END = 0x06054b50;
  // The end-of-central-directory record: 22 bytes, then a comment of up to 64 KiB.
  let end = zip.length - 22;
  while (end >= Math.max(0, zip.length - 22 - 0xffff) && zip.readUInt32LE(end) !== END) end--;
  if (end < 0 || zip.readUInt32LE(end) !== END) throw new Error('not a zip: no end of central directory');
  return { offset: zip.readUInt32LE(end + 16), count: zip.readUInt16LE(end + 10) };
}

/** The names of a zip's entries, from its central directory. */
export function zipEntryNames(zip: Buffer): string[] {
  const ENTRY = 0x02014b50;
  const directory = centralDirectory(zip);
  const count = directory.count;
  let offset = directory.offset;
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
      bundles.push({ service: service.name, dir: service.dir, function: file.slice(0, -'.zip'.length), zipBytes: zip.length, zip, files: zipEntryNames(zip) });
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
  const zip = await readFile(built.zipPath);
  return {
    service: 'infra',
    dir: path.dirname(built.zipPath),
    function: 'kafka-topics',
    zipBytes: built.zipBytes,
    zip,
    files: zipEntryNames(zip),
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
