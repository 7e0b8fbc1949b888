import { readAwsConfig, readKafkaConfig, requireEnv, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/** Everything the outgoing function reads from its environment. */
export interface OutgoingConfig extends AwsConfig, KafkaConfig {
  readonly transactionTable: string;
  readonly archiveBucket: string;
  readonly notificationTopicArn: string;
  readonly deadLetterTable: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): OutgoingConfig {
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
    deadLetterTable: requireEnv('DEADLETTER_TABLE', env),
  };
}
