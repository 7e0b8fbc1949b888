import { readAwsConfig, readKafkaConfig, requireEnv, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/** Everything the settlement function reads from its environment. */
export interface Pacs008Config extends AwsConfig, KafkaConfig {
  readonly entityTable: string;
  readonly transactionTable: string;
  readonly liquidityTable: string;
  readonly deadLetterTable: string;
  /** Where low-balance alerts go. */
  readonly notificationTopicArn: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pacs008Config {
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    liquidityTable: requireEnv('LIQUIDITY_TABLE', env),
    deadLetterTable: requireEnv('DEADLETTER_TABLE', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
  };
}
