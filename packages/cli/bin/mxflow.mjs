#!/usr/bin/env node
// The `mxflow` command: runs the build of src/main.ts, (re)built first when
// its sources changed since the last build (see @mxflow/program-cache).
import { freshProgram, repoRoot } from '@mxflow/program-cache';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cliDir = path.resolve(fileURLToPath(import.meta.url), '../..');
/** The command as one bundle, dependencies included, with the services' esbuild plugins (libxml2-wasm's WebAssembly beside it). */
const cliProgram = {
  // MXFLOW_CLI_CACHE names another folder (the tests' own).
  cacheDir: process.env.MXFLOW_CLI_CACHE || path.join(repoRoot, 'node_modules/.cache/mxflow-cli'),
  entries: { main: path.join(cliDir, 'src/main.ts') },
  pluginsFile: path.join(repoRoot, 'packages/runtime/serverless/esbuild-plugins.cjs'),
};

let program;
try {
  program = await freshProgram(cliProgram);
} catch (error) {
  process.stderr.write(`mxflow: cannot build the command: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import(program.urls.main);
