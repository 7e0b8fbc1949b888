import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

/**
 * The bundles of one service, as serverless-esbuild would build them for
 * `serverless offline`: the same esbuild options, one bundle per handler file.
 */
export interface BundleTarget {
  readonly service: string;
  /** esbuild's options for this service, without entry points, output folder and plugins. */
  readonly options: Readonly<BuildOptions>;
  /** Its esbuild plugins, and the file they come from (when they come from one). */
  readonly plugins: readonly Plugin[];
  readonly pluginsFile?: string;
  /** Each handler file (absolute) and its bundle's path (absolute, without the extension). */
  readonly entries: readonly { readonly in: string; readonly out: string }[];
}

/** What {@link buildBundles} did. */
export interface BundlesResult {
  /** Handler files bundled or found up to date. */
  readonly handlers: number;
  /** Whether anything was built (false: every bundle was up to date). */
  readonly built: boolean;
  readonly ms: number;
}

/** What a build read and wrote, to tell next time whether it is still up to date. */
interface Manifest {
  readonly key: string;
  readonly inputs: Record<string, { size: number; mtimeMs: number; sha1: string }>;
  readonly outputs: string[];
}

const esbuildRequire = createRequire(createRequire(import.meta.url).resolve('serverless-esbuild/package.json'));

/** esbuild as serverless-esbuild loads it, so that the bundles are those it would make. */
function loadEsbuild(): typeof import('esbuild') {
  return esbuildRequire('esbuild') as typeof import('esbuild');
}

function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

async function upToDate(manifestFile: string, key: string): Promise<boolean> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
  } catch {
    return false;
  }
  if (manifest.key !== key || !manifest.outputs.every((output) => existsSync(output))) return false;
  const checks = await Promise.all(
    Object.entries(manifest.inputs).map(async ([file, seen]) => {
      try {
        const now = await stat(file);
        if (now.size === seen.size && now.mtimeMs === seen.mtimeMs) return true;
        // Touched but maybe not changed (a checkout, a formatter run).
        return now.size === seen.size && sha1(await readFile(file)) === seen.sha1;
      } catch {
        return false;
      }
    }),
  );
  return checks.every(Boolean);
}

async function writeManifest(manifestFile: string, key: string, workDir: string, metafile: Metafile, extraInputs: readonly string[]): Promise<void> {
  const files = [
    // esbuild names inputs relative to its working folder; a plugin's own namespace (`ns:path`) is no file.
    ...Object.keys(metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input))
      .map((input) => path.resolve(workDir, input)),
    ...extraInputs,
  ];
  const inputs: Manifest['inputs'] = {};
  await Promise.all(
    [...new Set(files)].map(async (file) => {
      const [info, content] = await Promise.all([stat(file), readFile(file)]);
      inputs[file] = { size: info.size, mtimeMs: info.mtimeMs, sha1: sha1(content) };
    }),
  );
  const outputs = Object.keys(metafile.outputs).map((output) => path.resolve(workDir, output));
  await mkdir(path.dirname(manifestFile), { recursive: true });
  await writeFile(manifestFile, `${JSON.stringify({ key, inputs, outputs } satisfies Manifest)}\n`);
}

/**
 * Builds the bundles of every service into `outDir` (each entry's `out` is in
 * it), with one esbuild build per set of options (the platform's services
 * share theirs, so one build in all), in one esbuild process: modules that
 * several handlers import are read and parsed once instead of once per
 * handler. A build whose options and inputs (every file esbuild read, and the
 * plugins' file) are unchanged since the last one is skipped; its manifest is
 * in `outDir`, beside the assets the bundles share (libxml2-wasm's WebAssembly).
 */
export async function buildBundles(targets: readonly BundleTarget[], outDir: string): Promise<BundlesResult> {
  const began = performance.now();
  const groups = new Map<string, BundleTarget[]>();
  for (const target of targets) {
    const key = JSON.stringify([target.options, target.pluginsFile ?? target.plugins.map((plugin) => plugin.name)]);
    groups.set(key, [...(groups.get(key) ?? []), target]);
  }
  let built = false;
  let esbuild: typeof import('esbuild') | undefined;
  try {
    for (const [optionsKey, group] of groups) {
      const entries = group.flatMap((target) => target.entries);
      if (entries.length === 0) continue;
      const [first] = group;
      esbuild ??= loadEsbuild();
      const key = sha1(JSON.stringify([esbuild.version, optionsKey, entries]));
      const manifestFile = path.join(outDir, `manifest-${key.slice(0, 12)}.json`);
      if (await upToDate(manifestFile, key)) continue;
      // esbuild resolves entry points from its working folder, which must exist.
      await mkdir(outDir, { recursive: true });
      const result = await esbuild.build({
        ...first.options,
        absWorkingDir: outDir,
        entryPoints: entries.map((entry) => ({ in: entry.in, out: path.relative(outDir, entry.out) })),
        outdir: outDir,
        plugins: [...first.plugins],
        metafile: true,
        logLevel: 'silent',
      });
      await writeManifest(manifestFile, key, outDir, result.metafile, first.pluginsFile ? [first.pluginsFile] : []);
      built = true;
    }
  } finally {
    // The esbuild process holds on to hundreds of MB after a build; nothing else here needs it.
    await esbuild?.stop();
  }
  return { handlers: targets.reduce((count, target) => count + target.entries.length, 0), built, ms: Math.round(performance.now() - began) };
}
