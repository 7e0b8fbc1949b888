/**
 * Builds the console into a static site with Vite's JavaScript API: what
 * `pnpm dev` serves under `/console/` and what is uploaded to the site bucket.
 *
 * ```sh
 * pnpm --filter @mxflow/console build        # into packages/console/dist
 * ```
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import type { InlineConfig } from 'vite';

/** The console package's folder. */
export const consoleRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the site is built unless told otherwise. */
export const defaultOutDir = path.join(consoleRoot, 'dist');

/** The console could not be built. */
export class ConsoleBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleBuildError';
  }
}

/** Options of {@link buildConsole}. */
export interface BuildConsoleOptions {
  /** Where to write the site (default `packages/console/dist`); emptied first. */
  readonly outDir?: string;
  /** Where Vite's lines go (default: nowhere). */
  readonly log?: (line: string) => void;
}

/** The Vite configuration of the console: plain data, relative asset URLs so that the site works under any path prefix. */
export function consoleViteConfig(outDir: string = defaultOutDir): InlineConfig {
  return {
    root: consoleRoot,
    base: './',
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: 'info',
    clearScreen: false,
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      // The console is one screen of operations; no need to split it into many files.
      chunkSizeWarningLimit: 1500,
    },
  };
}

// Vite's build() runs in a node of its own: its native bundler refuses objects
// made in another realm (jest's VM modules), and the caller's event loop (the
// local platform's clients) is not held up meanwhile.
const BUILD_SCRIPT = "const { build } = await import('vite'); await build(JSON.parse(process.env.MXFLOW_CONSOLE_VITE_CONFIG));";

/**
 * Builds the site with Vite's `build()` and returns the folder it is in.
 *
 * @throws ConsoleBuildError when the build fails; its message ends with Vite's last lines
 */
export async function buildConsole(options: BuildConsoleOptions = {}): Promise<string> {
  const outDir = path.resolve(options.outDir ?? defaultOutDir);
  const log = options.log ?? (() => {});
  const tail: string[] = [];
  const child = spawn(process.execPath, ['--input-type=module', '-e', BUILD_SCRIPT], {
    cwd: consoleRoot,
    env: { ...process.env, MXFLOW_CONSOLE_VITE_CONFIG: JSON.stringify(consoleViteConfig(outDir)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      log(line);
    });
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new ConsoleBuildError(`the console build exited with ${code}:\n${tail.join('\n')}`);
  return outDir;
}

/** The files whose change calls for a new build: the console's own, and the workspace modules it bundles. */
const SOURCES = ['index.html', 'package.json', 'src', 'scripts', '../contracts/src/reasons.ts', '../iso20022/src/money.ts', '../iso20022/src/reference/currencies.ts'];

async function newestChange(entry: string): Promise<number> {
  if (!existsSync(entry)) return 0;
  const info = await stat(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(children.map((child) => newestChange(path.join(entry, child))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Whether the site in `outDir` is missing or older than the console's
 * sources, so that it must be built (again).
 */
export async function consoleSourcesNewerThan(outDir: string = defaultOutDir): Promise<boolean> {
  const index = path.join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = (await stat(index)).mtimeMs;
  const times = await Promise.all(SOURCES.map((source) => newestChange(path.resolve(consoleRoot, source))));
  return Math.max(...times) > built;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outDir = await buildConsole({ log: (line) => console.log(line) });
  console.log(`console built into ${path.relative(process.cwd(), outDir) || '.'}`);
}
