import { optionalEnv, readAwsConfig, readKafkaConfig, requireEnv, type AwsConfig, type KafkaConfig } from '@mxflow/runtime';

/** Everything the settlement function reads from its environment. */
export interface Pacs008Config extends AwsConfig, KafkaConfig {
  readonly entityTable: string;
  readonly transactionTable: string;
  readonly liquidityTable: string;
  readonly deadLetterTable: string;
  /** Where low-balance alerts go. */
  readonly notificationTopicArn: string;
  /**
   * Fault injection for the crash tests (`MXFLOW_FAULTS`): `pacs008:crash-after-posting:<prefix>`
   * fails the first delivery of a payment whose first EndToEndId starts with the prefix,
   * after its liquidity moved and before anything was published.
   */
  readonly crashAfterPostingPrefix?: string;
  /** `pacs008:fail-always:<prefix>` fails every delivery of such a payment before anything happens: the dead-letter tests. */
  readonly failAlwaysPrefix?: string;
  /** `pacs008:slow:<prefix>:<ms>` holds such a payment that long before settling it: the timeout race tests. */
  readonly slow?: { readonly prefix: string; readonly ms: number };
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Pacs008Config {
  const faults = optionalEnv('MXFLOW_FAULTS', env) ?? '';
  const fault = /(?:^|,)pacs008:crash-after-posting:([^,]+)/.exec(faults);
  const failAlways = /(?:^|,)pacs008:fail-always:([^,]+)/.exec(faults);
  const slow = /(?:^|,)pacs008:slow:([^,:]+):(\d+)/.exec(faults);
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    entityTable: requireEnv('ENTITY_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    liquidityTable: requireEnv('LIQUIDITY_TABLE', env),
    deadLetterTable: requireEnv('DEADLETTER_TABLE', env),
    notificationTopicArn: requireEnv('NOTIFICATION_TOPIC_ARN', env),
    ...(fault ? { crashAfterPostingPrefix: fault[1] } : {}),
    ...(failAlways ? { failAlwaysPrefix: failAlways[1] } : {}),
    ...(slow?.[1] ? { slow: { prefix: slow[1], ms: Number(slow[2]) } } : {}),
  };
}
