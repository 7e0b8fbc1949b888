import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');

/** PIDs still alive in a process group. */
function processGroupMembers(pgid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, group]) => group === pgid && pid !== undefined)
    .map(([pid]) => pid);
}

/** PIDs of a process group whose command line matches. */
function groupMembers(pgid: number, command: RegExp): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === pgid && command.test(match[3]))
    .map((match) => Number(match[1]));
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

// Runs the README's command as a user would: pnpm dev --fresh, in its own
// process group, so that Ctrl-C can be sent to the whole group.
function pnpm(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const execpath = process.env.npm_execpath;
  const [command, prefix] = execpath && /pnpm/.test(execpath) ? [process.execPath, [execpath]] : ['npx', ['-y', 'pnpm@10.34.8']];
  return spawn(command, [...prefix, ...args], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('pnpm dev', () => {
  let stateDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-dev-'));
  });

  afterAll(async () => {
    if (child?.pid && processGroupMembers(child.pid).length) process.kill(-child.pid, 'SIGKILL');
    await rm(stateDir, { recursive: true, force: true });
  });

  it('prints a line per part, then the ready block, and nothing more while idle; answers every health URL; refuses a second start on its state; restarts a services host that dies; leaves no process after Ctrl-C', async () => {
    child = pnpm(['dev', '--fresh', '--state-dir', stateDir], { ...process.env, FORCE_COLOR: '0' });
    const pgid = child.pid as number;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready block within 120 s:\n${output}`)), 120_000);
      const onData = () => {
        // The block is written at once; its last line names the log file.
        if (/^mxflow ready in [\d.]+ s/m.test(output) && /^ {2}log {2,}/m.test(output)) {
          clearTimeout(timer);
          child?.stdout?.off('data', onData);
          resolve();
        }
      };
      child?.stdout?.on('data', onData);
      child?.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`pnpm dev exited ${code} before ready:\n${output}`));
      });
    });
    const ready = JSON.parse(await readFile(path.join(stateDir, 'ready.json'), 'utf8')) as Record<string, unknown>;
    const block = output.slice(output.indexOf('mxflow ready in'));
    // Readable: the API, the console, a token command through the API, each participant on its own line.
    expect(block).toContain(`  API           ${String(ready.api)}\n`);
    expect(block).toContain(`${String(ready.api)}/oauth2/token`);
    for (const participant of ready.participants as { clientId: string }[]) expect(block).toMatch(new RegExp(`^ {4}\\S+ .*client ${participant.clientId} `, 'm'));
    // One progress line per service before it, none of serverless-offline's own output.
    const start = output.slice(0, output.indexOf('mxflow ready in'));
    for (const service of ['incoming', 'pacs008', 'outgoing', 'status', 'timeout', 'admin']) expect(start).toMatch(new RegExp(`^ +[\\d.]+ s {2}${service} ready`, 'm'));
    expect(output).not.toMatch(/Offline \[http for lambda\]|λ: sweep|Starting Offline/);

    expect(Object.keys(ready)).toEqual(
      expect.arrayContaining([
        'api',
        'tokenUrl',
        'issuer',
        'audience',
        'dynamodb',
        's3',
        'archiveBucket',
        'sns',
        'notificationTopicArn',
        'kafka',
        'health',
        'participants',
      ]),
    );
    const participants = ready.participants as { entityId: string; bic: string; clientId: string; clientSecret: string }[];
    expect(participants.length).toBeGreaterThanOrEqual(3);
    const health = ready.health as Record<string, string>;
    expect(Object.keys(health)).toEqual(expect.arrayContaining(['dynamodb', 's3', 'sns', 'oauth', 'kafka']));
    for (const [part, url] of Object.entries(health)) {
      const response = await fetch(url);
      expect({ part, status: response.status }).toEqual({ part, status: 200 });
      await response.body?.cancel();
    }

    // A participant gets a token from the advertised token URL.
    const [alpha] = participants;
    const token = await fetch(String(ready.tokenUrl), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${alpha.clientId}:${alpha.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'payments/write', resource: String(ready.audience) }),
    });
    expect(token.status).toBe(200);
    await token.body?.cancel();

    // Idle (the sweep runs every second): nothing more reaches the terminal; it goes to the log.
    const printed = output.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(output.slice(printed)).toBe('');
    expect(await readFile(path.join(stateDir, 'logs', 'platform.log'), 'utf8')).toMatch(/λ: sweep/);

    // A second pnpm dev on the same state is refused: two DynamoDB Locals never write the same files.
    const second = pnpm(['dev', '--state-dir', stateDir], { ...process.env, FORCE_COLOR: '0' });
    let refusal = '';
    second.stderr?.on('data', (chunk: Buffer) => (refusal += chunk.toString('utf8')));
    second.stdout?.resume();
    expect(await exitOf(second)).not.toBe(0);
    expect(refusal).toMatch(/another pnpm dev \(pid \d+\) runs on/);

    // A services host that dies is started again, says so, and its services answer again.
    const [host] = groupMembers(pgid, /offline-host\.mjs/);
    expect(host).toBeGreaterThan(0);
    process.kill(host, 'SIGKILL');
    const restartBy = Date.now() + 60_000;
    while (!/restarted in \d+ ms/.test(output.slice(printed)) && Date.now() < restartBy) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output.slice(printed)).toMatch(/services host of .* exited \(SIGKILL\); restarting it[^]*restarted in \d+ ms/);
    for (const [part, url] of Object.entries(health)) {
      const response = await fetch(url);
      expect({ part, status: response.status }).toEqual({ part, status: 200 });
      await response.body?.cancel();
    }

    process.kill(-pgid, 'SIGINT');
    await exitOf(child);
    const deadline = Date.now() + 20_000;
    while (processGroupMembers(pgid).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processGroupMembers(pgid)).toEqual([]);
    for (const url of Object.values(health)) await expect(fetch(url)).rejects.toThrow();
  }, 180_000);

  it('names the part that fails to start, exits non-zero and leaves no process', async () => {
    const broken = await mkdtemp(path.join(os.tmpdir(), 'mxflow-dev-broken-'));
    // The broker's data directory is a file, so the broker cannot start.
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, 'kafka'), 'not a directory');
    const failing = pnpm(['dev', '--state-dir', broken], { ...process.env, FORCE_COLOR: '0' });
    let stderr = '';
    failing.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    failing.stdout?.resume();
    const code = await exitOf(failing);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/kafka failed to start/);
    const deadline = Date.now() + 10_000;
    while (processGroupMembers(failing.pid as number).length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processGroupMembers(failing.pid as number)).toEqual([]);
    await rm(broken, { recursive: true, force: true });
  }, 120_000);
});
