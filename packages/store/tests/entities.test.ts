import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { DynamoDbEntityDirectory, DynamoDbStoreError, VersionConflictError, type Entity } from '../src/index';

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

  describe('notifications', () => {
    const eta: Entity = { entityId: 'ent-eta', name: 'Eta Bank', bic: 'ETAADEFFXXX', bics: ['ETAADEFFXXX'], accounts: [], status: 'ACTIVE' };
    const itemOf = async (entityId: string) =>
      (await dynamodb.send(new GetItemCommand({ TableName: cloud.tables.entity_table, Key: { entityId: { S: entityId } }, ConsistentRead: true }))).Item;

    it('writes the message types a participant is notified with, and reads them back', async () => {
      expect(await entities.create({ ...eta, notifications: ['camt.054'] })).toBe(true);
      expect(await entities.get('ent-eta')).toEqual({ ...eta, notifications: ['camt.054'], version: 1 });
      expect((await itemOf('ent-eta'))?.notifications).toEqual({ SS: ['camt.054'] });
      expect((await entities.findByBic('ETAADEFF'))?.notifications).toEqual(['camt.054']);
    });

    it.each(['ent-alpha', 'ent-delta'])('reads the item of %s, which has none, as a participant notified with nothing', async (entityId) => {
      expect((await itemOf(entityId))?.notifications).toBeUndefined();
      const read = await entities.get(entityId);
      expect(read?.entityId).toBe(entityId);
      expect(read).not.toHaveProperty('notifications');
    });

    it('creates a participant with an empty list without the attribute', async () => {
      await entities.create({ ...eta, entityId: 'ent-eta-off', bic: 'ETAODEFFXXX', bics: [], notifications: [] });
      expect(await entities.get('ent-eta-off')).not.toHaveProperty('notifications');
      expect((await itemOf('ent-eta-off'))?.notifications).toBeUndefined();
    });

    it('switches them off and on again, versioned, leaving the other fields alone', async () => {
      const off = await entities.update('ent-eta', { notifications: [] }, 1);
      expect(off).toEqual({ ...eta, version: 2 });
      expect((await itemOf('ent-eta'))?.notifications).toBeUndefined();
      const on = await entities.update('ent-eta', { notifications: ['camt.054', 'camt.054'] }, 2);
      expect(on).toEqual({ ...eta, notifications: ['camt.054'], version: 3 });
      expect(await entities.get('ent-eta')).toEqual(on);
      // A name change leaves them as they are.
      expect(await entities.update('ent-eta', { name: 'Eta Bank AG' }, 3)).toEqual({ ...eta, name: 'Eta Bank AG', notifications: ['camt.054'], version: 4 });
    });

    it('changes nothing on a stale version', async () => {
      await expect(entities.update('ent-eta', { notifications: [] }, 3)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(entities.update('ent-eta', { notifications: ['camt.054'] }, 3)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await entities.get('ent-eta')).toMatchObject({ notifications: ['camt.054'], version: 4 });
      expect((await itemOf('ent-eta'))?.notifications).toEqual({ SS: ['camt.054'] });
    });
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
