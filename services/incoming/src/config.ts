import { parseSlaRules, type SlaRule } from '@mxflow/contracts';
import {
  optionalEnv,
  positiveIntEnv,
  readAuthConfig,
  readAwsConfig,
  readKafkaConfig,
  requireEnv,
  type AuthConfig,
  type AwsConfig,
  type KafkaConfig,
} from '@mxflow/runtime';

/** Everything the submit function reads from its environment. */
export interface IncomingConfig extends AwsConfig, KafkaConfig, AuthConfig {
  readonly mappingTable: string;
  readonly entityTable: string;
  readonly transactionTable: string;
  /** Powertools idempotency records. */
  readonly idempotencyTable: string;
  readonly archiveBucket: string;
  /** Largest accepted message in bytes. */
  readonly maxMessageBytes: number;
  /** Counts of archive bytes per participant and hour. */
  readonly usageTable: string;
  /** What one participant may archive per hour, in bytes. */
  readonly archiveQuotaBytesPerHour: number;
  /** How long each message type (and scheme) may stay open (`SLA_RULES`). */
  readonly slaRules: readonly SlaRule[];
}

/** SEPA Instant's 10 s for payments; FedNow (clearing system FDN) gives 20 s. */
export const DEFAULT_SLA_RULES = 'pacs.008=10s, pacs.008@FDN=20s, pain.001=60s, pain.013=86400s, *=30s';

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): IncomingConfig {
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    ...readAuthConfig(env),
    mappingTable: requireEnv('MAPPING_TABLE', env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    idempotencyTable: requireEnv('IDEMPOTENCY_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
    maxMessageBytes: positiveIntEnv('MAX_MESSAGE_BYTES', 1024 * 1024, env),
    usageTable: requireEnv('USAGE_TABLE', env),
    archiveQuotaBytesPerHour: positiveIntEnv('ARCHIVE_QUOTA_BYTES_PER_HOUR', 100 * 1024 * 1024, env),
    slaRules: parseSlaRules(optionalEnv('SLA_RULES', env) ?? DEFAULT_SLA_RULES),
  };
}
