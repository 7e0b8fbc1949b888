/**
 * The Lambda entry point. Terraform invokes it with the topic map on every
 * apply that changes the map or the function; `aws lambda invoke` re-runs it.
 * It runs in the stage's private subnets and signs in to MSK with its role.
 */
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import type { KafkaConnection, KafkaLogEntry, TopicReconciliation } from '@mxflow/store';
import { applyTopicMap } from './topics';

/** How the function authenticates: `iam` on MSK, `none` against the local broker. */
export const TopicAuth = { iam: 'iam', none: 'none' } as const;
export type TopicAuth = (typeof TopicAuth)[keyof typeof TopicAuth];

/** The function's configuration, from its environment. */
export interface TopicFunctionConfig {
  brokers: string[];
  auth: TopicAuth;
  region: string | undefined;
}

/** Reads the environment; a missing or invalid variable throws an error naming it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): TopicFunctionConfig {
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((broker) => broker.trim()).filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: the bootstrap brokers, comma-separated');
  const auth = (env.KAFKA_AUTH ?? TopicAuth.iam) as TopicAuth;
  if (!Object.values(TopicAuth).includes(auth)) throw new Error(`KAFKA_AUTH must be iam or none, not ${auth}`);
  if (auth === TopicAuth.iam && !env.AWS_REGION) throw new Error('AWS_REGION is not set: the MSK IAM signer needs it');
  return { brokers, auth, region: env.AWS_REGION };
}

function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
}

/** The connection the config describes: TLS and SASL/OAUTHBEARER signed by the role on MSK. */
export function connectionOf(config: TopicFunctionConfig): KafkaConnection {
  return {
    brokers: config.brokers,
    clientId: 'mxflow-kafka-topics',
    // A first apply may invoke the function while the cluster's endpoints settle.
    connectionTimeoutMs: 10_000,
    onLog: (entry: KafkaLogEntry) => log(entry.level, entry.message),
    ...(config.auth === TopicAuth.iam
      ? {
          ssl: true,
          sasl: {
            mechanism: 'oauthbearer' as const,
            oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region: config.region ?? '' })).token }),
          },
        }
      : {}),
  };
}

const config = readConfig();

/** Applies the topic map of the event; logs and returns what it did. A failure fails the invocation (and the apply). */
export async function handler(event: unknown): Promise<TopicReconciliation> {
  const report = await applyTopicMap(connectionOf(config), event);
  log('info', 'topic map applied', {
    created: report.created.length,
    raised: report.raised.length,
    unchanged: report.unchanged.length,
    notLowered: report.notLowered.length,
    report,
  });
  for (const topic of report.notLowered) {
    log('warn', `topic ${topic.topic} keeps its ${topic.partitions} partitions: the map asks ${topic.requested}, and Kafka never lowers a count`);
  }
  return report;
}
