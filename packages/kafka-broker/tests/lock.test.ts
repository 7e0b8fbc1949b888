import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodeRecordBatch, startBroker } from '../src/index';
import { LOCK_FILE, parseLockRecord, type LockRecord } from '../src/lock';
import { quietLogger, rawProduce, RawConnection, removeDir, spawnBroker, tempDir } from './helpers';

// Start times and boot ids come from /proc; elsewhere the lock can only tell live PIDs from dead ones.
const withProc = fs.existsSync('/proc/self/stat') ? describe : describe.skip;

function startTimeOf(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const readLock = (dataDir: string) => parseLockRecord(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'));
const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));

/** A process that stays alive until killed, started and reaped by the test. */
function idle(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

withProc('data directory lock', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const dir = () => {
    const d = tempDir('kafka-broker-lock-');
    cleanups.push(() => removeDir(d));
    return d;
  };
  const spawned = async (dataDir: string) => {
    const b = await spawnBroker(dataDir);
    cleanups.push(async () => {
      if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
      await exited(b.child);
    });
    return b;
  };
  const writeLock = (dataDir: string, content: string, ageMs = 0) => {
    const file = path.join(dataDir, LOCK_FILE);
    fs.writeFileSync(file, content);
    if (ageMs > 0) fs.utimesSync(file, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
  };
  const record = (pid: number, overrides: Partial<LockRecord> = {}): string =>
    JSON.stringify({ pid, startTime: startTimeOf(pid), bootId: bootId(), execPath: process.execPath, token: randomUUID(), ...overrides });

  it('records the PID, start time, boot id and a token, and removes the lock on a clean stop', async () => {
    const dataDir = dir();
    const { child } = await spawned(dataDir);
    const lock = readLock(dataDir)!;
    expect(lock).toMatchObject({ pid: child.pid, startTime: startTimeOf(child.pid!), bootId: bootId(), execPath: process.execPath });
    expect(lock.token).toMatch(/^[0-9a-f-]{36}$/);
    child.kill('SIGTERM');
    await exited(child);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a broker killed with SIGKILL', async () => {
    const dataDir = dir();
    const first = await spawned(dataDir);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(readLock(dataDir)?.pid).toBe(first.child.pid);

    const second = await spawned(dataDir);
    expect(readLock(dataDir)?.pid).toBe(second.child.pid);
    const conn = await RawConnection.connect(second.port);
    expect(await rawProduce(conn, 'after.kill', 0, encodeRecordBatch([{ value: Buffer.from('x') }]))).toEqual([0, 0]);
    conn.close();
  });

  it('still refuses a second broker, in another process or this one, while the first runs', async () => {
    const dataDir = dir();
    const { child } = await spawned(dataDir);
    await expect(spawnBroker(dataDir)).rejects.toThrow(`data directory ${dataDir} is in use by process ${child.pid}`);
    await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow(`in use by process ${child.pid}`);
    expect(readLock(dataDir)?.pid).toBe(child.pid);
  });

  describe('when the recorded PID belongs to an unrelated live process', () => {
    let sleeper: ChildProcess;
    let idleNode: ChildProcess;
    beforeAll(async () => {
      sleeper = await idle('sleep', ['30']);
      idleNode = await idle(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    });
    afterAll(async () => {
      for (const c of [sleeper, idleNode]) {
        c.kill('SIGKILL');
        await exited(c);
      }
    });

    const HOUR = 3600_000;
    it.each([
      { case: 'a bare PID (older brokers) naming a process that is not node', lock: () => String(sleeper.pid), ageMs: 0 },
      { case: 'a bare PID naming a node process started after the lock was written', lock: () => String(idleNode.pid), ageMs: HOUR },
      { case: 'a PID whose process started at another time (PID reuse)', lock: () => record(idleNode.pid!, { startTime: '1' }), ageMs: 0 },
      { case: 'a lock written before the last reboot', lock: () => record(idleNode.pid!, { bootId: randomUUID() }), ageMs: 0 },
      { case: 'a PID and start time whose process does not run node', lock: () => record(sleeper.pid!), ageMs: 0 },
    ])('takes over $case', async ({ lock, ageMs }) => {
      const dataDir = dir();
      writeLock(dataDir, lock(), ageMs);
      const broker = await startBroker({ port: 0, dataDir, logger: quietLogger });
      cleanups.push(() => broker.stop());
      expect(readLock(dataDir)).toMatchObject({ pid: process.pid, startTime: startTimeOf(process.pid) });
      await broker.stop();
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    });

    it('refuses a lock that names a live node process with its own start time', async () => {
      const dataDir = dir();
      writeLock(dataDir, record(idleNode.pid!));
      await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow(`in use by process ${idleNode.pid}`);
      expect(readLock(dataDir)?.pid).toBe(idleNode.pid);
    });

    it('refuses a bare-PID lock of a live node process that started before it was written', async () => {
      const dataDir = dir();
      writeLock(dataDir, String(idleNode.pid));
      await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow(`in use by process ${idleNode.pid}`);
    });
  });

  it('takes over a lock naming this process with another start time, as after a container restart', async () => {
    const dataDir = dir();
    writeLock(dataDir, record(process.pid, { startTime: '1' }));
    const broker = await startBroker({ port: 0, dataDir, logger: quietLogger });
    cleanups.push(() => broker.stop());
    expect(readLock(dataDir)?.startTime).toBe(startTimeOf(process.pid));
  });

  it('refuses a lock this process holds through another copy of the broker', async () => {
    const dataDir = dir();
    writeLock(dataDir, record(process.pid));
    await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow(`in use by process ${process.pid}`);
  });

  it('takes over an unreadable lock file once it is old, and refuses one still being written', async () => {
    const dataDir = dir();
    writeLock(dataDir, '');
    await expect(startBroker({ port: 0, dataDir, logger: quietLogger })).rejects.toThrow('is being claimed by another broker');
    writeLock(dataDir, 'not a lock', 60_000);
    const broker = await startBroker({ port: 0, dataDir, logger: quietLogger });
    cleanups.push(() => broker.stop());
    expect(readLock(dataDir)?.pid).toBe(process.pid);
  });

  it('leaves a lock it no longer owns in place when it stops', async () => {
    const dataDir = dir();
    const broker = await startBroker({ port: 0, dataDir, logger: quietLogger });
    const other = record(process.pid, { token: randomUUID() });
    writeLock(dataDir, other);
    await broker.stop();
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(other);
  });
});
