import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BrokerConfigError } from './errors';
import { writeSynced } from './fsync';
import type { Logger } from './logger';

/** Name of the lock file inside a data directory. */
export const LOCK_FILE = 'broker.lock';

/**
 * What a broker writes into `broker.lock`. A PID alone does not name a process for long: after a
 * reboot, or once the holder is gone, another process may get the same number. The start time
 * and boot id make the pair unique; the token tells one acquisition from another.
 */
export interface LockRecord {
  pid: number;
  /** Field 22 of `/proc/<pid>/stat` (clock ticks after boot); null where there is no /proc. */
  startTime: string | null;
  /** `/proc/sys/kernel/random/boot_id`; null where there is none. */
  bootId: string | null;
  /** The holder's node executable. */
  execPath: string | null;
  /** Random per acquisition. */
  token: string | null;
  /** ISO 8601 UTC, for people reading the file. */
  acquiredAt?: string;
}

// Node gives no flock, so a crashed broker's lock file stays behind. Deciding whether it is stale
// needs to know which process holds it, and several copies of this module may share a process
// (bundlers, test runners), so the locks this process holds are kept on globalThis.
const HELD: unique symbol = Symbol.for('@mxflow/kafka-broker.heldDataDirs');
const shared = globalThis as typeof globalThis & { [HELD]?: Map<string, string> };
const held: Map<string, string> = (shared[HELD] ??= new Map());

// The lock file is written before it appears under its name, so a reader never sees it half written.
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);
const TAKEOVER_ATTEMPTS = 3;
// Slack for the rounding of clock ticks and of the boot time in /proc/stat (locks without a start
// time), and how long a lock may stay unreadable while its writer fills it.
const START_TOLERANCE_MS = 2000;
// USER_HZ, fixed at 100 in the Linux ABI on every architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const procAvailable = (): boolean => fs.existsSync('/proc/self/stat');

function currentBootId(): string | null {
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** State (field 3) and start time (field 22) of a process, or null when /proc has no entry for it. */
function procStat(pid: number): { state: string; startTime: string } | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // Field 2 is the command name in parentheses and may itself hold spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], startTime: fields[19] };
}

/** The executable a process runs: `/proc/<pid>/exe`, or argv[0] when that link is not readable. */
function executableOf(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    const argv0 = readText(`/proc/${pid}/cmdline`)?.split('\0')[0];
    return argv0 || null;
  }
}

function looksLikeNode(executable: string, recordedExecPath: string | null): boolean {
  return executable === recordedExecPath || /^node(js)?([-_.]?\d[\w.]*)?(\.exe)?$/i.test(path.basename(executable));
}

/** Wall-clock start of a process in ms, from its start time in ticks and the boot time in /proc/stat. */
function startedAtMs(startTime: string): number | null {
  const btime = /^btime (\d+)$/m.exec(readText('/proc/stat') ?? '');
  if (btime === null || !/^\d+$/.test(startTime)) return null;
  return Number(btime[1]) * 1000 + (Number(startTime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to another user.
    return errnoOf(err) === 'EPERM';
  }
}

/** The lock of this process, as it is written to disk. */
function ownRecord(): LockRecord {
  return {
    pid: process.pid,
    startTime: procAvailable() ? (procStat(process.pid)?.startTime ?? null) : null,
    bootId: currentBootId(),
    execPath: process.execPath,
    token: randomUUID(),
    acquiredAt: new Date().toISOString(),
  };
}

/** Reads a lock file; a file from before this format holds only the PID. */
export function parseLockRecord(text: string): LockRecord | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), startTime: null, bootId: null, execPath: null, token: null };
  try {
    const r = JSON.parse(trimmed) as Partial<LockRecord>;
    if (typeof r !== 'object' || r === null || typeof r.pid !== 'number') return null;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    return { pid: r.pid, startTime: str(r.startTime), bootId: str(r.bootId), execPath: str(r.execPath), token: str(r.token) };
  } catch {
    return null;
  }
}

/**
 * Why the process named by a lock cannot be holding it, or null when it may be.
 * Errs towards "held": a live broker must never lose its directory to a second one.
 */
function staleReason(holder: LockRecord | null, lockWrittenAtMs: number): string | null {
  if (holder === null) return 'it is not a lock this broker wrote';
  const { pid } = holder;
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'it names no process';
  const bootId = currentBootId();
  if (holder.bootId !== null && bootId !== null && holder.bootId !== bootId) return `it was written before the last reboot (by process ${pid})`;
  const proc = procAvailable();
  if (pid === process.pid) {
    // The locks this process holds are in `held` and were refused before we got here.
    const own = proc ? (procStat(pid)?.startTime ?? null) : null;
    if (own === null || holder.startTime === null) return `it names this process (${pid}), which does not hold it`;
    if (own !== holder.startTime) return `process id ${pid} was reused by this process`;
    return null;
  }
  if (!isAlive(pid)) return `process ${pid} is gone`;
  if (!proc) return null;
  const stat = procStat(pid);
  if (stat === null) return `process ${pid} is gone`;
  if (stat.state === 'Z' || stat.state === 'X') return `process ${pid} has exited`;
  if (holder.startTime !== null && stat.startTime !== holder.startTime) return `process id ${pid} now belongs to another process (started at tick ${stat.startTime}, not ${holder.startTime})`;
  if (holder.startTime === null) {
    const startedAt = startedAtMs(stat.startTime);
    if (startedAt !== null && startedAt > lockWrittenAtMs + START_TOLERANCE_MS) return `process ${pid} started after the lock was written`;
  }
  const executable = executableOf(pid);
  if (executable !== null && !looksLikeNode(executable, holder.execPath)) return `process ${pid} runs ${executable}, not a broker`;
  return null;
}

/** Creates `target` from the complete file `source`, failing if `target` exists; false then. */
function createExclusive(source: string, target: string): boolean {
  try {
    fs.linkSync(source, target);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return false;
    if (!LINK_UNSUPPORTED.has(errnoOf(err) ?? '')) throw err;
  }
  // Filesystems without hard links: exclusive create, then write (a reader may see it empty briefly).
  let fd: number;
  try {
    fd = fs.openSync(target, 'wx');
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    fs.writeSync(fd, fs.readFileSync(source));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}


/**
 * Removes the stale lock whose content was `staleText`. Another broker may have replaced it since
 * we read it, so it is moved aside first and put back if it turns out to be someone else's.
 */
function removeStale(file: string, staleText: string, token: string, dataDir: string): void {
  const aside = `${file}.${token}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return;
    throw err;
  }
  try {
    if (readText(aside) === staleText) return;
    if (!createExclusive(aside, file)) {
      throw new BrokerConfigError(`data directory ${dataDir} is being claimed by several brokers at once`);
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * Claims `dataDir` for this process, so that two brokers never append to the same files.
 *
 * `broker.lock` records the PID, the process's start time and the boot id (where /proc exists) and
 * a random token. A lock is stale, and taken over, when its process is gone, when the PID now
 * names a process that started later or in an earlier boot, or when that process does not run
 * node. A lock held by a live broker, in this process or another, is refused.
 * @returns the function that releases the claim
 * @throws BrokerConfigError when a live broker holds the directory
 */
export function lockDataDir(dataDir: string, log?: Logger): () => void {
  const dir = path.resolve(dataDir);
  if (held.has(dir)) throw new BrokerConfigError(`data directory ${dataDir} is already open`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const mine = ownRecord();
  const token = mine.token!;
  const pending = `${file}.${token}.tmp`;
  writeSynced(pending, `${JSON.stringify(mine)}\n`);
  try {
    for (let attempt = 1; !createExclusive(pending, file); attempt++) {
      if (attempt > TAKEOVER_ATTEMPTS) throw new BrokerConfigError(`data directory ${dataDir} is being claimed by several brokers at once`);
      let text: string;
      let writtenAtMs: number;
      try {
        text = fs.readFileSync(file, 'utf8');
        writtenAtMs = fs.statSync(file).mtimeMs;
      } catch (err) {
        // Its holder released it between our attempt and our read: try again.
        if (errnoOf(err) === 'ENOENT') continue;
        throw err;
      }
      const holder = parseLockRecord(text);
      // On filesystems without hard links a lock is briefly empty while its broker writes it.
      if (holder === null && Date.now() - writtenAtMs < START_TOLERANCE_MS) {
        throw new BrokerConfigError(`data directory ${dataDir} is being claimed by another broker`);
      }
      const reason = staleReason(holder, writtenAtMs);
      if (reason === null) throw new BrokerConfigError(`data directory ${dataDir} is in use by process ${holder!.pid}`);
      log?.warn(`taking over the stale lock of ${dataDir}: ${reason}`);
      removeStale(file, text, token, dataDir);
    }
  } finally {
    fs.rmSync(pending, { force: true });
  }
  held.set(dir, token);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(dir);
    // Only our own lock is removed: never one a later broker wrote.
    const text = readText(file);
    if (text !== null && parseLockRecord(text)?.token === token) fs.rmSync(file, { force: true });
  };
}
