import { readAwsConfig, requireEnv, type AwsConfig } from '@mxflow/runtime';

/** Everything the outgoing function reads from its environment. */
export interface OutgoingConfig extends AwsConfig {
  readonly transactionTable: string;
  readonly archiveBucket: string;
  readonly notificationTopicArn: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): OutgoingConfig {
  return {
    ...readAwsConfig(env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
  };
}
