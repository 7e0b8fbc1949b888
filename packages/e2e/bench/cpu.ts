/**
 * CPU time by process, from /proc: what each part of the local platform
 * (DynamoDB Local, each services host, this process with the local cloud in
 * it) spent between two snapshots. Linux only; elsewhere the table is empty.
 */
import { readFileSync } from 'node:fs';
import { descendants, hostedServices } from '@mxflow/local-stack';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds by part. */
export type CpuSnapshot = Map<string, number>;

function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** What a process is, in a few words: DynamoDB Local, a services host and its services, or its command. */
function partOf(pid: number, command: string): string {
  if (command.includes('DynamoDBLocal.jar')) return 'DynamoDB Local (Java)';
  const services = hostedServices(pid);
  if (services) return `services host: ${services.join(', ')}`;
  return command.split(' ')[0]?.split('/').at(-1) ?? command;
}

/** CPU ms so far of this process (the local cloud: gateway, broker, S3, SNS, OAuth; and the benchmark's clients) and of each process it started. */
export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const self = process.cpuUsage();
  snapshot.set('this process: local cloud and benchmark clients', (self.user + self.system) / 1000);
  for (const child of descendants(process.pid)) {
    const ms = cpuMsOf(child.pid);
    if (ms === undefined) continue;
    const part = partOf(child.pid, child.command);
    snapshot.set(part, (snapshot.get(part) ?? 0) + ms);
  }
  return snapshot;
}

/** CPU ms each part spent from `before` to `after`, largest first (parts that spent nothing left out). */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): [string, number][] {
  return [...after]
    .map(([part, ms]): [string, number] => [part, ms - (before.get(part) ?? 0)])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}
