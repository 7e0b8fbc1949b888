import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  JavaNotFoundError,
  JavaVersionError,
  PortInUseError,
  parseJavaMajorVersion,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from '../src/index';

function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['bash: java: command not found', undefined],
  ])('reads %j as %p', (output, expected) => {
    expect(parseJavaMajorVersion(output)).toBe(expected);
  });
});

describe('startLocalDynamoDb', () => {
  it('names the package to install when java cannot be run', async () => {
    const failure = startLocalDynamoDb({ javaPath: join(tmpdir(), 'no-such-java') });
    await expect(failure).rejects.toBeInstanceOf(JavaNotFoundError);
    await expect(failure).rejects.toThrow('apt-get install -y openjdk-17-jre-headless');
  });

  it('refuses Java 8 and names the package to install', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mxflow-java8-'));
    try {
      const fakeJava = join(dir, 'java');
      await writeFile(fakeJava, '#!/bin/sh\necho \'java version "1.8.0_292"\' >&2\n');
      await chmod(fakeJava, 0o755);
      const failure = startLocalDynamoDb({ javaPath: fakeJava });
      await expect(failure).rejects.toBeInstanceOf(JavaVersionError);
      await expect(failure).rejects.toThrow('found Java 8. Install it with: apt-get install -y openjdk-17-jre-headless');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails fast with PortInUseError when the given port is taken, leaving no JVM behind', async () => {
    // It accepts and never answers, like a foreign service would to a DynamoDB request.
    const sockets = new Set<Socket>();
    const squatter = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => squatter.listen(0, '0.0.0.0', resolve));
    const { port } = squatter.address() as AddressInfo;
    const leftovers: string[] = [];
    try {
      const started = Date.now();
      const failure = await startLocalDynamoDb({ port }).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(PortInUseError);
      expect((failure as PortInUseError).port).toBe(port);
      expect(Date.now() - started).toBeLessThan(30_000);
      for (const line of execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n')) {
        if (line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port} `)) leftovers.push(line);
      }
      expect(leftovers).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 90_000);

  describe('in memory', () => {
    let db: LocalDynamoDb;
    let client: DynamoDBClient;

    beforeAll(async () => {
      db = await startLocalDynamoDb({ port: 0 });
      client = clientFor(db.endpoint);
      // A JVM start takes about 2.5 s alone but several times that on a busy two-core machine.
    }, 90_000);

    afterAll(async () => {
      client?.destroy();
      await db?.stop();
    });

    it('creates a table with a GSI and TTL', async () => {
      await client.send(
        new CreateTableCommand({
          TableName: 'entity',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'entityId', AttributeType: 'S' },
            { AttributeName: 'bic', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'entityId', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byBic',
              KeySchema: [{ AttributeName: 'bic', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'entity',
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
      await client.send(
        new PutItemCommand({
          TableName: 'entity',
          Item: { entityId: { S: 'e-1' }, bic: { S: 'BANKDEFFXXX' }, expiresAt: { N: '4102444800' } },
        }),
      );

      const table = await client.send(new DescribeTableCommand({ TableName: 'entity' }));
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'entity' }));
      const byBic = await client.send(
        new QueryCommand({
          TableName: 'entity',
          IndexName: 'byBic',
          KeyConditionExpression: 'bic = :bic',
          ExpressionAttributeValues: { ':bic': { S: 'BANKDEFFXXX' } },
        }),
      );

      expect(table.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byBic']);
      expect(ttl.TimeToLiveDescription).toEqual({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
      expect(byBic.Items?.map((item) => item.entityId?.S)).toEqual(['e-1']);
    });

    it('cancels a transaction whose condition fails and writes none of its items', async () => {
      await client.send(
        new CreateTableCommand({
          TableName: 'liquidity',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'entityId', AttributeType: 'S' },
            { AttributeName: 'currency', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'entityId', KeyType: 'HASH' },
            { AttributeName: 'currency', KeyType: 'RANGE' },
          ],
        }),
      );
      await client.send(
        new PutItemCommand({
          TableName: 'liquidity',
          Item: { entityId: { S: 'debtor' }, currency: { S: 'EUR' }, balance: { N: '100' } },
        }),
      );

      const error = await client
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: 'liquidity',
                  Key: { entityId: { S: 'debtor' }, currency: { S: 'EUR' } },
                  UpdateExpression: 'SET balance = balance - :amount',
                  ConditionExpression: 'balance >= :amount',
                  ExpressionAttributeValues: { ':amount': { N: '500' } },
                },
              },
              {
                Put: {
                  TableName: 'liquidity',
                  Item: { entityId: { S: 'creditor' }, currency: { S: 'EUR' }, balance: { N: '500' } },
                },
              },
            ],
          }),
        )
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
        'ConditionalCheckFailed',
        'None',
      ]);
      const creditor = await client.send(
        new GetItemCommand({ TableName: 'liquidity', Key: { entityId: { S: 'creditor' }, currency: { S: 'EUR' } } }),
      );
      expect(creditor.Item).toBeUndefined();
    });
  });

  it('keeps data in dbPath across restarts and leaves no process behind', async () => {
    const dbPath = await mkdtemp(join(tmpdir(), 'mxflow-ddb-'));
    try {
      const first = await startLocalDynamoDb({ port: 0, dbPath });
      const firstClient = clientFor(first.endpoint);
      await firstClient.send(
        new CreateTableCommand({
          TableName: 'mapping',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
        }),
      );
      await firstClient.send(
        new PutItemCommand({ TableName: 'mapping', Item: { clientId: { S: 'c-1' }, entityId: { S: 'e-1' } } }),
      );
      firstClient.destroy();
      await first.stop();
      expect(isRunning(first.pid)).toBe(false);

      const second = await startLocalDynamoDb({ port: 0, dbPath });
      const secondClient = clientFor(second.endpoint);
      const item = await secondClient.send(new GetItemCommand({ TableName: 'mapping', Key: { clientId: { S: 'c-1' } } }));
      secondClient.destroy();
      await second.stop();

      expect(item.Item?.entityId?.S).toBe('e-1');
      expect(isRunning(second.pid)).toBe(false);
    } finally {
      await rm(dbPath, { recursive: true, force: true });
    }
  }, 150_000);
});
