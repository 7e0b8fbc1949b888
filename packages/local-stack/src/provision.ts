import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutObjectLockConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Infrastructure, KafkaTopicDefinition, TableDefinition } from './infra';

/** Creates Kafka topics; the broker adapter implements it. */
export interface TopicAdmin {
  /** Creates the topics that don't exist yet; existing ones are left as they are. */
  ensureTopics(topics: readonly KafkaTopicDefinition[]): Promise<void>;
}

export interface ProvisionClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly kafka: TopicAdmin;
}

/** What provisioning made that callers need: SNS topic ARNs by topic name. */
export interface Provisioned {
  readonly notificationTopicArns: Readonly<Record<string, string>>;
}

/**
 * Creates every table, bucket, topic and SNS topic of the infrastructure
 * definition on the local services. Safe to run again on existing state: what
 * exists is kept, so a restart keeps its data.
 */
export async function provision(
  infra: Infrastructure,
  clients: ProvisionClients,
  progress: (line: string) => void = () => {},
): Promise<Provisioned> {
  for (const table of infra.tables) {
    await createTable(clients.dynamodb, table);
    progress(`table ${table.name}`);
  }
  for (const bucket of infra.buckets) {
    try {
      await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.name, ObjectLockEnabledForBucket: true }));
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
    }
    await clients.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket.name,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: bucket.objectLock.mode, Days: bucket.objectLock.days } },
        },
      }),
    );
    await clients.s3.send(new PutBucketPolicyCommand({ Bucket: bucket.name, Policy: JSON.stringify(bucket.policy) }));
    progress(`bucket ${bucket.name} (Object Lock ${bucket.objectLock.mode} ${bucket.objectLock.days} days, write-once policy)`);
  }
  await clients.kafka.ensureTopics(infra.kafkaTopics);
  progress(`${infra.kafkaTopics.length} Kafka topics`);
  const notificationTopicArns: Record<string, string> = {};
  for (const topic of infra.notificationTopics) {
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: topic.name }));
    if (!TopicArn) throw new Error(`SNS CreateTopic ${topic.name} returned no TopicArn`);
    notificationTopicArns[topic.name] = TopicArn;
    progress(`SNS topic ${topic.name}`);
  }
  return { notificationTopicArns };
}

async function createTable(client: DynamoDBClient, table: TableDefinition): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: table.attributes.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
        KeySchema: [
          { AttributeName: table.hashKey, KeyType: 'HASH' },
          ...(table.rangeKey ? [{ AttributeName: table.rangeKey, KeyType: 'RANGE' as const }] : []),
        ],
        ...(table.globalSecondaryIndexes.length
          ? {
              GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.hashKey, KeyType: 'HASH' as const },
                  ...(index.rangeKey ? [{ AttributeName: index.rangeKey, KeyType: 'RANGE' as const }] : []),
                ],
                Projection: { ProjectionType: index.projectionType as 'ALL' | 'KEYS_ONLY' | 'INCLUDE' },
              })),
            }
          : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  if (table.ttlAttribute) {
    const current = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    if (current.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: table.name,
          TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        }),
      );
    }
  }
}
