/** Types of index.mjs (plain JavaScript, which runs before any TypeScript can). */
export declare const repoRoot: string;

/** A program of the repository and how to build it. */
export interface Program {
  /** Where its builds and their manifest live (gitignored with node_modules). */
  readonly cacheDir: string;
  /** Each entry's name (its output is `<name>.mjs`) and its source file (absolute). */
  readonly entries: Readonly<Record<string, string>>;
  /** Whether the dependencies are bundled (the default) or imported where pnpm installed them. */
  readonly dependencies?: 'bundle' | 'external';
  /** A file whose export is a list of esbuild plugins to build with (it is an input of the build). */
  readonly pluginsFile?: string;
  /** Source maps beside the build (for Node's --enable-source-maps). */
  readonly sourcemap?: boolean;
}

export interface Manifest {
  readonly format: number;
  /** What the build was made of: its entries and options. */
  readonly key: string;
  /** The build's folder, in the cache folder. */
  readonly dir: string;
  /** Each entry's output file in `dir`. */
  readonly outputs: Record<string, string>;
  readonly inputs: Record<string, [size: number, mtimeMs: number, sha1: string]>;
}

export declare function currentBuild(program: Program): Manifest | undefined;
export declare function build(program: Program): Promise<Manifest>;
export declare function freshProgram(program: Program): Promise<{ urls: Record<string, string>; built: boolean; ms: number }>;
