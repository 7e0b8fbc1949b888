import { readConsumerConfig, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the cancellation function reads from its environment: the consumer's tables. */
export type Camt056Config = ConsumerConfig;

/** Reads the configuration. Call once, at module scope. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env): Camt056Config => readConsumerConfig(env);
