/**
 * Bundles the topic function into the zip that `infra/modules/kafka-topics`
 * uploads: `packages/kafka-topics/dist/kafka-topics.zip` (one `index.mjs`).
 * `pnpm package` builds it with the services; `pnpm --filter
 * @mxflow/kafka-topics build` builds it alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, crc32 } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = path.resolve(fileURLToPath(import.meta.url), '../..');

/** Where the zip is written; the stage roots point `kafka_topics_function_zip` at it. */
export const functionZipPath = path.join(packageDir, 'dist', 'kafka-topics.zip');

/** What {@link buildTopicFunction} wrote. */
export interface BuiltFunction {
  readonly zipPath: string;
  readonly zipBytes: number;
}

/** A zip of the given files, deflated, with a fixed timestamp so that the same code gives the same hash. */
export function zipFiles(files: readonly { name: string; content: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00, the zip format's epoch: Terraform's source_code_hash changes only with the code.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = deflateRawSync(file.content, { level: 9 });
    const crc = crc32(file.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(file.content.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(file.content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Bundles `src/handler.ts` (ESM, Node 22, arm64-neutral) and writes the zip. */
export async function buildTopicFunction(zipPath = functionZipPath): Promise<BuiltFunction> {
  const result = await build({
    entryPoints: [path.join(packageDir, 'src/handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    outfile: 'index.mjs',
    logLevel: 'warning',
    // kafkajs and parts of the SDK are CommonJS and call require().
    banner: { js: "import { createRequire as __mxflowCreateRequire } from 'node:module'; const require = __mxflowCreateRequire(import.meta.url);" },
  });
  const [bundle] = result.outputFiles;
  const zip = zipFiles([{ name: 'index.mjs', content: Buffer.from(bundle.contents) }]);
  await mkdir(path.dirname(zipPath), { recursive: true });
  await writeFile(zipPath, zip);
  return { zipPath, zipBytes: zip.length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildTopicFunction();
  console.log(`${path.relative(process.cwd(), built.zipPath)}: ${(built.zipBytes / 1024).toFixed(0)} KiB`);
}
