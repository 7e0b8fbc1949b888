import type { RunningService } from './services';

/** Scheduled functions being run. */
export interface LocalSchedules {
  /** Stops the timers and waits for runs in progress; safe to call twice. */
  stop(): Promise<void>;
}

/** How often {@link runSchedules} runs a function, at most and at least. */
export interface ScheduleTiming {
  /** The shortest time between two runs of a function (its cadence while it has work). */
  readonly intervalMs: number;
  /** The longest time between two runs of a function that says it has nothing to do (AWS runs the sweep every minute). */
  readonly idleMs: number;
  /**
   * Calls back on each event that may give a function work (a new message on
   * the broker); a function that has nothing to do runs again at the next one,
   * no sooner than `intervalMs` after its last run. Returns what stops it.
   */
  readonly wake?: (listener: () => void) => () => void;
}

/**
 * When a run's result asks to run again: a function may answer with
 * `nextDueAt`, an ISO time, or `null` for "nothing to do until woken".
 * Undefined when it says neither (it then runs every `intervalMs`).
 */
export function nextDueOf(body: string): string | null | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null || !('nextDueAt' in parsed)) return undefined;
    const due = (parsed as { nextDueAt: unknown }).nextDueAt;
    if (due === null) return null;
    return typeof due === 'string' && !Number.isNaN(Date.parse(due)) ? due : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a run's result lets a message wake the function: not when it
 * answers `"wake": false` (a function whose work comes with the clock, such
 * as closing the business day, not with messages).
 */
export function wakesOf(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as unknown;
    return !(typeof parsed === 'object' && parsed !== null && 'wake' in parsed && (parsed as { wake: unknown }).wake === false);
  } catch {
    return true;
  }
}

/** When the next run comes, `ranAt` being when the last one started. */
export function nextRunAt(ranAt: number, due: string | null | undefined, timing: Pick<ScheduleTiming, 'intervalMs' | 'idleMs'>): number {
  if (due === undefined) return ranAt + timing.intervalMs;
  if (due === null) return ranAt + timing.idleMs;
  return Math.min(ranAt + timing.idleMs, Math.max(ranAt + timing.intervalMs, Date.parse(due)));
}

/**
 * Runs each scheduled function (a `schedule` event, which serverless-offline
 * does not run) through serverless-offline's Lambda invoke endpoint, with the
 * event a schedule gives. A function that answers with `nextDueAt` runs again
 * then (within `intervalMs` and `idleMs`), and at the next wake-up when that
 * is sooner: an idle platform does not poll. A function that answers nothing
 * of the kind runs every `intervalMs`. Runs never overlap; a failed run is
 * reported and the next one comes `intervalMs` later.
 */
export function runSchedules(
  targets: readonly { readonly service: RunningService; readonly functionName: string }[],
  timing: ScheduleTiming,
  report: (line: string) => void,
): LocalSchedules {
  const running = new Set<Promise<void>>();
  let stopped = false;
  const loops = targets.map(({ service, functionName }) => {
    let timer: NodeJS.Timeout | undefined;
    let plannedAt = Infinity;
    let ranAt = -Infinity;
    let busy = false;
    let woken = false;
    const plan = (at: number) => {
      if (stopped) return;
      clearTimeout(timer);
      plannedAt = at;
      timer = setTimeout(start, Math.max(0, at - Date.now()));
    };
    // Until a run says otherwise, a message wakes the function.
    let wakeable = true;
    const invoke = async (): Promise<string | null | undefined> => {
      try {
        const response = await fetch(`${service.lambda}/2015-03-31/functions/${functionName}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), region: 'local', resources: [], detail: {} }),
          signal: AbortSignal.timeout(Math.max(30_000, timing.intervalMs)),
        });
        const text = await response.text();
        if (!response.ok || response.headers.get('x-amz-function-error')) {
          report(`${functionName} failed: ${response.status} ${text.slice(0, 300)}`);
          return undefined;
        }
        wakeable = wakesOf(text);
        return nextDueOf(text);
      } catch (error) {
        report(`${functionName} could not run: ${(error as Error).message}`);
        return undefined;
      }
    };
    function start(): void {
      if (stopped || busy) return;
      busy = true;
      woken = false;
      plannedAt = Infinity;
      ranAt = Date.now();
      const run = (async () => {
        const due = await invoke();
        busy = false;
        // Woken while it ran: what woke it may not have been seen by this run.
        plan(woken ? ranAt + timing.intervalMs : nextRunAt(ranAt, due, timing));
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
    const wake = () => {
      if (!wakeable) return;
      if (busy) {
        woken = true;
        return;
      }
      const soonest = Math.max(Date.now(), ranAt + timing.intervalMs);
      if (soonest < plannedAt) plan(soonest);
    };
    plan(Date.now() + timing.intervalMs);
    return { wake, stop: () => clearTimeout(timer) };
  });
  const unsubscribe = timing.wake?.(() => {
    for (const loop of loops) loop.wake();
  });
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        stopped = true;
        unsubscribe?.();
        for (const loop of loops) loop.stop();
        await Promise.allSettled([...running]);
      })()),
  };
}
