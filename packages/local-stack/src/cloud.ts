import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { startBroker, type RunningBroker } from '@mxflow/kafka-broker';
import { startLocalDynamoDb, type LocalDynamoDb } from '@mxflow/local-dynamodb';
import { DEFAULT_AUDIENCE, startLocalOAuth, type ClientRegistry, type LocalOAuth } from '@mxflow/local-oauth';
import { startLocalS3, type LocalS3Server } from '@mxflow/local-s3';
import { startLocalSns, type LocalSns } from '@mxflow/local-sns';
import { DynamoDbMappingDirectory, ensureKafkaTopics } from '@mxflow/store';
import { LocalStackError, PartStartError } from './errors';
import { localAws, localClientConfig } from './local-aws';
import { readInfrastructure, type Infrastructure } from './infra';
import { provision } from './provision';
import { readSeed, seedParticipants, type Seed } from './seed';

export { localAws, localClientConfig } from './local-aws';

const repoRoot = path.resolve(fileURLToPath(import.meta.url), '../../../..');
/** The repository's Terraform, which the local cloud provisions from. */
export const defaultInfraDir = path.join(repoRoot, 'infra');
/** The demo participants. */
export const defaultSeedFile = path.join(repoRoot, 'packages/local-stack/seed/participants.json');
/** The services `pnpm dev` runs. */
export const defaultComposeFile = path.join(repoRoot, 'serverless-compose.yml');

export interface LocalCloudOptions {
  /** The `infra/` directory (default: the repository's). */
  readonly infraDir?: string;
  /** Seed file of participants and operators (default: the demo participants). */
  readonly seedFile?: string;
  /** Directory where every part keeps its state; omitted keeps everything in memory (tests). */
  readonly stateDir?: string;
  /** Prefix of every provisioned name (default mxflow-local). */
  readonly namePrefix?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Port of the Kafka broker (default 0: a free one). A taken port falls back to a free one, with a line in the log. */
  readonly kafkaPort?: number;
  /** Where the OAuth server keeps its signing key (default: under `stateDir`, or in memory without one). */
  readonly oauthKeyFile?: string;
  /** Certificates (PEM) SNS trusts when it delivers to https subscribers, besides the system's. */
  readonly snsTrustedCertificates?: readonly string[];
}

/** Endpoints of a running local cloud, as a service's configuration needs them. */
export interface LocalCloudEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly sns: string;
  readonly kafka: string;
  readonly issuer: string;
  readonly tokenUrl: string;
  readonly jwksUri: string;
  readonly audience: string;
}

export interface LocalCloud {
  readonly endpoints: LocalCloudEndpoints;
  readonly infra: Infrastructure;
  readonly seed: Seed;
  readonly archiveBucket: string;
  readonly notificationTopicArn: string;
  /** Table names by their platform module name (`transaction_table`). */
  readonly tables: Readonly<Record<string, string>>;
  /** Calls `listener` with the topic each time records are produced to the broker; returns what stops it. */
  onRecords(listener: (topic: string) => void): () => void;
  /** Stops every part; safe to call twice. */
  stop(): Promise<void>;
}

type Stoppable = { stop(): Promise<void> };

async function startPart<T extends Stoppable>(
  part: string,
  started: Stoppable[],
  stateDirs: readonly (string | undefined)[],
  start: () => Promise<T>,
): Promise<T> {
  try {
    for (const dir of stateDirs) if (dir) await mkdir(dir, { recursive: true });
    const running = await start();
    started.push(running);
    return running;
  } catch (cause) {
    throw new PartStartError(part, cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Starts DynamoDB Local, the local S3, SNS and OAuth servers and the Kafka
 * broker, provisions them from `infra/`, and seeds the participants. If a part
 * fails, the parts already started are stopped and a {@link PartStartError}
 * names the part.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => {});
  const infra = await readInfrastructure({ infraDir: options.infraDir ?? defaultInfraDir, namePrefix: options.namePrefix });
  const seed = await readSeed(options.seedFile ?? defaultSeedFile);
  const state = (part: string): string | undefined => (options.stateDir ? path.join(options.stateDir, part) : undefined);
  const oauth = infra.oauth[0];
  if (!oauth) throw new PartStartError('oauth', 'infra/platform defines no api-auth module');
  // Without a state directory the email outbox is temporary too, and goes with stop().
  const temporaryOutbox = options.stateDir ? undefined : await mkdtemp(path.join(os.tmpdir(), 'mxflow-outbox-'));
  const outboxDir = state('outbox') ?? (temporaryOutbox as string);

  const started: Stoppable[] = [];
  const recordListeners = new Set<(topic: string) => void>();
  const onAppend = (topic: string) => {
    for (const listener of recordListeners) listener(topic);
  };
  const stop = async (): Promise<void> => {
    const parts = started.splice(0).reverse();
    await Promise.allSettled(parts.map((part) => part.stop()));
    if (temporaryOutbox) await rm(temporaryOutbox, { recursive: true, force: true });
  };

  // The mapping table, once it exists: where the OAuth server finds the clients the admin API issued secrets to.
  let mappings: DynamoDbMappingDirectory | undefined;
  const registry: ClientRegistry = {
    async find(clientId) {
      const found = await mappings?.findWithSecret(clientId);
      // A SUSPENDED mapping still gets a token, as from Cognito in AWS: the API refuses it at every call (403).
      return found?.secret && { clientId, scopes: found.mapping.scopes, secretHash: found.secret.hash };
    },
  };

  try {
    const results = await Promise.allSettled([
      startPart<LocalDynamoDb>('dynamodb', started, [state('dynamodb')], () => startLocalDynamoDb({ port: 0, dbPath: state('dynamodb') })),
      startPart<LocalS3Server>('s3', started, [state('s3')], () => startLocalS3({ port: 0, dataDir: state('s3') })),
      startPart<LocalSns>('sns', started, [state('sns'), state('outbox')], () =>
        startLocalSns({
          port: 0,
          dataDir: state('sns'),
          outboxDir,
          region: localAws.region,
          accountId: localAws.accountId,
          ...(options.snsTrustedCertificates ? { tls: { trustedCertificates: [...options.snsTrustedCertificates] } } : {}),
        }),
      ),
      startPart<LocalOAuth>('oauth', started, [state('oauth')], () =>
        startLocalOAuth({
          port: 0,
          audience: DEFAULT_AUDIENCE,
          scopes: oauth.scopes,
          keyFile: options.oauthKeyFile ?? (options.stateDir ? path.join(options.stateDir, 'oauth', 'signing-key.json') : undefined),
          clients: [...seed.participants, ...seed.operators].map(({ clientId, clientSecret, scopes }) => ({
            clientId,
            clientSecret,
            scopes: [...scopes],
          })),
          registry,
        }),
      ),
      startPart<RunningBroker>('kafka', started, [state('kafka')], async () => {
        const wanted = options.kafkaPort ?? 0;
        try {
          return await startBroker({ port: wanted, dataDir: state('kafka'), defaultPartitions: 3, onAppend });
        } catch (error) {
          if (wanted === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          log(`kafka port ${wanted} is taken; using a free port instead`);
          return startBroker({ port: 0, dataDir: state('kafka'), defaultPartitions: 3, onAppend });
        }
      }),
    ]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamodb, s3, sns, auth, kafka] = results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [
      LocalDynamoDb,
      LocalS3Server,
      LocalSns,
      LocalOAuth,
      RunningBroker,
    ];
    log(`dynamodb ${dynamodb.endpoint} (pid ${dynamodb.pid}, ready in ${dynamodb.startupMs} ms)`);
    log(`s3 ${s3.endpoint}`);
    log(`sns ${sns.endpoint}`);
    log(`oauth ${auth.issuer}`);
    log(`kafka ${kafka.brokers}`);

    const clients = {
      dynamodb: new DynamoDBClient(localClientConfig(dynamodb.endpoint)),
      s3: new S3Client({ ...localClientConfig(s3.endpoint), forcePathStyle: true }),
      sns: new SNSClient(localClientConfig(sns.endpoint)),
    };
    try {
      const provisioned = await provision(
        infra,
        {
          ...clients,
          kafka: {
            ensureTopics: (topics) =>
              ensureKafkaTopics(
                { brokers: [kafka.brokers], clientId: 'mxflow-local-provisioner' },
                topics.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, config: topic.config })),
              ),
          },
        },
        (line) => log(`provisioned ${line}`),
      );
      const tables = Object.fromEntries(infra.tables.map((table) => [table.module, table.name]));
      await seedParticipants(clients.dynamodb, tables, seed);
      log(`seeded ${seed.participants.length} participants`);
      // The OAuth server's own client: it outlives this function's.
      const registryClient = new DynamoDBClient(localClientConfig(dynamodb.endpoint));
      started.push({ stop: async () => registryClient.destroy() });
      // seedParticipants has checked that infra/ defines the mapping table.
      mappings = new DynamoDbMappingDirectory({ client: registryClient, tableName: tables.mapping_table as string });
      const [bucket] = infra.buckets;
      const [topic] = infra.notificationTopics;
      return {
        endpoints: {
          dynamodb: dynamodb.endpoint,
          s3: s3.endpoint,
          sns: sns.endpoint,
          kafka: kafka.brokers,
          issuer: auth.issuer,
          tokenUrl: auth.tokenUrl,
          jwksUri: auth.jwksUri,
          audience: auth.audience,
        },
        infra,
        seed,
        archiveBucket: bucket.name,
        notificationTopicArn: provisioned.notificationTopicArns[topic.name],
        tables,
        onRecords: (listener) => {
          recordListeners.add(listener);
          return () => recordListeners.delete(listener);
        },
        stop,
      };
    } finally {
      clients.dynamodb.destroy();
      clients.s3.destroy();
      clients.sns.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Gets a client_credentials access token from the local OAuth server for a
 * seeded client, as a participant's system would.
 */
export async function requestAccessToken(cloud: LocalCloud, clientId: string, scope: string): Promise<string> {
  const client = [...cloud.seed.participants, ...cloud.seed.operators].find((candidate) => candidate.clientId === clientId);
  if (!client) throw new LocalStackError(`no seeded client ${clientId}`);
  // RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding.
  const credentials = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
  const response = await fetch(cloud.endpoints.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: cloud.endpoints.audience }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new LocalStackError(`token endpoint answered ${response.status} for ${clientId}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
