import { readConsumerConfig, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the status request function reads from its environment: the consumer's tables. */
export type Pacs028Config = ConsumerConfig;

/** Reads the configuration. Call once, at module scope. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Pacs028Config => readConsumerConfig(env);
