import { optionalEnv, readConsumerConfig, requireEnvs, type ConsumerConfig } from '@mxflow/runtime';
import { parseCutoff } from './domain/statements';

/** Everything the account report function reads from its environment. */
export interface Camt060Config extends ConsumerConfig {
  readonly entityTable: string;
  readonly liquidityTable: string;
  readonly archiveBucket: string;
  /** Where statements are notified. */
  readonly notificationTopicArn: string;
  /** The business day's cut-off, ms after UTC midnight (STATEMENT_CUTOFF, `HH:MM` UTC, midnight by default). */
  readonly statementCutoffMs: number;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Camt060Config {
  return {
    ...readConsumerConfig(env),
    ...requireEnvs({ entityTable: 'ENTITY_TABLE', liquidityTable: 'LIQUIDITY_TABLE', archiveBucket: 'ARCHIVE_BUCKET', notificationTopicArn: 'NOTIFICATION_TOPIC_ARN' }, env),
    statementCutoffMs: parseCutoff(optionalEnv('STATEMENT_CUTOFF', env)),
  };
}
