import { readConsumerConfig, requireEnv, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the cancellation function reads from its environment. */
export interface Camt056Config extends ConsumerConfig {
  /** Where the cancelled payment, as received, is archived. */
  readonly archiveBucket: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Camt056Config {
  return { ...readConsumerConfig(env), archiveBucket: requireEnv('ARCHIVE_BUCKET', env) };
}
