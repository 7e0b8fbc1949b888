import { readAuthConfig, readAwsConfig, readKafkaConfig, requireEnv, type AuthConfig, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/** Everything the admin API reads from its environment. */
export interface AdminConfig extends AwsConfig, AuthConfig, KafkaConfig {
  readonly mappingTable: string;
  readonly entityTable: string;
  readonly liquidityTable: string;
  readonly auditTable: string;
  readonly deadLetterTable: string;
  readonly notificationTopicArn: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): AdminConfig {
  return {
    ...readAwsConfig(env),
    ...readAuthConfig(env),
    ...readKafkaConfig(env),
    mappingTable: requireEnv('MAPPING_TABLE', env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    liquidityTable: requireEnv('LIQUIDITY_TABLE', env),
    auditTable: requireEnv('AUDIT_TABLE', env),
    deadLetterTable: requireEnv('DEADLETTER_TABLE', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
  };
}
