import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { DynamoDbEntityDirectory, DynamoDbStoreError, type Entity } from '../src/index';

describe('DynamoDbEntityDirectory', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let entities: DynamoDbEntityDirectory;

  const alpha: Entity = {
    entityId: 'ent-alpha',
    name: 'Alpha Bank AG',
    bic: 'ALPHDEFFXXX',
    bics: ['ALPHDEFFXXX'],
    accounts: ['DE89370400440532013000'],
    status: 'ACTIVE',
  };
  const delta: Entity = {
    entityId: 'ent-delta',
    name: 'Delta Bank',
    bic: 'DELTDEFF',
    bics: ['DELTDEFF', 'DELTDEFF100'],
    accounts: [],
    status: 'SUSPENDED',
  };

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-entities' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table });
    await entities.create(delta);
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
  });

  it('reads a seeded participant by id', async () => {
    // Created through the directory, so at its first version.
    expect(await entities.get('ent-alpha')).toEqual({ ...alpha, version: 1 });
  });

  it.each([
    ['its primary BIC', 'ALPHDEFFXXX', 'ent-alpha'],
    ['the 8-character form of a head office BIC', 'ALPHDEFF', 'ent-alpha'],
    ['a BIC in lower case', 'alphdeffxxx', 'ent-alpha'],
    ['an 8-character primary BIC', 'DELTDEFF', 'ent-delta'],
    ['the XXX form of an 8-character primary BIC', 'DELTDEFFXXX', 'ent-delta'],
  ])('finds an entity by %s', async (_, bic, entityId) => {
    expect((await entities.findByBic(bic))?.entityId).toBe(entityId);
  });

  it.each([
    ['an unknown BIC', 'ZZZZDEFFXXX'],
    ['a branch BIC, which is not the head office', 'ALPHDEFF123'],
    ['a secondary BIC, which is not indexed', 'DELTDEFF100'],
    ['an empty string', ''],
  ])('finds nothing for %s', async (_, bic) => {
    expect(await entities.findByBic(bic)).toBeUndefined();
  });

  it('prefers the entity registered under the exact BIC over its head office', async () => {
    await entities.create({ entityId: 'ent-epsilon-hq', name: 'Epsilon HQ', bic: 'EPSIDEFFXXX', bics: [], accounts: [], status: 'ACTIVE' });
    await entities.create({ entityId: 'ent-epsilon', name: 'Epsilon', bic: 'EPSIDEFF', bics: [], accounts: [], status: 'ACTIVE' });
    expect((await entities.findByBic('EPSIDEFF'))?.entityId).toBe('ent-epsilon');
    expect((await entities.findByBic('EPSIDEFFXXX'))?.entityId).toBe('ent-epsilon-hq');
  });

  it('creates an entity once and keeps the first one', async () => {
    expect(await entities.create({ ...delta, name: 'Someone Else' })).toBe(false);
    expect(await entities.get('ent-delta')).toEqual({ ...delta, version: 1 });
  });

  it('writes the item the seed writes: string sets, and NULL for no accounts', async () => {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: cloud.tables.entity_table, Key: { entityId: { S: 'ent-delta' } } }));
    expect(Item).toMatchObject({
      bic: { S: 'DELTDEFF' },
      bics: { SS: expect.arrayContaining(['DELTDEFF', 'DELTDEFF100']) },
      accounts: { NULL: true },
      status: { S: 'SUSPENDED' },
      createdAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
    });
  });

  it('counts the primary BIC among its BICs even when left out', async () => {
    await entities.create({ entityId: 'ent-zeta', name: 'Zeta', bic: 'ZETADEFFXXX', bics: ['ZETADEFF200'], accounts: ['DE02120300000000202051'], status: 'ACTIVE' });
    expect((await entities.get('ent-zeta'))?.bics).toEqual(['ZETADEFFXXX', 'ZETADEFF200']);
  });

  it('returns undefined for an unknown id', async () => {
    expect(await entities.get('ent-nobody')).toBeUndefined();
  });

  it('reports a missing table as a store failure', async () => {
    const missing = new DynamoDbEntityDirectory({ client: dynamodb, tableName: 'no-such-table' });
    await expect(missing.get('ent-alpha')).rejects.toBeInstanceOf(DynamoDbStoreError);
    await expect(missing.findByBic('ALPHDEFF')).rejects.toBeInstanceOf(DynamoDbStoreError);
    await expect(missing.create(delta)).rejects.toBeInstanceOf(DynamoDbStoreError);
  });
});
