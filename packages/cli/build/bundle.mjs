/**
 * The built `mxflow`: src/main.ts and everything it imports as one esbuild
 * bundle (ESM, node22), kept in a cache folder and rebuilt only when stale,
 * so that each call starts with plain `node` instead of a TypeScript loader.
 *
 * A build records each file of the repository that esbuild read (its
 * metafile's inputs) with size, mtime and SHA-1, plus the files that shape the
 * build without being bundled: this file, the esbuild plugins, the lockfile
 * and pnpm's install state. The dependencies' own files (about a thousand,
 * under node_modules) are not checked one by one: they change only through
 * pnpm, which rewrites its install state when it changes them. The bundle is
 * up to date while each recorded file has its size and mtime, or (touched, not
 * changed: a checkout) its content. The check is one small JSON read and a
 * `stat` per file (about a hundred); esbuild is loaded only to build.
 *
 * Plain JavaScript on purpose: it runs before any TypeScript can.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const thisFile = fileURLToPath(import.meta.url);
const cliDir = path.resolve(thisFile, '../..');
/** The repository's root folder. */
export const repoRoot = path.resolve(cliDir, '../..');
/** Where the bundle lives unless `MXFLOW_CLI_CACHE` names another folder (gitignored with node_modules). */
export const defaultCacheDir = path.join(repoRoot, 'node_modules/.cache/mxflow-cli');
/** The command's entry point. */
export const defaultEntry = path.join(cliDir, 'src/main.ts');
/** The esbuild plugins the services' bundles use: libxml2-wasm's WebAssembly as a file beside the bundle. */
const pluginsFile = path.join(repoRoot, 'packages/runtime/serverless/esbuild-plugins.cjs');
/** Files that decide what a build makes without being part of it. */
const buildInputs = [
  thisFile,
  pluginsFile,
  path.join(repoRoot, 'pnpm-lock.yaml'),
  path.join(repoRoot, 'node_modules/.modules.yaml'),
  path.join(repoRoot, 'node_modules/.pnpm/lock.yaml'),
];
/** Bumped when the manifest's shape changes. */
const FORMAT = 1;
const MANIFEST = 'manifest.json';
/** How long a build folder that is not current stays, whatever else happens. */
const KEEP_MS = 10 * 60_000;

/**
 * @typedef {{ format: number, entry: string, dir: string, main: string, inputs: Record<string, [size: number, mtimeMs: number, sha1: string]> }} Manifest
 * `dir` is the build's folder (in the cache folder), `main` the bundle's file name in it.
 */

/** @param {Buffer | string} data */
const sha1 = (data) => createHash('sha1').update(data).digest('hex');

/**
 * The manifest of the cache's current build of `entry` when every input is
 * unchanged, else undefined. Inputs that were touched without changing get
 * their new mtime recorded, so that the next check is a `stat` again.
 * @param {string} cacheDir
 * @param {string} entry
 * @returns {Manifest | undefined}
 */
export function currentBuild(cacheDir, entry) {
  const manifestFile = path.join(cacheDir, MANIFEST);
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.entry !== entry) return undefined;
  let touched = false;
  for (const [file, [size, mtimeMs, hash]] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = statSync(file);
    } catch {
      return undefined;
    }
    if (now.size !== size) return undefined;
    if (now.mtimeMs === mtimeMs) continue;
    if (sha1(readFileSync(file)) !== hash) return undefined;
    manifest.inputs[file] = [size, now.mtimeMs, hash];
    touched = true;
  }
  try {
    statSync(path.join(cacheDir, manifest.dir, manifest.main));
  } catch {
    return undefined;
  }
  if (touched) writeAtomically(manifestFile, JSON.stringify(manifest));
  return manifest;
}

/** Writes `file` whole or not at all: concurrent readers see the old content or the new. */
function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * esbuild plugin: `import.meta.url` in the repository's own modules keeps
 * meaning the module's source file, as under a TypeScript loader, so that
 * what they read beside themselves (the sample templates, `.mxflow/ready.json`)
 * is found from the bundle too. Dependencies keep esbuild's meaning (the
 * bundle's URL), which libxml2-wasm's WebAssembly beside the bundle relies on.
 * @returns {import('esbuild').Plugin}
 */
function sourceImportMetaUrl() {
  const loaders = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js' };
  return {
    name: 'mxflow-source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.m?[jt]s$/ }, async (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: loaders[path.extname(args.path)] };
      });
    },
  };
}

/**
 * Builds `entry` into a new folder of `cacheDir` and makes it the current
 * build. Builds that run at the same time each finish in their own folder;
 * the last to finish is current. Older folders are removed, but not the
 * previous one (a command started just before may still load chunks from it)
 * nor any younger than ten minutes (another process may be building in it).
 * @param {string} cacheDir
 * @param {string} entry
 * @returns {Promise<Manifest>}
 */
export async function build(cacheDir, entry) {
  const esbuild = await import('esbuild');
  const plugins = createRequire(import.meta.url)(pluginsFile);
  const dir = `build-${Date.now()}-${process.pid}`;
  const outdir = path.join(cacheDir, dir);
  const result = await esbuild.build({
    entryPoints: { main: entry },
    absWorkingDir: repoRoot,
    outdir,
    bundle: true,
    // Chunks: what only some commands need (the AWS SDK and the seeding code of `seed`) loads when they run.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    // ES module builds first, as in the services' bundles: a dynamic import() of a CommonJS module
    // (the AWS SDK's dist-cjs) would yield only its default export in a bundle, not its named ones.
    mainFields: ['module', 'main'],
    // Some dependencies are CommonJS and call require(); give the ESM bundle one (as the services' bundles do).
    banner: { js: "import { createRequire as __mxflowCreateRequire } from 'node:module'; const require = __mxflowCreateRequire(import.meta.url);" },
    keepNames: true,
    metafile: true,
    logLevel: 'error',
    plugins: [sourceImportMetaUrl(), ...plugins],
  });
  const files = [
    // esbuild names inputs relative to its working folder; a plugin's own namespace (`ns:path`) is no file.
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input))
      .map((input) => path.resolve(repoRoot, input))
      .filter((file) => !file.split(path.sep).includes('node_modules')),
    ...buildInputs,
  ];
  /** @type {Manifest['inputs']} */
  const inputs = {};
  for (const file of new Set(files)) {
    try {
      const content = readFileSync(file);
      inputs[file] = [content.length, statSync(file).mtimeMs, sha1(content)];
    } catch {
      // A build input that does not exist (no pnpm install state yet) is no input.
    }
  }
  const previous = (() => {
    try {
      return JSON.parse(readFileSync(path.join(cacheDir, MANIFEST), 'utf8')).dir;
    } catch {
      return undefined;
    }
  })();
  /** @type {Manifest} */
  const manifest = { format: FORMAT, entry, dir, main: 'main.mjs', inputs };
  writeAtomically(path.join(cacheDir, MANIFEST), JSON.stringify(manifest));
  for (const name of readdirSync(cacheDir)) {
    const started = Number(/^build-(\d+)-/.exec(name)?.[1]);
    // A younger folder may be a build still running in another process.
    if (name !== dir && name !== previous && Date.now() - started > KEEP_MS) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
  return manifest;
}

/**
 * The file URL of an up-to-date bundle of `entry`, building it first when
 * the cache has none or a stale one.
 * @param {{ cacheDir?: string, entry?: string }} [options]
 * @returns {Promise<{ url: string, built: boolean }>}
 */
export async function freshBundle({ cacheDir = defaultCacheDir, entry = defaultEntry } = {}) {
  let manifest = currentBuild(cacheDir, entry);
  const built = manifest === undefined;
  if (built) {
    mkdirSync(cacheDir, { recursive: true });
    manifest = await build(cacheDir, entry);
  }
  return { url: pathToFileURL(path.join(cacheDir, manifest.dir, manifest.main)).href, built };
}
