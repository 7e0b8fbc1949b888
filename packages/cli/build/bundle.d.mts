/** Types of bundle.mjs (plain JavaScript, which runs before any TypeScript can). */
export declare const repoRoot: string;
export declare const defaultCacheDir: string;
export declare const defaultEntry: string;
export interface Manifest {
  readonly format: number;
  readonly entry: string;
  /** The build's folder, in the cache folder. */
  readonly dir: string;
  /** The bundle's file name in `dir`. */
  readonly main: string;
  readonly inputs: Record<string, [size: number, mtimeMs: number, sha1: string]>;
}
export declare function currentBuild(cacheDir: string, entry: string): Manifest | undefined;
export declare function build(cacheDir: string, entry: string): Promise<Manifest>;
export declare function freshBundle(options?: { cacheDir?: string; entry?: string }): Promise<{ url: string; built: boolean }>;
