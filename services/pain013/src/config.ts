import { readConsumerConfig, requireEnvs, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the request-to-pay functions read from their environment. */
export interface Pain013Config extends ConsumerConfig {
  readonly entityTable: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pain013Config {
  return { ...readConsumerConfig(env), ...requireEnvs({ entityTable: 'ENTITY_TABLE' }, env) };
}
