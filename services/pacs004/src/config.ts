import { readConsumerConfig, requireEnv, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the return function reads from its environment. */
export interface Pacs004Config extends ConsumerConfig {
  readonly liquidityTable: string;
  /** Where low-balance alerts go. */
  readonly notificationTopicArn: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pacs004Config {
  return { ...readConsumerConfig(env), liquidityTable: requireEnv('LIQUIDITY_TABLE', env), notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env) };
}
