#!/usr/bin/env -S node --import tsx
import { randomUUID } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { run } from './cli';

// Synchronous writes, so that a large output is complete when the process exits with its code.
const write = (fd: number) => (text: string) => {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
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
