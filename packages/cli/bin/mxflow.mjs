#!/usr/bin/env node
// The `mxflow` command: runs the bundle of src/main.ts, (re)built first when
// its sources changed since the last build (see ../build/bundle.mjs).
import { freshBundle } from '../build/bundle.mjs';

let bundle;
try {
  bundle = await freshBundle({ cacheDir: process.env.MXFLOW_CLI_CACHE || undefined });
} catch (error) {
  process.stderr.write(`mxflow: cannot build the command: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import(bundle.url);
