import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import {
  DynamoDbAuditLog,
  DynamoDbEntityDirectory,
  DynamoDbLedger,
  DynamoDbLowBalanceMonitor,
  DynamoDbMappingDirectory,
  ItemNotFoundError,
  LedgerAccountError,
  StoreRequestError,
  VersionConflictError,
  type Entity,
} from '../src/index';

const actor = { clientId: 'platform-operator', entityId: 'ent-operator' };
const eur = (minor: bigint) => ({ minor, currency: 'EUR', exponent: 2 });
const now = (): string => new Date().toISOString();

describe('the admin side of the store', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let entities: DynamoDbEntityDirectory;
  let mappings: DynamoDbMappingDirectory;
  let ledger: DynamoDbLedger;
  let monitor: DynamoDbLowBalanceMonitor;
  let audit: DynamoDbAuditLog;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-admin' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table });
    mappings = new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table });
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table });
    monitor = new DynamoDbLowBalanceMonitor({ client: dynamodb, tableName: cloud.tables.liquidity_table });
    audit = new DynamoDbAuditLog({ client: dynamodb, tableName: cloud.tables.audit_table });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
  });

  const newEntity = (): Entity => {
    const suffix = randomUUID().slice(0, 8);
    return { entityId: `ent-${suffix}`, name: `Bank ${suffix}`, bic: 'NEWBDEFFXXX', bics: ['NEWBDEFFXXX'], accounts: [], status: 'ACTIVE' };
  };

  describe('DynamoDbEntityDirectory as a registry', () => {
    it('updates an entity at the version it read and moves the version on', async () => {
      const entity = newEntity();
      await entities.create(entity);
      const updated = await entities.update(entity.entityId, { name: 'Renamed', accounts: ['DE02120300000000202051'] }, 1);
      expect(updated).toEqual({ ...entity, name: 'Renamed', accounts: ['DE02120300000000202051'], version: 2 });
      expect(await entities.get(entity.entityId)).toEqual(updated);
    });

    it('refuses a write on a version that moved on, and changes nothing', async () => {
      const entity = newEntity();
      await entities.create(entity);
      await entities.update(entity.entityId, { status: 'SUSPENDED' }, 1);
      const refused = entities.update(entity.entityId, { name: 'Second admin' }, 1);
      await expect(refused).rejects.toBeInstanceOf(VersionConflictError);
      await expect(refused).rejects.toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(await entities.get(entity.entityId)).toMatchObject({ name: entity.name, status: 'SUSPENDED', version: 2 });
    });

    it('lets exactly one of two concurrent writers of the same version win', async () => {
      const entity = newEntity();
      await entities.create(entity);
      const results = await Promise.allSettled([entities.update(entity.entityId, { name: 'A' }, 1), entities.update(entity.entityId, { name: 'B' }, 1)]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason).toBeInstanceOf(VersionConflictError);
    });

    it('keeps the old primary BIC among the BICs when the primary changes', async () => {
      const entity = newEntity();
      await entities.create(entity);
      const updated = await entities.update(entity.entityId, { bic: 'OTHRDEFFXXX' }, 1);
      expect(updated.bic).toBe('OTHRDEFFXXX');
      expect(updated.bics).toEqual(['OTHRDEFFXXX', 'NEWBDEFFXXX']);
      await expect(entities.update(entity.entityId, { bics: ['X'] }, 2)).rejects.toBeInstanceOf(StoreRequestError);
    });

    it('refuses version 0 for an entity that has a version', async () => {
      expect((await entities.get('ent-gamma'))?.version).toBe(1);
      await expect(entities.update('ent-gamma', { name: 'x' }, 0)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('deletes at the expected version and reports a missing entity', async () => {
      const entity = newEntity();
      await entities.create(entity);
      await expect(entities.delete(entity.entityId, 2)).rejects.toBeInstanceOf(VersionConflictError);
      await entities.delete(entity.entityId, 1);
      expect(await entities.get(entity.entityId)).toBeUndefined();
      await expect(entities.delete(entity.entityId, 1)).rejects.toBeInstanceOf(ItemNotFoundError);
      await expect(entities.update(entity.entityId, { name: 'x' }, 1)).rejects.toBeInstanceOf(ItemNotFoundError);
    });

    it('lists every entity a page at a time', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await entities.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((entity) => entity.entityId));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual(expect.arrayContaining(['ent-alpha', 'ent-beta', 'ent-gamma']));
      expect(new Set(seen).size).toBe(seen.length);
      await expect(entities.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(StoreRequestError);
    });
  });

  describe('DynamoDbMappingDirectory as a registry', () => {
    it('creates, lists per entity, updates and deletes a mapping, each at its version', async () => {
      const clientId = `client-${randomUUID()}`;
      const entityId = `ent-${randomUUID()}`;
      expect(await mappings.create({ clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE' })).toBe(true);
      expect(await mappings.create({ clientId, entityId: 'other', scopes: [], status: 'ACTIVE' })).toBe(false);
      expect(await mappings.find(clientId)).toEqual({ clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE', version: 1 });
      expect(await mappings.listByEntity(entityId)).toEqual([{ clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE', version: 1 }]);

      const suspended = await mappings.update(clientId, { status: 'SUSPENDED', scopes: ['payments/read', 'payments/write'] }, 1);
      expect(suspended).toEqual({ clientId, entityId, scopes: ['payments/read', 'payments/write'], status: 'SUSPENDED', version: 2 });
      await expect(mappings.update(clientId, { status: 'ACTIVE' }, 1)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(mappings.delete(clientId, 1)).rejects.toBeInstanceOf(VersionConflictError);
      await mappings.delete(clientId, 2);
      expect(await mappings.find(clientId)).toBeUndefined();
      await expect(mappings.update(clientId, { status: 'ACTIVE' }, 2)).rejects.toBeInstanceOf(ItemNotFoundError);
    });

    it('keeps a client secret with its mapping: written with it, replaced alone, gone with the mapping', async () => {
      const clientId = `client-${randomUUID()}`;
      const entityId = `ent-${randomUUID()}`;
      const first = { hash: `sha256.${randomUUID()}`, issuedAt: '2026-01-02T03:04:05.006Z' };
      expect(await mappings.create({ clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE' }, first)).toBe(true);
      expect(await mappings.findWithSecret(clientId)).toEqual({ mapping: { clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE', version: 1 }, secret: first });
      // The mapping as every other reader sees it holds no secret.
      expect(await mappings.find(clientId)).toEqual({ clientId, entityId, scopes: ['payments/read'], status: 'ACTIVE', version: 1 });

      const second = { hash: `sha256.${randomUUID()}`, issuedAt: '2026-01-02T03:04:06.007Z' };
      expect(await mappings.replaceSecret(clientId, second)).toBe(true);
      expect(await mappings.findWithSecret(clientId)).toMatchObject({ mapping: { version: 1 }, secret: second });
      // An update of the mapping keeps the secret.
      await mappings.update(clientId, { status: 'SUSPENDED' }, 1);
      expect(await mappings.findWithSecret(clientId)).toMatchObject({ mapping: { status: 'SUSPENDED', version: 2 }, secret: second });

      await mappings.delete(clientId, 2);
      expect(await mappings.findWithSecret(clientId)).toBeUndefined();
      expect(await mappings.replaceSecret(clientId, first)).toBe(false);
      expect(await mappings.find(clientId)).toBeUndefined();
    });

    it('finds a mapping without a platform-issued secret with none', async () => {
      expect(await mappings.findWithSecret('alpha-bank')).toEqual({ mapping: expect.objectContaining({ clientId: 'alpha-bank' }) });
    });

    it('updates a seeded mapping written without a version at version 0', async () => {
      const updated = await mappings.update('gamma-bank', { status: 'ACTIVE' }, 0);
      expect(updated).toMatchObject({ clientId: 'gamma-bank', entityId: 'ent-gamma', version: 1 });
    });
  });

  describe('DynamoDbAuditLog', () => {
    it('lists entries newest first, of every subject or of one, a page at a time', async () => {
      const subject = `entity/ent-${randomUUID()}`;
      const base = Date.now();
      for (let index = 0; index < 3; index += 1) {
        await audit.record({
          subject,
          action: `entity.step-${index}`,
          actor,
          timestamp: new Date(base + index).toISOString(),
          before: { amount: BigInt(index) },
          after: { amount: `${index + 1}.00` },
        });
      }
      await audit.record({ subject: 'mapping/someone', action: 'mapping.create', actor, timestamp: new Date(base + 10).toISOString(), after: { status: 'ACTIVE' } });

      const first = await audit.list({ subject, limit: 2 });
      expect(first.items.map((entry) => entry.action)).toEqual(['entity.step-2', 'entity.step-1']);
      expect(first.items[0]).toMatchObject({ subject, actor, timestamp: new Date(base + 2).toISOString(), before: { amount: '2' }, after: { amount: '3.00' } });
      expect(first.items[0].id).toMatch(/^[0-9a-f-]{36}$/);
      const second = await audit.list({ subject, limit: 2, cursor: first.cursor });
      expect(second.items.map((entry) => entry.action)).toEqual(['entity.step-0']);

      const all = await audit.list({ limit: 200 });
      expect(all.items[0]).toMatchObject({ subject: 'mapping/someone', action: 'mapping.create' });
      expect(all.items[0]).not.toHaveProperty('before');
      expect(all.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['entity.step-0', 'entity.step-1', 'entity.step-2']));
    });

    it('refuses an entry without a subject', async () => {
      await expect(audit.record({ subject: '', action: 'x', actor, timestamp: now() })).rejects.toBeInstanceOf(StoreRequestError);
    });
  });

  describe('DynamoDbLowBalanceMonitor', () => {
    async function opened(minor: bigint): Promise<string> {
      const entityId = `ent-${randomUUID()}`;
      await ledger.adjust(entityId, eur(minor), `opening-${entityId}`, 'opening', now());
      return entityId;
    }

    it('reports a crossing below once, then the recovery once, and again for the next crossing', async () => {
      const entityId = await opened(200_00n);
      await monitor.setThreshold(entityId, 'EUR', 100_00n);
      expect(await monitor.threshold(entityId, 'EUR')).toBe(100_00n);
      expect(await monitor.check(entityId, 'EUR')).toBeUndefined();
      await ledger.adjust(entityId, eur(-150_00n), `w-${randomUUID()}`, 'withdrawal', now());
      expect(await monitor.check(entityId, 'EUR')).toBe('crossed-below');
      expect(await monitor.check(entityId, 'EUR')).toBeUndefined();
      await ledger.adjust(entityId, eur(-10_00n), `w-${randomUUID()}`, 'withdrawal', now());
      expect(await monitor.check(entityId, 'EUR')).toBeUndefined();
      await ledger.adjust(entityId, eur(100_00n), `t-${randomUUID()}`, 'top-up', now());
      expect(await monitor.check(entityId, 'EUR')).toBe('recovered');
      expect(await monitor.check(entityId, 'EUR')).toBeUndefined();
      await ledger.adjust(entityId, eur(-50_00n), `w-${randomUUID()}`, 'withdrawal', now());
      expect(await monitor.check(entityId, 'EUR')).toBe('crossed-below');
      // The ledger's writes keep the threshold and leave the balance equal to its postings.
      const postings = await ledger.postings(entityId, 'EUR');
      expect((await ledger.balance(entityId, 'EUR'))?.minor).toBe(postings.reduce((sum, posting) => sum + posting.minor, 0n));
      expect(await monitor.threshold(entityId, 'EUR')).toBe(100_00n);
    });

    it('reports a crossing to exactly one of 10 concurrent checks', async () => {
      const entityId = await opened(50_00n);
      await monitor.setThreshold(entityId, 'EUR', 100_00n);
      const results = await Promise.all(Array.from({ length: 10 }, () => monitor.check(entityId, 'EUR')));
      expect(results.filter((result) => result === 'crossed-below')).toHaveLength(1);
      expect(results.filter((result) => result === undefined)).toHaveLength(9);
    });

    it('checks several entities with one read: each answered for its own balance', async () => {
      const [low, fine, recovering] = [await opened(50_00n), await opened(500_00n), await opened(50_00n)];
      for (const entityId of [low, fine, recovering]) await monitor.setThreshold(entityId, 'EUR', 100_00n);
      expect(await monitor.check(recovering, 'EUR')).toBe('crossed-below');
      await ledger.adjust(recovering, eur(100_00n), `t-${randomUUID()}`, 'top-up', now());
      const unknown = `ent-${randomUUID()}`;
      expect(await monitor.checkMany([low, fine, recovering, unknown, low], 'EUR')).toEqual(['crossed-below', undefined, 'recovered', undefined, undefined]);
      expect(await monitor.checkMany([low, fine, recovering], 'EUR')).toEqual([undefined, undefined, undefined]);
    });

    it('forgets the crossing with the threshold, and refuses a currency without a balance', async () => {
      const entityId = await opened(50_00n);
      await monitor.setThreshold(entityId, 'EUR', 100_00n);
      expect(await monitor.check(entityId, 'EUR')).toBe('crossed-below');
      await monitor.setThreshold(entityId, 'EUR', undefined);
      expect(await monitor.threshold(entityId, 'EUR')).toBeUndefined();
      expect(await monitor.check(entityId, 'EUR')).toBeUndefined();
      await expect(monitor.setThreshold(entityId, 'USD', 1n)).rejects.toBeInstanceOf(LedgerAccountError);
      expect(await ledger.balance(entityId, 'USD')).toBeUndefined();
    });
  });
});
