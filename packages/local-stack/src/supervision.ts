import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStackError } from './errors';
import { alive, listProcesses, type ProcessInfo } from './processes';

/** Another `pnpm dev` still runs on the same state folder. */
export class StateInUseError extends LocalStackError {
  constructor(
    readonly pid: number,
    stateDir: string,
  ) {
    super(`another pnpm dev (pid ${pid}) runs on ${stateDir}; stop it first (Ctrl-C there, or kill -INT ${pid})`);
    this.name = 'StateInUseError';
  }
}

const PID_FILE = 'dev.pid';

/** The DynamoDB Local JVM of a state folder (cloud.ts keeps its files in `<state>/dynamodb`). */
function isDynamoDbOf(stateDir: string, candidate: ProcessInfo): boolean {
  return candidate.command.includes('DynamoDBLocal.jar') && candidate.command.includes(`-dbPath ${path.join(stateDir, 'dynamodb')}`);
}

async function end(pid: number, graceMs = 5000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (const deadline = Date.now() + graceMs; Date.now() < deadline; ) {
    if (!alive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone meanwhile.
  }
}

/**
 * Claims a state folder for this process (`<state>/dev.pid`), and wipes it
 * first when `fresh`. A `pnpm dev` that still runs on it is refused
 * ({@link StateInUseError}): two DynamoDB Locals must never write the same
 * files. What an earlier run left behind when it was killed (its DynamoDB
 * Local, found by the files it opened) is stopped, and `say` names it.
 * Resolves to the release, which removes the claim.
 */
export async function claimStateDir(stateDir: string, say: (line: string) => void, options: { fresh?: boolean } = {}): Promise<() => Promise<void>> {
  const pidFile = path.join(stateDir, PID_FILE);
  const previous = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  const processes = listProcesses();
  if (previous && previous !== process.pid && alive(previous)) {
    // A pid may have been reused since: only a Node process counts as an earlier run.
    const owner = processes.find((candidate) => candidate.pid === previous);
    if (owner && /\bnode\b/.test(owner.command)) throw new StateInUseError(previous, stateDir);
  }
  for (const orphan of processes.filter((candidate) => isDynamoDbOf(stateDir, candidate))) {
    say(`stopping DynamoDB Local (pid ${orphan.pid}) left running on ${stateDir} by an earlier run`);
    await end(orphan.pid);
  }
  if (options.fresh) {
    await rm(stateDir, { recursive: true, force: true });
    say(`wiped ${path.relative(process.cwd(), stateDir) || stateDir}`);
  }
  await mkdir(stateDir, { recursive: true });
  await writeFile(pidFile, `${process.pid}\n`);
  return async () => {
    const owner = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) await rm(pidFile, { force: true });
  };
}

/**
 * Calls `onOrphaned` once when a process that started this one goes away:
 * every ancestor in this process group (the shell's job: npx, pnpm, sh, tsx)
 * is watched, so that killing any of them, even with SIGKILL, stops the
 * platform instead of leaving it running unseen. Returns the unwatch.
 */
export function watchAncestors(onOrphaned: () => void, intervalMs = 1000): () => void {
  const processes = listProcesses();
  const byPid = new Map(processes.map((candidate) => [candidate.pid, candidate]));
  const group = (pid: number): number | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    } catch {
      return undefined;
    }
  };
  const ownGroup = group(process.pid);
  const ancestors: number[] = [];
  for (let pid = process.ppid; pid > 1 && group(pid) === ownGroup; pid = byPid.get(pid)?.ppid ?? 0) ancestors.push(pid);
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent || ancestors.some((pid) => !alive(pid))) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A process the platform started indirectly (DynamoDB Local's JVM), watched and started again when it dies. */
export interface SupervisedProcess {
  /** Its current pid. */
  readonly pid: number;
  /** Stops watching and ends the process if it is a restart of ours (the first one is its starter's to stop). */
  stop(): Promise<void>;
}

/**
 * Watches `pid` (a child of this process, listening on `port`) and, when it
 * dies while the platform runs, starts it again with the same command line in
 * the same folder and waits until the port answers, saying so through `say`.
 * The restart keeps what the process kept on disk (DynamoDB Local with
 * `-dbPath`); without `restart` (what it held was in memory) it only says
 * that it died. `onRestart` hears the new pid (to guard it).
 */
export function superviseProcess(
  name: string,
  pid: number,
  port: number,
  say: (line: string) => void,
  options: { restart?: boolean; onRestart?: (pid: number) => void } = {},
): SupervisedProcess {
  const onRestart = options.onRestart ?? (() => {});
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  let current = pid;
  let restarted = false;
  let stopping = false;
  let restarting = false;
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const restart = async () => {
    restarting = true;
    if (options.restart === false) {
      say(`${name} (pid ${current}) exited; not restarted: what it held was in memory`);
      return;
    }
    say(`${name} (pid ${current}) exited; restarting it`);
    const began = performance.now();
    for (let attempt = 0; !stopping; attempt++) {
      const child = spawn(argv[0], argv.slice(1), { cwd, stdio: 'ignore' });
      current = child.pid ?? 0;
      restarted = true;
      while (!stopping && alive(current) && !(await answers())) await sleep(200);
      if (stopping) break;
      if (alive(current)) {
        say(`${name} restarted (pid ${current}) in ${Math.round(performance.now() - began)} ms`);
        onRestart(current);
        break;
      }
      say(`${name} did not restart (attempt ${attempt + 1}); trying again`);
      await sleep(Math.min(30_000, 1000 * 2 ** attempt));
    }
    restarting = false;
  };
  const timer = setInterval(() => {
    if (!stopping && !restarting && !alive(current)) void restart();
  }, 1000);
  timer.unref();
  return {
    get pid() {
      return current;
    },
    async stop() {
      stopping = true;
      clearInterval(timer);
      if (restarted) await end(current);
    },
  };
}
