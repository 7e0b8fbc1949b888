import { parseSlaRules, type SlaRule } from '@mxflow/contracts';
import { optionalEnv, readConsumerConfig, requireEnvs, type ConsumerConfig } from '@mxflow/runtime';

/** Everything the pain.001 functions read from their environment. */
export interface Pain001Config extends ConsumerConfig {
  readonly entityTable: string;
  readonly archiveBucket: string;
  /** The SLAs; the pacs.008 made from each transfer gets the one of its type. */
  readonly slaRules: readonly SlaRule[];
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pain001Config {
  return {
    ...readConsumerConfig(env),
    ...requireEnvs({ entityTable: 'ENTITY_TABLE', archiveBucket: 'ARCHIVE_BUCKET' }, env),
    slaRules: parseSlaRules(optionalEnv('SLA_RULES', env) ?? 'pacs.008=10s'),
  };
}
