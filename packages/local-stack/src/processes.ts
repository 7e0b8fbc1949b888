import { readFileSync, readdirSync } from 'node:fs';

/** A process of this machine, as /proc shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Its arguments, joined by spaces. */
  readonly command: string;
}

/** Every process /proc lists (Linux); an empty list elsewhere. */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const processes: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may hold spaces; the fields after it don't.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      processes.push({ pid: Number(entry), ppid, command });
    } catch {
      // It ended while we looked.
    }
  }
  return processes;
}

/** The processes started by `pid`, and theirs, and so on. */
export function descendants(pid: number, processes: readonly ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = [pid];
  while (parents.length) {
    const parent = parents.pop() as number;
    for (const candidate of processes) {
      if (candidate.ppid === parent) {
        found.push(candidate);
        parents.push(candidate.pid);
      }
    }
  }
  return found;
}

/** Whether a process runs (signal 0 reaches it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
