/**
 * Builds the console into a static site with Vite's JavaScript API: what
 * `pnpm dev` serves under `/console/` and what is uploaded to the site bucket.
 *
 * ```sh
 * pnpm --filter @mxflow/console build        # into packages/console/dist
 * ```
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type InlineConfig, type Logger } from 'vite';

/** The console package's folder. */
export const consoleRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the site is built unless told otherwise. */
export const defaultOutDir = path.join(consoleRoot, 'dist');

/** Options of {@link buildConsole}. */
export interface BuildConsoleOptions {
  /** Where to write the site (default `packages/console/dist`); emptied first. */
  readonly outDir?: string;
  /** Where Vite's lines go (default: nowhere). */
  readonly log?: (line: string) => void;
}

function loggerOf(log: (line: string) => void): Logger {
  const warned = new Set<string>();
  return {
    info: (message) => log(message),
    warn: (message) => log(message),
    warnOnce: (message) => {
      if (!warned.has(message)) log(message);
      warned.add(message);
    },
    error: (message) => log(message),
    clearScreen: () => {},
    hasErrorLogged: () => false,
    hasWarned: false,
  };
}

/** The Vite configuration of the console: relative asset URLs, so that the site works under any path prefix. */
export function consoleViteConfig(options: BuildConsoleOptions = {}): InlineConfig {
  return {
    root: consoleRoot,
    base: './',
    configFile: false,
    envDir: false,
    publicDir: false,
    logLevel: 'info',
    customLogger: loggerOf(options.log ?? (() => {})),
    build: {
      outDir: options.outDir ?? defaultOutDir,
      emptyOutDir: true,
      sourcemap: false,
      // The console is one screen of operations; no need to split it into many files.
      chunkSizeWarningLimit: 1500,
    },
  };
}

/** Builds the site and returns the folder it is in. */
export async function buildConsole(options: BuildConsoleOptions = {}): Promise<string> {
  const outDir = path.resolve(options.outDir ?? defaultOutDir);
  await build(consoleViteConfig({ ...options, outDir }));
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
