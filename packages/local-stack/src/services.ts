import { createRequire } from 'node:module';
import { PartStartError } from './errors';
import type { LocalCloud } from './cloud';
import { localAws } from './cloud';
import { launchServices, type ComposeService, type RunningService } from './services-host';

export {
  launchComposeServices,
  launchServices,
  readCompose,
  type ComposeService,
  type LaunchedServices,
  type RunningService,
  type ServicesHost,
  type ServicesOptions,
} from './services-host';

/**
 * The environment a service's `local` stage reads its endpoints and resource
 * names from; other stages read the same values from SSM parameters.
 */
export function serviceEnvironment(cloud: LocalCloud): Record<string, string> {
  const table = (module: string): string => {
    const name = cloud.tables[module];
    if (!name) throw new PartStartError('services', `infra/platform defines no ${module}`);
    return name;
  };
  return {
    MXFLOW_STAGE: 'local',
    MXFLOW_DYNAMODB_ENDPOINT: cloud.endpoints.dynamodb,
    MXFLOW_S3_ENDPOINT: cloud.endpoints.s3,
    MXFLOW_SNS_ENDPOINT: cloud.endpoints.sns,
    MXFLOW_KAFKA_BROKERS: cloud.endpoints.kafka,
    MXFLOW_AUTH_ISSUER: cloud.endpoints.issuer,
    MXFLOW_AUTH_JWKS_URI: cloud.endpoints.jwksUri,
    MXFLOW_AUTH_AUDIENCE: cloud.endpoints.audience,
    MXFLOW_TABLE_MAPPING: table('mapping_table'),
    MXFLOW_TABLE_ENTITY: table('entity_table'),
    MXFLOW_TABLE_TRANSACTION: table('transaction_table'),
    MXFLOW_TABLE_LIQUIDITY: table('liquidity_table'),
    MXFLOW_TABLE_IDEMPOTENCY: table('idempotency_table'),
    MXFLOW_TABLE_USAGE: table('usage_table'),
    MXFLOW_TABLE_DEADLETTER: table('deadletter_table'),
    MXFLOW_TABLE_AUDIT: table('audit_table'),
    MXFLOW_ARCHIVE_BUCKET: cloud.archiveBucket,
    MXFLOW_NOTIFICATION_TOPIC_ARN: cloud.notificationTopicArn,
    AWS_REGION: localAws.region,
    AWS_ACCESS_KEY_ID: localAws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localAws.credentials.secretAccessKey,
  };
}

/** The Serverless Framework CLI (osls) installed with the project. */
export function serverlessBin(): string {
  return createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
}

/**
 * Starts one service under serverless-offline (in a services host of its
 * own) and resolves when it answers.
 */
export async function startService(service: ComposeService, env: Readonly<Record<string, string>>, output: (line: string) => void): Promise<RunningService> {
  const host = launchServices([service], { output, restart: false });
  try {
    const [running] = await host.start(env);
    return running;
  } catch (error) {
    await host.stop();
    throw error;
  }
}
