import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import {
  DynamoDbLedger,
  DynamoDbStoreError,
  DynamoDbEntityDirectory,
  DynamoDbTransactionLog,
  DeadlinePassedError,
  EntityChangedError,
  KeyClaimedError,
  TransactionFinalError,
  type TransactionStep,
  InsufficientFundsError,
  LedgerAccountError,
  LedgerConflictError,
  StoreRequestError,
  type LedgerAmount,
  type LedgerTransfer,
} from '../src/index';

const eur = (minor: bigint): LedgerAmount => ({ minor, currency: 'EUR', exponent: 2 });
const at = (second: number): string => new Date(Date.UTC(2026, 10, 27, 9, 0, second)).toISOString();

describe('DynamoDbLedger', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let ledger: DynamoDbLedger;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-ledger' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
  });

  /** A new entity with an opening balance, so that its balance is the sum of its postings from the start. */
  async function opened(minor: bigint): Promise<string> {
    const entityId = `ent-${randomUUID()}`;
    await ledger.adjust(entityId, eur(minor), `opening-${entityId}`, 'opening', at(0));
    return entityId;
  }

  async function sumOfPostings(entityId: string, currency: string): Promise<bigint> {
    return (await ledger.postings(entityId, currency)).reduce((sum, posting) => sum + posting.minor, 0n);
  }

  function transfer(debtorEntity: string, creditorEntity: string, amount: LedgerAmount, transactionId: string = randomUUID()): LedgerTransfer {
    return { transactionId, debtorEntity, creditorEntity, amount, timestamp: at(30) };
  }

  describe('adjust', () => {
    it('opens a balance and reports a repeat of the same reference as already posted', async () => {
      const entityId = `ent-${randomUUID()}`;
      expect(await ledger.adjust(entityId, eur(1_000_00n), 'opening-1', 'opening', at(0))).toEqual({ alreadyPosted: false });
      expect(await ledger.adjust(entityId, eur(1_000_00n), 'opening-1', 'opening', at(1))).toEqual({ alreadyPosted: true });
      expect(await ledger.balance(entityId, 'EUR')).toMatchObject({ entityId, currency: 'EUR', exponent: 2, minor: 1_000_00n });
      expect(await ledger.postings(entityId)).toEqual([
        { entityId, currency: 'EUR', exponent: 2, minor: 1_000_00n, transactionId: 'opening-1', leg: 'opening', timestamp: at(0) },
      ]);
    });

    it('credits and debits an existing balance', async () => {
      const entityId = await opened(500_00n);
      await ledger.adjust(entityId, eur(250_00n), 'top-up-1', 'top-up', at(1));
      await ledger.adjust(entityId, eur(-100_00n), 'withdrawal-1', 'withdrawal', at(2));
      expect((await ledger.balance(entityId, 'EUR'))?.minor).toBe(650_00n);
      expect(await sumOfPostings(entityId, 'EUR')).toBe(650_00n);
    });

    it('refuses a debit that would make the balance negative and changes nothing', async () => {
      const entityId = await opened(100_00n);
      await expect(ledger.adjust(entityId, eur(-100_01n), 'withdrawal-2', 'withdrawal', at(1))).rejects.toBeInstanceOf(InsufficientFundsError);
      await expect(ledger.adjust(`ent-${randomUUID()}`, eur(-1n), 'withdrawal-3', 'withdrawal', at(1))).rejects.toBeInstanceOf(InsufficientFundsError);
      expect((await ledger.balance(entityId, 'EUR'))?.minor).toBe(100_00n);
      expect(await ledger.postings(entityId)).toHaveLength(1);
    });

    it('refuses a different amount under a reference already posted', async () => {
      const entityId = await opened(100_00n);
      await expect(ledger.adjust(entityId, eur(999_00n), `opening-${entityId}`, 'opening', at(1))).rejects.toBeInstanceOf(LedgerConflictError);
      expect((await ledger.balance(entityId, 'EUR'))?.minor).toBe(100_00n);
    });

    it('refuses an exponent other than the one the balance is kept with', async () => {
      const entityId = await opened(100_00n);
      await expect(ledger.adjust(entityId, { minor: 5n, currency: 'EUR', exponent: 3 }, 'top-up-2', 'top-up', at(1))).rejects.toBeInstanceOf(
        LedgerAccountError,
      );
      expect(await ledger.postings(entityId)).toHaveLength(1);
    });
  });

  describe('transfer', () => {
    it('moves exactly the amount and keeps each balance equal to the sum of its postings', async () => {
      const [debtor, creditor] = await Promise.all([opened(1_000_00n), opened(50_00n)]);
      const transactionId = randomUUID();
      const receipt = await ledger.transfer(transfer(debtor, creditor, eur(123_45n), transactionId));
      expect(receipt).toEqual({ alreadyPosted: false });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(876_55n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(173_45n);
      expect(await sumOfPostings(debtor, 'EUR')).toBe(876_55n);
      expect(await sumOfPostings(creditor, 'EUR')).toBe(173_45n);
      expect((await ledger.postings(debtor)).at(-1)).toEqual({
        entityId: debtor,
        currency: 'EUR',
        exponent: 2,
        minor: -123_45n,
        transactionId,
        leg: 'debit',
        timestamp: at(30),
      });
      expect((await ledger.postings(creditor)).at(-1)).toMatchObject({ minor: 123_45n, transactionId, leg: 'credit' });
    });

    it('moves the whole balance, down to zero', async () => {
      const [debtor, creditor] = await Promise.all([opened(10_00n), opened(0n)]);
      await ledger.transfer(transfer(debtor, creditor, eur(10_00n)));
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(0n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(10_00n);
    });

    it('keeps amounts beyond the safe integer range exact', async () => {
      const big = 2n ** 60n + 7n;
      const [debtor, creditor] = await Promise.all([opened(big * 2n + 1n), opened(1n)]);
      await ledger.transfer(transfer(debtor, creditor, eur(big)));
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(big + 1n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(big + 1n);
      expect(await sumOfPostings(creditor, 'EUR')).toBe(big + 1n);
    });

    it('refuses an amount the balance does not cover and changes nothing', async () => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(0n)]);
      const refused = ledger.transfer(transfer(debtor, creditor, eur(100_01n)));
      await expect(refused).rejects.toBeInstanceOf(InsufficientFundsError);
      await expect(refused).rejects.toMatchObject({ entityId: debtor, currency: 'EUR' });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(0n);
      expect(await ledger.postings(debtor)).toHaveLength(1);
      expect(await ledger.postings(creditor)).toHaveLength(1);
    });

    it('reports a repeated transfer as already posted and posts it once', async () => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(0n)]);
      const request = transfer(debtor, creditor, eur(60_00n));
      expect(await ledger.transfer(request)).toEqual({ alreadyPosted: false });
      // The balance no longer covers a second debit: a repeat is still recognised as one.
      expect(await ledger.transfer(request)).toEqual({ alreadyPosted: true });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(40_00n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(60_00n);
      expect(await ledger.postings(creditor)).toHaveLength(2);
    });

    it('posts 20 concurrent identical transfers once', async () => {
      const [debtor, creditor] = await Promise.all([opened(1_000_00n), opened(0n)]);
      const request = transfer(debtor, creditor, eur(7_00n));
      const receipts = await Promise.all(Array.from({ length: 20 }, () => ledger.transfer(request)));
      expect(receipts.filter((receipt) => !receipt.alreadyPosted)).toHaveLength(1);
      expect(receipts.filter((receipt) => receipt.alreadyPosted)).toHaveLength(19);
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(993_00n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(7_00n);
      expect(await sumOfPostings(debtor, 'EUR')).toBe(993_00n);
      expect(await ledger.postings(creditor, 'EUR')).toHaveLength(2);
    });

    it('keeps the sum of all balances through concurrent transfers between the same entities', async () => {
      const entities = await Promise.all([opened(100_00n), opened(100_00n), opened(100_00n)]);
      const requests = Array.from({ length: 12 }, (_, index) => transfer(entities[index % 3], entities[(index + 1) % 3], eur(BigInt(index + 1))));
      await Promise.all(requests.map((request) => ledger.transfer(request)));
      const balances = await Promise.all(entities.map(async (entityId) => (await ledger.balance(entityId, 'EUR'))?.minor ?? 0n));
      expect(balances.reduce((sum, minor) => sum + minor, 0n)).toBe(300_00n);
      for (const [index, entityId] of entities.entries()) expect(await sumOfPostings(entityId, 'EUR')).toBe(balances[index]);
    });

    it('refuses the same transaction id with a different amount', async () => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(0n)]);
      const transactionId = randomUUID();
      await ledger.transfer(transfer(debtor, creditor, eur(10_00n), transactionId));
      await expect(ledger.transfer(transfer(debtor, creditor, eur(11_00n), transactionId))).rejects.toBeInstanceOf(LedgerConflictError);
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(90_00n);
    });

    it.each([
      ['the debtor', 'debtor'],
      ['the creditor', 'creditor'],
    ] as const)('refuses a currency %s holds no balance in', async (_, missing) => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(100_00n)]);
      await ledger.adjust(missing === 'debtor' ? creditor : debtor, { minor: 100_00n, currency: 'USD', exponent: 2 }, `usd-${randomUUID()}`, 'opening', at(0));
      const refused = ledger.transfer(transfer(debtor, creditor, { minor: 1_00n, currency: 'USD', exponent: 2 }));
      await expect(refused).rejects.toBeInstanceOf(LedgerAccountError);
      await expect(refused).rejects.toMatchObject({ entityId: missing === 'debtor' ? debtor : creditor, currency: 'USD' });
      expect((await ledger.balance(missing === 'debtor' ? creditor : debtor, 'USD'))?.minor).toBe(100_00n);
    });

    it('refuses an exponent other than the one the balances are kept with', async () => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(0n)]);
      await expect(ledger.transfer(transfer(debtor, creditor, { minor: 1_000n, currency: 'EUR', exponent: 3 }))).rejects.toBeInstanceOf(LedgerAccountError);
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
      expect(await ledger.postings(debtor)).toHaveLength(1);
    });

    it.each([
      ['a zero amount', { amount: eur(0n) }],
      ['a negative amount', { amount: eur(-5n) }],
      ['a malformed currency', { amount: { minor: 5n, currency: 'eur', exponent: 2 } }],
      ['an unreadable timestamp', { timestamp: 'yesterday' }],
    ])('refuses %s', async (_, change) => {
      const [debtor, creditor] = await Promise.all([opened(100_00n), opened(0n)]);
      await expect(ledger.transfer({ ...transfer(debtor, creditor, eur(1n)), ...change })).rejects.toBeInstanceOf(StoreRequestError);
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
    });

    it('refuses a transfer from an entity to itself', async () => {
      const entityId = await opened(100_00n);
      await expect(ledger.transfer(transfer(entityId, entityId, eur(1n)))).rejects.toBeInstanceOf(StoreRequestError);
    });
  });

  describe('reads', () => {
    it('lists every balance of an entity and its postings oldest first, of one currency when asked', async () => {
      const entityId = `ent-${randomUUID()}`;
      await ledger.adjust(entityId, { minor: 5_000n, currency: 'JPY', exponent: 0 }, 'jpy-opening', 'opening', at(5));
      await ledger.adjust(entityId, eur(20_00n), 'eur-opening', 'opening', at(1));
      await ledger.adjust(entityId, eur(5_00n), 'eur-top-up', 'top-up', at(3));
      expect((await ledger.balances(entityId)).map(({ currency, exponent, minor }) => ({ currency, exponent, minor }))).toEqual([
        { currency: 'EUR', exponent: 2, minor: 25_00n },
        { currency: 'JPY', exponent: 0, minor: 5_000n },
      ]);
      expect((await ledger.postings(entityId)).map((posting) => posting.transactionId)).toEqual(['eur-opening', 'eur-top-up', 'jpy-opening']);
      expect((await ledger.postings(entityId, 'JPY')).map((posting) => posting.minor)).toEqual([5_000n]);
    });

    it('reads a seeded balance, and nothing for a currency or entity without one', async () => {
      expect(await ledger.balance('ent-alpha', 'EUR')).toMatchObject({ entityId: 'ent-alpha', currency: 'EUR', exponent: 2, minor: 1_000_000_00n });
      expect(await ledger.balance('ent-alpha', 'CHF')).toBeUndefined();
      expect(await ledger.balances('ent-nobody')).toEqual([]);
      expect(await ledger.postings('ent-nobody')).toEqual([]);
    });

    it('reports a missing table as a store failure', async () => {
      const missing = new DynamoDbLedger({ client: dynamodb, tableName: 'no-such-table' });
      await expect(missing.balance('ent-alpha', 'EUR')).rejects.toBeInstanceOf(DynamoDbStoreError);
      await expect(missing.transfer(transfer('ent-alpha', 'ent-beta', eur(1n)))).rejects.toBeInstanceOf(DynamoDbStoreError);
    });
  });

  describe('transfer with its step', () => {
    const step = (transactionId: string, status: string, final: boolean): TransactionStep => ({
      transactionId,
      step: `pacs008#${status}`,
      status,
      timestamp: at(40),
      requestId: randomUUID(),
      final,
    });

    it('moves the liquidity and records the step in one write, and finds both done on a repeat', async () => {
      const combined = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table });
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      const move = transfer(debtor, creditor, eur(40_00n));
      expect(await combined.transfer(move, step(move.transactionId, 'ACSC', true))).toEqual({ alreadyPosted: false });
      expect(await log.summary(move.transactionId)).toMatchObject({ status: 'ACSC', final: true });
      expect(await combined.transfer(move, step(move.transactionId, 'ACSC', true))).toEqual({ alreadyPosted: true });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(60_00n);
      expect(await sumOfPostings(debtor, 'EUR')).toBe(60_00n);
    });

    it('posts nothing once the transaction is final', async () => {
      const combined = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table });
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      const move = transfer(debtor, creditor, eur(40_00n));
      // A timeout got there first.
      await log.record({ ...step(move.transactionId, 'RJCT', true), step: 'timeout#RJCT', reasonCode: 'AB05' });
      await expect(combined.transfer(move, step(move.transactionId, 'ACSC', true))).rejects.toBeInstanceOf(TransactionFinalError);
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
      expect(await ledger.postings(creditor)).toHaveLength(1);
      expect(await log.summary(move.transactionId)).toMatchObject({ status: 'RJCT', reasonCode: 'AB05' });
    });

    it('posts nothing at or after the transaction\'s deadline, and says so', async () => {
      const combined = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table });
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      const late = transfer(debtor, creditor, eur(40_00n));
      await log.record({ ...step(late.transactionId, 'ACTC', false), step: 'incoming#ACTC', deadline: at(40) });
      const refusal = combined.transfer(late, step(late.transactionId, 'ACSC', true));
      await expect(refusal).rejects.toBeInstanceOf(DeadlinePassedError);
      await expect(refusal).rejects.toMatchObject({ deadline: at(40) });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
      expect(await log.summary(late.transactionId)).toMatchObject({ status: 'ACTC', final: false });

      const inTime = transfer(debtor, creditor, eur(40_00n));
      await log.record({ ...step(inTime.transactionId, 'ACTC', false), step: 'incoming#ACTC', deadline: at(41) });
      expect(await combined.transfer(inTime, step(inTime.transactionId, 'ACSC', true))).toEqual({ alreadyPosted: false });
      expect(await log.summary(inTime.transactionId)).toMatchObject({ status: 'ACSC', final: true, finalStep: 'pacs008#ACSC' });
    });

    it('claims its keys in the same write: a key another transaction holds moves nothing and names the holder', async () => {
      const combined = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table });
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      const uetr = `uetr#${debtor}#${randomUUID()}`;
      const first = transfer(debtor, creditor, eur(10_00n));
      expect(await combined.transfer(first, step(first.transactionId, 'ACSC', true), undefined, { claims: [uetr] })).toEqual({ alreadyPosted: false });
      expect(await log.claim(uetr, randomUUID())).toBe(first.transactionId);
      // A redelivery of the same transfer finds it done, its own claim included.
      expect(await combined.transfer(first, step(first.transactionId, 'ACSC', true), undefined, { claims: [uetr] })).toEqual({ alreadyPosted: true });

      const repeat = transfer(debtor, creditor, eur(10_00n));
      const refusal = combined.transfer(repeat, step(repeat.transactionId, 'ACSC', true), undefined, { claims: [`txid#${debtor}#${randomUUID()}`, uetr] });
      await expect(refusal).rejects.toBeInstanceOf(KeyClaimedError);
      await expect(refusal).rejects.toMatchObject({ key: uetr, owner: first.transactionId });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(90_00n);
      expect(await log.summary(repeat.transactionId)).toBeUndefined();
    });

    it('moves nothing when a party it relied on is no longer active', async () => {
      const entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table });
      const checked = new DynamoDbLedger({
        client: dynamodb,
        tableName: cloud.tables.liquidity_table,
        transactionTableName: cloud.tables.transaction_table,
        entityTableName: cloud.tables.entity_table,
      });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      await entities.create({ entityId: debtor, name: 'Debtor', bic: `D${randomUUID().slice(0, 7).toUpperCase()}XXX`, bics: [], accounts: [], status: 'ACTIVE' });
      await entities.create({ entityId: creditor, name: 'Creditor', bic: `C${randomUUID().slice(0, 7).toUpperCase()}XXX`, bics: [], accounts: [], status: 'SUSPENDED' });
      const move = transfer(debtor, creditor, eur(10_00n));
      const refusal = checked.transfer(move, step(move.transactionId, 'ACSC', true), undefined, { activeEntities: [debtor, creditor] });
      await expect(refusal).rejects.toBeInstanceOf(EntityChangedError);
      await expect(refusal).rejects.toMatchObject({ entityId: creditor });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_00n);
    });

    it('reports a party that changed before a key another transaction holds, so that the payment is decided again on what the party is now', async () => {
      const entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: cloud.tables.entity_table });
      const checked = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table, entityTableName: cloud.tables.entity_table });
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      await entities.create({ entityId: debtor, name: 'Debtor', bic: `D${randomUUID().slice(0, 7).toUpperCase()}XXX`, bics: [], accounts: [], status: 'ACTIVE' });
      await entities.create({ entityId: creditor, name: 'Creditor', bic: `C${randomUUID().slice(0, 7).toUpperCase()}XXX`, bics: [], accounts: [], status: 'SUSPENDED' });
      const uetr = `uetr#${debtor}#${randomUUID()}`;
      const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
      await log.claim(uetr, randomUUID());
      const move = transfer(debtor, creditor, eur(10_00n));
      await expect(checked.transfer(move, step(move.transactionId, 'ACSC', true), undefined, { claims: [uetr], activeEntities: [debtor, creditor] })).rejects.toBeInstanceOf(EntityChangedError);
    });

    it('needs the transaction table to record a step', async () => {
      const [debtor, creditor] = [await opened(100_00n), await opened(0n)];
      const move = transfer(debtor, creditor, eur(1_00n));
      await expect(ledger.transfer(move, step(move.transactionId, 'ACSC', true))).rejects.toBeInstanceOf(StoreRequestError);
    });
  });
});
