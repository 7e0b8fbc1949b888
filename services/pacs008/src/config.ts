import { optionalEnv, readAwsConfig, readKafkaConfig, requireEnv, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/** Everything the settlement function reads from its environment. */
export interface Pacs008Config extends AwsConfig, KafkaConfig {
  readonly entityTable: string;
  readonly transactionTable: string;
  readonly liquidityTable: string;
  /**
   * Fault injection for the crash tests (`MXFLOW_FAULTS`): `pacs008:crash-after-posting:<prefix>`
   * fails the first delivery of a payment whose first EndToEndId starts with the prefix,
   * after its liquidity moved and before anything was published.
   */
  readonly crashAfterPostingPrefix?: string;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pacs008Config {
  const fault = /(?:^|,)pacs008:crash-after-posting:([^,]+)/.exec(optionalEnv('MXFLOW_FAULTS', env) ?? '');
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    liquidityTable: requireEnv('LIQUIDITY_TABLE', env),
    ...(fault ? { crashAfterPostingPrefix: fault[1] } : {}),
  };
}
