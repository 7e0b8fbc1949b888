import { positiveIntEnv, readConsumerConfig, requireEnv, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the sweep reads from its environment. */
export interface TimeoutConfig extends ConsumerConfig {
  readonly archiveBucket: string;
  /** How many overdue transactions one sweep takes on (`TIMEOUT_SWEEP_LIMIT`, default 200). */
  readonly sweepLimit: number;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): TimeoutConfig {
  return { ...readConsumerConfig(env), archiveBucket: requireEnv('ARCHIVE_BUCKET', env), sweepLimit: positiveIntEnv('TIMEOUT_SWEEP_LIMIT', 200, env) };
}
