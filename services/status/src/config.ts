import { readAuthConfig, readAwsConfig, requireEnv, type AuthConfig, type AwsConfig } from '@mxflow/runtime';

/** Everything the Status API reads from its environment. */
export interface StatusConfig extends AwsConfig, AuthConfig {
  readonly mappingTable: string;
  readonly transactionTable: string;
  readonly entityTable: string;
  readonly liquidityTable: string;
  readonly archiveBucket: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): StatusConfig {
  return {
    ...readAwsConfig(env),
    ...readAuthConfig(env),
    mappingTable: requireEnv('MAPPING_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    liquidityTable: requireEnv('LIQUIDITY_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
  };
}
