/** Types of programs.mjs (plain JavaScript, which runs before any TypeScript can). */
export declare function compileCacheDir(name: string): string;
export declare function localStackPrograms(): Promise<{ urls: Record<'dev' | 'offline-host', string>; built: boolean; ms: number }>;
