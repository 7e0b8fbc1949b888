import { randomUUID } from 'node:crypto';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import {
  createdKey,
  DynamoDbEntityDirectory,
  DynamoDbMappingDirectory,
  DynamoDbTransactionLog,
  RecordChangedError,
  StepAlreadyRecordedError,
  StoreRequestError,
  TransactionFinalError,
  type TransactionStep,
  type TransactionSummary,
} from '../src/index';

const at = (minute: number, second = 0): string => new Date(Date.UTC(2026, 10, 27, 10, minute, second)).toISOString();

describe('DynamoDbTransactionLog state, lists and claims', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let log: DynamoDbTransactionLog;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-state' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
  });

  /** The first step of a transaction from `senderEntity`, received at `timestamp`. */
  function received(senderEntity: string, timestamp: string, transactionId: string = randomUUID()): TransactionStep {
    return {
      transactionId,
      step: 'incoming#RCVD',
      status: 'RCVD',
      timestamp,
      requestId: randomUUID(),
      messageType: 'pacs.008',
      entityId: senderEntity,
      parties: { senderEntity },
    };
  }

  /** Records a transaction from `sender` to `receiver` created at `timestamp`, ending in `status`. */
  async function transaction(sender: string, receiver: string, timestamp: string, status = 'ACSC'): Promise<string> {
    const first = received(sender, timestamp);
    await log.record(first);
    await log.record({
      ...first,
      step: `pacs008#${status}`,
      status,
      timestamp: new Date(Date.parse(timestamp) + 250).toISOString(),
      parties: { senderEntity: sender, receiverEntity: receiver },
      final: true,
    });
    return first.transactionId;
  }

  /** Whether the open index (by deadline) holds the transaction. */
  async function openIndexHas(transactionId: string, deadline: string): Promise<boolean> {
    const { Items = [] } = await dynamodb.send(
      new QueryCommand({
        TableName: cloud.tables.transaction_table,
        IndexName: 'byOpenAge',
        KeyConditionExpression: 'openKey = :open AND deadlineKey = :key',
        ExpressionAttributeValues: { ':open': { S: 'OPEN' }, ':key': { S: createdKey(deadline, transactionId) } },
      }),
    );
    return Items.length > 0;
  }

  async function everyPage(entityId: string, query: { status?: string; from?: string; to?: string; limit?: number }): Promise<TransactionSummary[][]> {
    const pages: TransactionSummary[][] = [];
    let cursor: string | undefined;
    do {
      const page = await log.list(entityId, { ...query, ...(cursor ? { cursor } : {}) });
      pages.push([...page.items]);
      cursor = page.cursor;
    } while (cursor && pages.length < 50);
    return pages;
  }

  describe('record and summary', () => {
    it('keeps the current state of a transaction with every step', async () => {
      const first = received('ent-s1', at(0, 1));
      await log.record({ ...first, messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: ['8a562c67-ca16-48ba-b074-65581be6f011'] } });
      expect(await log.summary(first.transactionId)).toEqual({
        transactionId: first.transactionId,
        status: 'RCVD',
        messageType: 'pacs.008',
        messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: ['8a562c67-ca16-48ba-b074-65581be6f011'] },
        senderEntity: 'ent-s1',
        createdAt: at(0, 1),
        updatedAt: at(0, 1),
        final: false,
      });
      await log.record({
        ...first,
        step: 'pacs008#ACSC',
        status: 'ACSC',
        timestamp: at(0, 2),
        messageType: 'pacs.002',
        parties: { receiverEntity: 'ent-r1' },
        amount: { minor: 9_007_199_254_740_993n, currency: 'EUR', exponent: 2 },
        final: true,
      });
      expect(await log.summary(first.transactionId)).toEqual({
        transactionId: first.transactionId,
        status: 'ACSC',
        // The first step's type stays.
        messageType: 'pacs.008',
        messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: ['8a562c67-ca16-48ba-b074-65581be6f011'] },
        senderEntity: 'ent-s1',
        receiverEntity: 'ent-r1',
        amount: { minor: 9_007_199_254_740_993n, currency: 'EUR', exponent: 2 },
        createdAt: at(0, 1),
        updatedAt: at(0, 2),
        final: true,
        // Which step ended it: a redelivered record answers only what its own step decided.
        finalStep: 'pacs008#ACSC',
      });
    });

    it('returns the recorded steps only, without the state item', async () => {
      const first = received('ent-s1', at(0, 3));
      const rejected: TransactionStep = { ...first, step: 'pacs008#RJCT', status: 'RJCT', timestamp: at(0, 4), reasonCode: 'AM04', final: true, amount: { minor: 1n, currency: 'JPY', exponent: 0 } };
      await log.record(first);
      await log.record(rejected);
      expect(await log.steps(first.transactionId)).toEqual([first, rejected]);
      expect((await log.summary(first.transactionId))?.reasonCode).toBe('AM04');
      // One read gives both.
      expect(await log.history(first.transactionId)).toEqual({ summary: await log.summary(first.transactionId), steps: [first, rejected] });
      expect(await log.history('00000000-0000-4000-8000-00000000dead')).toEqual({ steps: [] });
    });

    it('refuses a step after a final status and leaves the transaction as it was', async () => {
      const transactionId = await transaction('ent-s1', 'ent-r1', at(0, 5), 'RJCT');
      const before = await log.summary(transactionId);
      const late = log.record({ ...received('ent-s1', at(0, 9), transactionId), step: 'pacs008#ACSC', status: 'ACSC', final: true });
      await expect(late).rejects.toBeInstanceOf(TransactionFinalError);
      await expect(late).rejects.toMatchObject({ transactionId, status: 'RJCT' });
      expect(await log.summary(transactionId)).toEqual(before);
      expect((await log.steps(transactionId)).map((step) => step.step)).toEqual(['incoming#RCVD', 'pacs008#RJCT']);
    });

    it('reports a repeated step as already recorded, final or not', async () => {
      const first = received('ent-s1', at(0, 10));
      await log.record(first);
      await expect(log.record({ ...first, requestId: randomUUID() })).rejects.toBeInstanceOf(StepAlreadyRecordedError);
      const final = { ...first, step: 'pacs008#ACSC', status: 'ACSC', timestamp: at(0, 11), final: true };
      await log.record(final);
      await expect(log.record(final)).rejects.toBeInstanceOf(StepAlreadyRecordedError);
    });

    it('records an informational step after a final status without changing the state', async () => {
      const transactionId = await transaction('ent-s1', 'ent-r1', at(0, 12));
      const before = await log.summary(transactionId);
      const notified: TransactionStep = { ...received('ent-s1', at(0, 20), transactionId), step: 'outgoing#NOTIFIED', status: 'ACSC', informational: true };
      await log.record(notified);
      expect(await log.summary(transactionId)).toEqual(before);
      expect((await log.steps(transactionId)).at(-1)).toEqual(notified);
    });

    it('records concurrent steps of one transaction, each once', async () => {
      const first = received('ent-s1', at(0, 30));
      await log.record(first);
      const steps = Array.from({ length: 6 }, (_, index) => ({ ...first, step: `check${index}#ACTC`, status: 'ACTC', timestamp: at(0, 31 + index) }));
      await Promise.all(steps.map((step) => log.record(step)));
      expect(await log.steps(first.transactionId)).toHaveLength(7);
      expect((await log.summary(first.transactionId))?.status).toBe('ACTC');
    });

    it('keeps a transaction with a deadline in the open index until it is final', async () => {
      const first = { ...received('ent-s1', at(0, 40)), deadline: at(0, 50) };
      await log.record(first);
      expect(await openIndexHas(first.transactionId, first.deadline)).toBe(true);
      await log.record({ ...first, step: 'pacs008#ACSC', status: 'ACSC', timestamp: at(0, 41), final: true, deadline: undefined });
      expect(await openIndexHas(first.transactionId, first.deadline)).toBe(false);
    });

    it('returns undefined for a transaction without steps', async () => {
      expect(await log.summary(randomUUID())).toBeUndefined();
    });

    it('reads the state of many transactions at once, in the order asked, leaving out those without one', async () => {
      // More than one BatchGetItem holds (100 keys), and a repeated and an unknown id among them.
      const ids = await Promise.all(Array.from({ length: 130 }, (_, index) => transaction('ent-batch', `ent-to-${index}`, at(3, index % 60), index % 2 ? 'ACSC' : 'RJCT')));
      const unknown = randomUUID();
      const asked = [...ids.slice(60), unknown, ...ids.slice(0, 60), ids[5]!];
      const read = await log.summaries(asked);
      expect(read.map((summary) => summary.transactionId)).toEqual(asked.filter((id) => id !== unknown));
      expect(read[0]).toEqual(await log.summary(ids[60]!));
      expect(read.at(-1)).toMatchObject({ transactionId: ids[5], status: 'ACSC', receiverEntity: 'ent-to-5', final: true });
      expect(await log.summaries([])).toEqual([]);
    });

    it.each([
      ['the state step name', { step: 'STATE' }],
      ['the claim step name', { step: 'CLAIM' }],
      ['a claim key as transaction id', { transactionId: 'CLAIM#uetr#x' }],
      ['an unreadable timestamp', { timestamp: 'now' }],
    ])('refuses %s', async (_, change) => {
      await expect(log.record({ ...received('ent-s1', at(0, 50)), ...change })).rejects.toBeInstanceOf(StoreRequestError);
    });
  });

  describe('list', () => {
    // Entities of their own, so that other tests' transactions stay out of these lists.
    const sender = `ent-list-s-${randomUUID()}`;
    const receiver = `ent-list-r-${randomUUID()}`;
    const third = `ent-list-t-${randomUUID()}`;
    const created: { id: string; at: string; status: string }[] = [];
    let toThird: string;

    beforeAll(async () => {
      for (let minute = 0; minute < 7; minute += 1) {
        const from = minute % 3 === 2 ? receiver : sender;
        const to = from === sender ? receiver : sender;
        const status = minute % 2 === 0 ? 'ACSC' : 'RJCT';
        created.push({ id: await transaction(from, to, at(10 + minute), status), at: at(10 + minute), status });
      }
      // One to itself, and one between two others.
      created.push({ id: await transaction(sender, sender, at(20)), at: at(20), status: 'ACSC' });
      toThird = await transaction(receiver, third, at(21));
    });

    const newestFirst = (items: readonly { id: string }[]): string[] => items.map((item) => item.id);
    const expected = (): { id: string; at: string; status: string }[] => [...created].sort((a, b) => b.at.localeCompare(a.at));

    it('lists what an entity sent and received, newest first, page by page', async () => {
      const pages = await everyPage(sender, { limit: 3 });
      expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
      expect(pages.flat().map((item) => item.transactionId)).toEqual(newestFirst(expected()));
      expect(pages.flat().map((item) => item.createdAt)).toEqual(expected().map((item) => item.at));
    });

    it('shows a transaction to both parties and not to a third', async () => {
      const [forSender, forReceiver, forThird] = await Promise.all([log.list(sender), log.list(receiver), log.list(third)]);
      const between = created.filter((item) => item.at !== at(20)).map((item) => item.id);
      expect(forSender.items.map((item) => item.transactionId)).toEqual(expect.arrayContaining(between));
      expect(forReceiver.items.map((item) => item.transactionId)).toEqual(expect.arrayContaining(between));
      expect(forReceiver.items).toHaveLength(between.length + 1);
      expect(forThird.items.map((item) => item.transactionId)).toEqual([toThird]);
      expect(forSender.cursor).toBeUndefined();
    });

    it('lists a transaction sent to oneself once', async () => {
      const { items } = await log.list(sender);
      expect(items).toHaveLength(created.length);
      expect(items.filter((item) => item.senderEntity === sender && item.receiverEntity === sender)).toHaveLength(1);
    });

    it('filters by status across pages', async () => {
      const pages = await everyPage(sender, { status: 'RJCT', limit: 2 });
      const rejected = expected().filter((item) => item.status === 'RJCT');
      expect(rejected.length).toBeGreaterThan(2);
      expect(pages.flat().map((item) => item.transactionId)).toEqual(newestFirst(rejected));
      expect(pages.flat().every((item) => item.status === 'RJCT')).toBe(true);
    });

    it('limits to a time window, from inclusive and to exclusive', async () => {
      const pages = await everyPage(sender, { from: at(12), to: at(15), limit: 2 });
      expect(pages.flat().map((item) => item.createdAt)).toEqual([at(14), at(13), at(12)]);
    });

    it('returns an empty page for an empty window', async () => {
      expect(await log.list(sender, { from: at(15), to: at(15) })).toEqual({ items: [] });
      expect(await log.list(sender, { from: at(40) })).toEqual({ items: [] });
    });

    it('keeps the page size between 1 and 200', async () => {
      expect((await log.list(sender, { limit: 1_000 })).items).toHaveLength(created.length);
      expect((await log.list(sender, { limit: 0 })).items).toHaveLength(1);
    });

    it('refuses a cursor it did not issue', async () => {
      await expect(log.list(sender, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(StoreRequestError);
    });

    it('filters by the other party, whichever side the entity was on', async () => {
      expect((await log.list(receiver, { counterparty: third })).items.map((item) => item.transactionId)).toEqual([toThird]);
      expect((await log.list(sender, { counterparty: third })).items).toEqual([]);
      const withSender = await log.list(receiver, { counterparty: sender });
      expect(withSender.items.map((item) => item.transactionId)).toEqual(expect.arrayContaining(created.filter((item) => item.at !== at(20)).map((item) => item.id)));
      expect(withSender.items.map((item) => item.transactionId)).not.toContain(toThird);
    });

    it('filters by message type', async () => {
      expect((await log.list(sender, { messageType: 'pacs.004' })).items).toEqual([]);
      expect((await log.list(sender, { messageType: 'pacs.008' })).items).toHaveLength(created.length);
    });

    it('lists several entities at once, each transaction once, newest first, page by page', async () => {
      const pages: TransactionSummary[][] = [];
      let cursor: string | undefined;
      do {
        const page = await log.list([sender, third, sender], { limit: 4, ...(cursor ? { cursor } : {}) });
        pages.push([...page.items]);
        cursor = page.cursor;
      } while (cursor && pages.length < 10);
      const all = [...created, { id: toThird, at: at(21), status: 'ACSC' }].sort((a, b) => b.at.localeCompare(a.at));
      expect(pages.flat().map((item) => item.transactionId)).toEqual(all.map((item) => item.id));
      expect(await log.list([], {})).toEqual({ items: [] });
    });
  });

  describe('recordFirstSteps with the records the decision read', () => {
    it('writes when the mapping and the entity are still at the versions read, and nothing when one changed', async () => {
      const checked = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table, entityTableName: cloud.tables.entity_table, mappingTableName: cloud.tables.mapping_table });
      const mappings = new DynamoDbMappingDirectory({ client: dynamodb, tableName: cloud.tables.mapping_table });
      const entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table });
      const suffix = randomUUID().slice(0, 8);
      const entityId = `ent-read-${suffix}`;
      await entities.create({ entityId, name: 'Read', bic: 'READDEFFXXX', bics: [], accounts: [], status: 'ACTIVE' });
      await mappings.create({ clientId: `client-${suffix}`, entityId, scopes: ['payments/write'], status: 'ACTIVE' });
      const mapping = (await mappings.find(`client-${suffix}`))!;
      const entity = (await entities.get(entityId))!;
      const first = (timestamp: string): TransactionStep[] => {
        const rcvd = received(entityId, timestamp);
        return [rcvd, { ...rcvd, step: 'incoming#ACTC', status: 'ACTC', timestamp: new Date(Date.parse(timestamp) + 1).toISOString() }];
      };
      const reads = () => [
        { kind: 'mapping' as const, id: mapping.clientId, version: mapping.version ?? 0 },
        { kind: 'entity' as const, id: entityId, version: entity.version ?? 0 },
      ];
      const accepted = first(at(40));
      await checked.recordFirstSteps(accepted, [], reads());
      expect((await checked.summary(accepted[0]!.transactionId))?.status).toBe('ACTC');

      await entities.update(entityId, { status: 'SUSPENDED' }, entity.version ?? 0);
      const refused = first(at(41));
      const error = await checked.recordFirstSteps(refused, [{ key: `msgid#${suffix}` }], reads()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RecordChangedError);
      expect(error).toMatchObject({ kind: 'entity', id: entityId });
      expect(await checked.steps(refused[0]!.transactionId)).toEqual([]);
      // The claim went with the refused write: it is free.
      expect(await checked.claim(`msgid#${suffix}`, refused[0]!.transactionId)).toBe(refused[0]!.transactionId);

      await mappings.update(mapping.clientId, { status: 'SUSPENDED' }, mapping.version ?? 0);
      const fresh = (await entities.get(entityId))!;
      const again = first(at(42));
      await expect(checked.recordFirstSteps(again, [], [reads()[0]!, { kind: 'entity', id: entityId, version: fresh.version ?? 0 }])).rejects.toMatchObject({ kind: 'mapping', id: mapping.clientId });
    });

    it('refuses reads it has no table for', async () => {
      const steps = [received('ent-x', at(43))];
      await expect(log.recordFirstSteps(steps, [], [{ kind: 'entity', id: 'ent-x', version: 1 }])).rejects.toBeInstanceOf(StoreRequestError);
    });
  });

  describe('claim and release', () => {
    it('gives a key to the first transaction that claims it', async () => {
      const key = `uetr#ent-s1#${randomUUID()}`;
      const [first, second] = [randomUUID(), randomUUID()];
      expect(await log.claim(key, first)).toBe(first);
      expect(await log.claim(key, second)).toBe(first);
      expect(await log.claim(key, first)).toBe(first);
    });

    it('gives a key to exactly one of 20 concurrent claimants', async () => {
      const key = `e2e#ent-s1#${randomUUID()}`;
      const claimants = Array.from({ length: 20 }, () => randomUUID());
      const owners = await Promise.all(claimants.map((transactionId) => log.claim(key, transactionId)));
      expect(new Set(owners).size).toBe(1);
      expect(claimants).toContain(owners[0]);
      expect(await log.claim(key, randomUUID())).toBe(owners[0]);
    });

    it('releases a key for its owner only', async () => {
      const key = `uetr#ent-s1#${randomUUID()}`;
      const [owner, other] = [randomUUID(), randomUUID()];
      await log.claim(key, owner);
      await log.release(key, other);
      expect(await log.claim(key, other)).toBe(owner);
      await log.release(key, owner);
      await log.release(key, owner);
      expect(await log.claim(key, other)).toBe(other);
    });

    it('keeps claims out of the steps and the lists', async () => {
      const transactionId = await transaction('ent-claims', 'ent-r1', at(30));
      await log.claim(`uetr#ent-claims#${transactionId}`, transactionId);
      expect(await log.steps(transactionId)).toHaveLength(2);
      expect((await log.list('ent-claims')).items.map((item) => item.transactionId)).toEqual([transactionId]);
    });
  });
});
