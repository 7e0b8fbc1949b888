/**
 * A TypeScript program of the repository (one or more entry files and all
 * they import), built by esbuild into one ESM build (node22) in a cache
 * folder and rebuilt only when stale, so that each run starts with plain
 * `node` instead of a TypeScript loader.
 *
 * A program either bundles its dependencies too (`dependencies: 'bundle'`,
 * the `mxflow` command: one file to read) or leaves them where pnpm installed
 * them (`'external'`, the local platform: its dependencies read files beside
 * themselves, and a small build is quick to remake). An external dependency
 * is imported by the absolute path Node resolves it to from the module that
 * names it, so the build finds each workspace package's own dependencies
 * wherever it lives.
 *
 * A build records each file of the repository that esbuild read (its
 * metafile's inputs) with size, mtime and SHA-1, plus the files that shape the
 * build without being bundled: this file, the esbuild plugins, the lockfile
 * and pnpm's install state. The dependencies' own files (about a thousand,
 * under node_modules) are not checked one by one: they change only through
 * pnpm, which rewrites its install state when it changes them. The build is
 * up to date while each recorded file has its size and mtime, or (touched, not
 * changed: a checkout) its content. The check is one small JSON read and a
 * `stat` per file (about a hundred); esbuild is loaded only to build.
 *
 * Plain JavaScript on purpose: it runs before any TypeScript can.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const thisFile = fileURLToPath(import.meta.url);
/** The repository's root folder. */
export const repoRoot = path.resolve(thisFile, '../../..');
/** Files that decide what a build makes without being part of it. */
const buildInputs = [
  thisFile,
  path.join(repoRoot, 'pnpm-lock.yaml'),
  path.join(repoRoot, 'node_modules/.modules.yaml'),
  path.join(repoRoot, 'node_modules/.pnpm/lock.yaml'),
];
/** Bumped when the manifest's shape changes. */
const FORMAT = 2;
const MANIFEST = 'manifest.json';
/** How long a build folder that is not current stays, whatever else happens. */
const KEEP_MS = 10 * 60_000;

/**
 * @typedef {import('./index.d.mts').Program} Program
 * @typedef {import('./index.d.mts').Manifest} Manifest
 */

/** @param {Buffer | string} data */
const sha1 = (data) => createHash('sha1').update(data).digest('hex');

/**
 * What makes two programs the same build: their entries and options.
 * @param {Program} program
 */
const programKey = (program) => sha1(JSON.stringify([program.entries, program.dependencies ?? 'bundle', program.pluginsFile ?? null, program.sourcemap ?? false]));

/**
 * The manifest of the cache's current build of `program` when every input is
 * unchanged, else undefined. Inputs that were touched without changing get
 * their new mtime recorded, so that the next check is a `stat` again.
 * @param {Program} program
 * @returns {Manifest | undefined}
 */
export function currentBuild(program) {
  const manifestFile = path.join(program.cacheDir, MANIFEST);
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.format !== FORMAT || manifest.key !== programKey(program)) return undefined;
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
    for (const output of Object.values(manifest.outputs)) statSync(path.join(program.cacheDir, manifest.dir, output));
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
 * what they read beside themselves (the sample templates, `.mxflow/ready.json`,
 * a child process's entry file) is found from the build too. Bundled
 * dependencies keep esbuild's meaning (the build's URL), which libxml2-wasm's
 * WebAssembly beside the bundle relies on.
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
 * The file Node loads for `specifier` named by `importer`. A package's
 * CommonJS resolution (`require.resolve`) answers in process; a package that
 * exports nothing to `require` (an ES module only package) is resolved for
 * `import` by Node itself, in a child process: `import.meta.resolve` takes a
 * parent only behind a flag.
 * @param {string} specifier
 * @param {string} importer
 * @param {import('esbuild').ImportKind} kind
 */
function resolveAsNode(specifier, importer, kind) {
  try {
    return createRequire(importer).resolve(specifier);
  } catch (error) {
    if (kind === 'require-call' || kind === 'require-resolve') throw error;
    const script = 'process.stdout.write(import.meta.resolve(process.argv[1], process.argv[2]))';
    const url = execFileSync(process.execPath, ['--experimental-import-meta-resolve', '--no-warnings', '--input-type=module', '-e', script, specifier, pathToFileURL(importer).href], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (!url.startsWith('file:')) throw error;
    return fileURLToPath(url);
  }
}

/**
 * esbuild plugin: every package but the workspace's own (`@mxflow/…`, whose
 * TypeScript is bundled) stays outside the build, imported by the file Node
 * resolves it to from the module that names it. Its own files (a WebAssembly
 * module, a JAR, templates) then stay beside it, and the build holds only the
 * repository's code.
 * @returns {import('esbuild').Plugin}
 */
function dependenciesWhereInstalled() {
  return {
    name: 'mxflow-dependencies-where-installed',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || args.path.startsWith('@mxflow/')) return undefined;
        try {
          return { path: resolveAsNode(args.path, args.importer, args.kind), external: true };
        } catch (error) {
          return { errors: [{ text: `${args.path}, imported by ${path.relative(repoRoot, args.importer)}, does not resolve: ${error instanceof Error ? error.message : String(error)}` }] };
        }
      });
    },
  };
}

/**
 * Builds `program` into a new folder of its cache folder and makes it the
 * current build. Builds that run at the same time each finish in their own
 * folder; the last to finish is current. Older folders are removed, but not
 * the previous one (a run started just before may still load chunks from it)
 * nor any younger than ten minutes (another process may be building in it).
 * @param {Program} program
 * @returns {Promise<Manifest>}
 */
export async function build(program) {
  const { cacheDir, entries, dependencies = 'bundle', pluginsFile, sourcemap = false } = program;
  const esbuild = await import('esbuild');
  const plugins = pluginsFile ? createRequire(import.meta.url)(pluginsFile) : [];
  const dir = `build-${Date.now()}-${process.pid}`;
  const outdir = path.join(cacheDir, dir);
  const result = await esbuild.build({
    entryPoints: entries,
    absWorkingDir: repoRoot,
    outdir,
    bundle: true,
    // Chunks: what only some runs need loads when they need it.
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
    sourcemap: sourcemap ? 'linked' : false,
    metafile: true,
    logLevel: 'error',
    plugins: [sourceImportMetaUrl(), ...(dependencies === 'external' ? [dependenciesWhereInstalled()] : []), ...plugins],
  });
  const files = [
    // esbuild names inputs relative to its working folder; a plugin's own namespace (`ns:path`) is no file.
    ...Object.keys(result.metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input))
      .map((input) => path.resolve(repoRoot, input))
      .filter((file) => !file.split(path.sep).includes('node_modules')),
    ...buildInputs,
    ...(pluginsFile ? [pluginsFile] : []),
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
  const manifest = { format: FORMAT, key: programKey(program), dir, outputs: Object.fromEntries(Object.keys(entries).map((name) => [name, `${name}.mjs`])), inputs };
  writeAtomically(path.join(cacheDir, MANIFEST), JSON.stringify(manifest));
  for (const name of readdirSync(cacheDir)) {
    const started = Number(/^build-(\d+)-/.exec(name)?.[1]);
    // A younger folder may be a build still running in another process.
    if (name !== dir && name !== previous && Date.now() - started > KEEP_MS) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
  return manifest;
}

/**
 * The file URL of each entry of an up-to-date build of `program`, building it
 * first when the cache has none or a stale one.
 * @param {Program} program
 * @returns {Promise<{ urls: Record<string, string>, built: boolean, ms: number }>}
 */
export async function freshProgram(program) {
  const began = performance.now();
  let manifest = currentBuild(program);
  const built = manifest === undefined;
  if (built) {
    mkdirSync(program.cacheDir, { recursive: true });
    manifest = await build(program);
  }
  const current = manifest;
  const urls = Object.fromEntries(Object.entries(current.outputs).map(([name, file]) => [name, pathToFileURL(path.join(program.cacheDir, current.dir, file)).href]));
  return { urls, built, ms: Math.round(performance.now() - began) };
}
