#!/usr/bin/env node
// `pnpm dev`: runs the build of src/dev.ts with plain Node, built first when a
// source changed since the last build (see ../src/programs.mjs).
import module from 'node:module';
import { compileCacheDir, localStackPrograms } from '../src/programs.mjs';

// V8's compile cache: a restart finds the build and the dependencies it loads compiled.
module.enableCompileCache?.(compileCacheDir('dev'));
// Errors name the TypeScript source's lines, not the build's.
process.setSourceMapsEnabled(true);
let programs;
try {
  programs = await localStackPrograms();
} catch (error) {
  process.stderr.write(`mxflow dev: cannot build the platform's programs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
// dev.ts says so among its progress lines.
process.env.MXFLOW_PROGRAMS_BUILD = JSON.stringify({ built: programs.built, ms: programs.ms });
await import(programs.urls.dev);
