import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The mxflow command's entry, from its sources. */
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/src/main.ts');

/** What a run of the mxflow command printed, and how it exited. */
export interface CommandRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the mxflow command as a user would, in a child process (so it does not block the event loop the platform's clients share), with `input` on its stdin. */
export function mxflow(args: readonly string[], env: Record<string, string>, input = ''): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end(input);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `count` random capital letters (a BIC's bank code of this run only). */
export const randomLetters = (count: number): string => Array.from({ length: count }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
