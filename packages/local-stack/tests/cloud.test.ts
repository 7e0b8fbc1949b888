import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketPolicyCommand, GetObjectLockConfigurationCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { Kafka, logLevel } from 'kafkajs';
import { createTokenVerifier, scopesOf } from '@mxflow/local-oauth';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';


describe('startLocalCloud', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let sns: SNSClient;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-test' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
    sns = new SNSClient(localClientConfig(cloud.endpoints.sns));
  }, 90_000);

  afterAll(async () => {
    dynamodb?.destroy();
    s3?.destroy();
    sns?.destroy();
    await cloud?.stop();
  });

  it('creates exactly the tables infra defines, with their keys, indexes and TTL', async () => {
    const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
    expect([...(TableNames ?? [])].sort()).toEqual(cloud.infra.tables.map((table) => table.name).sort());
    for (const table of cloud.infra.tables) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: table.hashKey, KeyType: 'HASH' },
        ...(table.rangeKey ? [{ AttributeName: table.rangeKey, KeyType: 'RANGE' }] : []),
      ]);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        table.globalSecondaryIndexes.map((index) => index.name).sort(),
      );
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe(table.ttlAttribute);
    }
  });

  it('creates exactly the archive bucket infra defines, locked and write-once', async () => {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect((Buckets ?? []).map((bucket) => bucket.Name)).toEqual(cloud.infra.buckets.map((bucket) => bucket.name));
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: cloud.archiveBucket }));
    expect(lock.ObjectLockConfiguration?.Rule?.DefaultRetention).toMatchObject({ Mode: 'COMPLIANCE', Days: 3650 });
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: cloud.archiveBucket }));
    expect(JSON.parse(policy.Policy ?? '{}')).toEqual(cloud.infra.buckets[0].policy);
    await expect(
      s3.send(new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: 'incoming/2026/11/27/t/pacs.008.xml', Body: '<a/>' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await s3.send(
      new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: 'incoming/2026/11/27/t/pacs.008.xml', Body: '<a/>', IfNoneMatch: '*' }),
    );
  });

  it('creates exactly the Kafka topics infra defines, with their partitions', async () => {
    const admin = new Kafka({ brokers: [cloud.endpoints.kafka], clientId: 'cloud-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const names = (await admin.listTopics()).filter((name) => !name.startsWith('__'));
      expect(names.sort()).toEqual(cloud.infra.kafkaTopics.map((topic) => topic.name).sort());
      const { topics } = await admin.fetchTopicMetadata({ topics: cloud.infra.kafkaTopics.map((topic) => topic.name) });
      for (const topic of cloud.infra.kafkaTopics) {
        expect({ topic: topic.name, partitions: topics.find((t) => t.name === topic.name)?.partitions.length }).toEqual({
          topic: topic.name,
          partitions: topic.partitions,
        });
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('creates exactly the SNS topics infra defines', async () => {
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect((Topics ?? []).map((topic) => topic.TopicArn)).toEqual([cloud.notificationTopicArn]);
    expect(cloud.notificationTopicArn).toMatch(/:mxflow-test-notifications$/);
  });

  it.each([
    ['alpha-bank', 'alpha-local-secret-change-me', 'payments/write payments/read', 'payments/write payments/read'],
    ['operator', 'operator-local-secret-change-me', 'payments/admin', 'payments/admin'],
  ])('issues %s a token with the scopes infra defines', async (clientId, secret, requested, granted) => {
    const response = await fetch(cloud.endpoints.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: requested, resource: cloud.endpoints.audience }),
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    const claims = await createTokenVerifier(cloud.endpoints).verify(token);
    expect(scopesOf(claims).sort()).toEqual(granted.split(' ').sort());
    for (const scope of scopesOf(claims)) expect(cloud.infra.oauth[0].scopes).toContain(scope);
  });

  it.each(['ent-alpha', 'ent-beta', 'ent-gamma'])('seeds %s with an entity, a mapping and 1,000,000 in EUR, USD and GBP', async (entityId) => {
    const entity = await dynamodb.send(new GetItemCommand({ TableName: cloud.tables.entity_table, Key: { entityId: { S: entityId } } }));
    expect(entity.Item?.status).toEqual({ S: 'ACTIVE' });
    for (const currency of ['EUR', 'USD', 'GBP']) {
      const balance = await dynamodb.send(
        new GetItemCommand({ TableName: cloud.tables.liquidity_table, Key: { entityId: { S: entityId }, entry: { S: `BALANCE#${currency}` } } }),
      );
      expect({ currency, balance: balance.Item?.balanceMinor, exponent: balance.Item?.exponent }).toEqual({
        currency,
        balance: { N: '100000000' },
        exponent: { N: '2' },
      });
    }
  });
});
