// The local platform's two programs, dev.ts (what `pnpm dev` runs) and
// offline-host.ts (each services host), as one build of @mxflow/program-cache:
// plain Node runs them, with their dependencies where pnpm installed them.
// Plain JavaScript: it runs before any TypeScript can.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshProgram, repoRoot } from '@mxflow/program-cache';

const src = path.dirname(fileURLToPath(import.meta.url));
/** Where the build lives, beside the services' bundles' cache. */
const cacheDir = path.join(repoRoot, 'node_modules/.cache/mxflow-local-stack');

/** Where a program of this build keeps V8's compile cache (`module.enableCompileCache`): one folder per program. */
export const compileCacheDir = (name) => path.join(cacheDir, 'compile-cache', name);

/** The build's entries' URLs, built first when a source changed since the last build. */
export const localStackPrograms = () =>
  freshProgram({
    cacheDir,
    entries: { dev: path.join(src, 'dev.ts'), 'offline-host': path.join(src, 'offline-host.ts') },
    dependencies: 'external',
    sourcemap: true,
  });
