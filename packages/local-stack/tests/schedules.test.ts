import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { nextDueOf, nextRunAt, runSchedules, wakesOf, type LocalSchedules } from '../src/schedules';
import type { RunningService } from '../src/services';

describe('nextDueOf', () => {
  it("reads a function's nextDueAt: a time, null for nothing to do, undefined when it says nothing of the kind", () => {
    expect(nextDueOf('{"timedOut":[],"nextDueAt":"2026-01-01T00:00:10.000Z"}')).toBe('2026-01-01T00:00:10.000Z');
    expect(nextDueOf('{"timedOut":[],"nextDueAt":null}')).toBeNull();
    expect(nextDueOf('{"timedOut":[]}')).toBeUndefined();
    expect(nextDueOf('{"nextDueAt":"soon"}')).toBeUndefined();
    expect(nextDueOf('null')).toBeUndefined();
    expect(nextDueOf('not json')).toBeUndefined();
  });
});

describe('wakesOf', () => {
  it('lets messages wake a function unless it answers wake: false', () => {
    expect(wakesOf('{"nextDueAt":null}')).toBe(true);
    expect(wakesOf('{"nextDueAt":"2026-01-01T00:00:00.000Z","wake":false}')).toBe(false);
    expect(wakesOf('{"wake":true}')).toBe(true);
    expect(wakesOf('not json')).toBe(true);
  });
});

describe('nextRunAt', () => {
  const timing = { intervalMs: 1_000, idleMs: 60_000 };
  it('runs at the time asked for, no sooner than the interval and no later than the idle bound', () => {
    expect(nextRunAt(0, new Date(5_000).toISOString(), timing)).toBe(5_000);
    expect(nextRunAt(0, new Date(10).toISOString(), timing)).toBe(1_000);
    expect(nextRunAt(0, new Date(600_000).toISOString(), timing)).toBe(60_000);
    expect(nextRunAt(0, null, timing)).toBe(60_000);
    expect(nextRunAt(0, undefined, timing)).toBe(1_000);
  });
});

describe('runSchedules, through a Lambda invoke endpoint over HTTP', () => {
  let server: Server;
  let answer: () => unknown;
  const runs: number[] = [];
  let service: RunningService;
  let schedules: LocalSchedules | undefined;
  let listener: (() => void) | undefined;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        runs.push(Date.now());
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = { name: 'timeout', lambda: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid, stop: async () => {} };
  });

  afterEach(async () => {
    await schedules?.stop();
    schedules = undefined;
    runs.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** Waits until `count` runs happened, or fails after `ms`. */
  async function runsReach(count: number, ms = 5_000): Promise<void> {
    const until = Date.now() + ms;
    while (runs.length < count) {
      if (Date.now() > until) throw new Error(`${runs.length} runs, not ${count}, within ${ms} ms`);
      await sleep(20);
    }
  }

  const start = (intervalMs: number, idleMs: number) =>
    runSchedules([{ service, functionName: 'timeout-local-sweep' }], { intervalMs, idleMs, wake: (wake) => ((listener = wake), () => (listener = undefined)) }, () => {});

  it('does not run a function that has nothing to do until something wakes it, then runs it once', async () => {
    answer = () => ({ nextDueAt: null });
    schedules = start(100, 60_000);
    await runsReach(1);
    await sleep(600);
    expect(runs).toHaveLength(1);
    listener?.();
    listener?.();
    await runsReach(2);
    await sleep(300);
    expect(runs).toHaveLength(2);
  });

  it('does not wake a function that answered wake: false; it runs when due', async () => {
    answer = () => ({ nextDueAt: new Date(Date.now() + 800).toISOString(), wake: false });
    schedules = start(100, 60_000);
    await runsReach(1);
    // A wake while the run is still in flight rightly asks for another run (the run may have missed what
    // woke it): this one comes once the answer is in.
    await sleep(200);
    listener?.();
    await sleep(300);
    expect(runs).toHaveLength(1);
    await runsReach(2);
    expect(runs[1]! - runs[0]!).toBeGreaterThanOrEqual(780);
  });

  it('runs a function again when it said it is due', async () => {
    answer = () => ({ nextDueAt: new Date(Date.now() + 400).toISOString() });
    schedules = start(100, 60_000);
    // The first after 100 ms, then every 400 ms, not every 100.
    await runsReach(3);
    for (let index = 1; index < runs.length; index += 1) expect(runs[index]! - runs[index - 1]!).toBeGreaterThanOrEqual(380);
  });

  it('runs a function that says nothing of when it is due every interval, as a schedule does', async () => {
    answer = () => ({ done: true });
    schedules = start(100, 60_000);
    await runsReach(4, 3_000);
  });

  it('runs no more once stopped', async () => {
    answer = () => ({ nextDueAt: null });
    schedules = start(50, 60_000);
    await sleep(200);
    await schedules.stop();
    const seen = runs.length;
    listener?.();
    await sleep(200);
    expect(runs).toHaveLength(seen);
  });
});
