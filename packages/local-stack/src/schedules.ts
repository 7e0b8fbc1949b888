import type { RunningService } from './services';

/** Scheduled functions being run on an interval. */
export interface LocalSchedules {
  /** Stops the intervals and waits for runs in progress; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Runs each scheduled function (a `schedule` event, which serverless-offline
 * does not run) every `intervalMs`, through serverless-offline's Lambda
 * invoke endpoint, with the event a schedule gives. A run that is still going
 * when the next one is due is not overlapped; a failed run is reported and
 * the next one comes as planned.
 */
export function runSchedules(
  targets: readonly { readonly service: RunningService; readonly functionName: string }[],
  intervalMs: number,
  report: (line: string) => void,
): LocalSchedules {
  const running = new Set<Promise<void>>();
  const timers = targets.map(({ service, functionName }) => {
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      const run = (async () => {
        try {
          const response = await fetch(`${service.lambda}/2015-03-31/functions/${functionName}/invocations`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), region: 'local', resources: [], detail: {} }),
            signal: AbortSignal.timeout(Math.max(30_000, intervalMs)),
          });
          const text = await response.text();
          if (!response.ok || response.headers.get('x-amz-function-error')) report(`${functionName} failed: ${response.status} ${text.slice(0, 300)}`);
        } catch (error) {
          report(`${functionName} could not run: ${(error as Error).message}`);
        } finally {
          busy = false;
        }
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }, intervalMs);
  });
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        for (const timer of timers) clearInterval(timer);
        await Promise.allSettled([...running]);
      })()),
  };
}
