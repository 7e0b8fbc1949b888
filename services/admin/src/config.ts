import { oneOf, optionalEnv, readAuthConfig, readAwsConfig, readKafkaConfig, requireEnv, type AuthConfig, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/**
 * Who issues the clients' secrets. `platform`: the admin API does, keeping a
 * hash on the mapping, and the local OAuth server reads it there (one
 * machine). `cognito`: Terraform's Cognito app clients hold them (AWS); the
 * admin API issues none.
 */
export const ClientSecretIssuer = { platform: 'platform', cognito: 'cognito' } as const;
/** One of {@link ClientSecretIssuer}. */
export type ClientSecretIssuer = (typeof ClientSecretIssuer)[keyof typeof ClientSecretIssuer];

/** Everything the admin API reads from its environment. */
export interface AdminConfig extends AwsConfig, AuthConfig, KafkaConfig {
  readonly mappingTable: string;
  readonly entityTable: string;
  readonly liquidityTable: string;
  /** The transaction table and the archive, which reconciliation reads. */
  readonly transactionTable: string;
  readonly archiveBucket: string;
  readonly auditTable: string;
  readonly deadLetterTable: string;
  readonly notificationTopicArn: string;
  readonly clientSecretIssuer: ClientSecretIssuer;
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
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
    auditTable: requireEnv('AUDIT_TABLE', env),
    deadLetterTable: requireEnv('DEADLETTER_TABLE', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
    // Unset means AWS: issuing secrets is something a stage opts into, never falls into.
    clientSecretIssuer: oneOf('CLIENT_SECRET_ISSUER', optionalEnv('CLIENT_SECRET_ISSUER', env) ?? ClientSecretIssuer.cognito, ClientSecretIssuer),
  };
}
