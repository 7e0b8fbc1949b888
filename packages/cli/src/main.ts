#!/usr/bin/env -S node --import tsx
import { randomUUID } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { run } from './cli';

// Synchronous writes, so that a large output is complete when the process exits with its code.
// A reader that closed the pipe (`mxflow … | head`) wants no more: end quietly, as the shell's tools do.
const write = (fd: number) => (text: string) => {
  const bytes = Buffer.from(text);
  try {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
    throw error;
  }
};

try {
  process.exitCode = await run(process.argv.slice(2), {
    stdout: write(1),
    stderr: write(2),
    stdin: () => readFileSync(0),
    env: process.env,
    now: () => new Date(),
    newId: () => randomUUID().replace(/-/g, ''),
  });
} catch (error) {
  process.stderr.write(`mxflow: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
