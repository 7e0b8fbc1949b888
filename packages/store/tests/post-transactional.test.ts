import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import {
  DeadLetterNotFoundError,
  DynamoDbDeadLetterStore,
  DynamoDbLedger,
  DynamoDbTransactionLog,
  ReturnConflictError,
  originalFor,
  type DeadLetter,
  type LedgerAmount,
  type TransactionStep,
} from '../src/index';

const eur = (minor: bigint): LedgerAmount => ({ minor, currency: 'EUR', exponent: 2 });
const at = (second: number): string => new Date(Date.UTC(2026, 11, 2, 9, 0, second)).toISOString();

describe('what returns, cancellations, status requests, timeouts and dead letters need of the store', () => {
  let cloud: LocalCloud;
  let dynamodb: DynamoDBClient;
  let log: DynamoDbTransactionLog;
  let ledger: DynamoDbLedger;
  let letters: DynamoDbDeadLetterStore;

  beforeAll(async () => {
    cloud = await startLocalCloud({ namePrefix: 'mxflow-store-post' });
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table });
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table, transactionTableName: cloud.tables.transaction_table });
    letters = new DynamoDbDeadLetterStore({ client: dynamodb, tableName: cloud.tables.deadletter_table });
  }, 120_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await cloud?.stop();
  });

  function accepted(sender: string, ids: { uetr: string; endToEndId: string; msgId: string }, deadline?: string): TransactionStep {
    return {
      transactionId: randomUUID(),
      step: 'incoming#ACTC',
      status: 'ACTC',
      timestamp: at(1),
      requestId: randomUUID(),
      messageType: 'pacs.008',
      parties: { senderEntity: sender },
      messageIds: { msgId: ids.msgId, endToEndIds: [ids.endToEndId], uetrs: [ids.uetr] },
      ...(deadline ? { deadline } : {}),
    };
  }

  describe('findByReference', () => {
    it('finds a transaction by its UETR, EndToEndId or MsgId, newest first, and only of the type asked for', async () => {
      const ids = { uetr: randomUUID(), endToEndId: `E2E-${randomUUID().slice(0, 8)}`, msgId: `MSG-${randomUUID().slice(0, 8)}` };
      const older = accepted('ent-a', ids);
      const newer = { ...accepted('ent-a', ids), timestamp: at(5) };
      await log.record(older);
      await log.record(newer);
      // A cancellation carrying the same original ids is of another type: it never answers for the payment.
      await log.record({ ...accepted('ent-a', ids), messageType: 'camt.056' });

      for (const reference of [{ uetr: ids.uetr }, { endToEndId: ids.endToEndId }, { msgId: ids.msgId }]) {
        const found = await log.findByReference({ messageType: 'pacs.008', ...reference });
        expect(found.map((summary) => summary.transactionId)).toEqual([newer.transactionId, older.transactionId]);
      }
      expect(await log.findByReference({ messageType: 'pacs.008', uetr: randomUUID() })).toEqual([]);
      expect(await log.findByReference({ messageType: 'pacs.008' })).toEqual([]);
    });
  });

  describe('originalFor', () => {
    const fresh = () => ({ uetr: randomUUID(), endToEndId: 'NOTPROVIDED', msgId: `MSG-${randomUUID().slice(0, 8)}` });
    /** A payment of `sender` to `receiver`, ending with `status` (and `reasonCode`). */
    async function payment(sender: string, ids: { uetr: string; endToEndId: string; msgId: string; txId?: string }, status: string, reasonCode?: string): Promise<string> {
      const step = { ...accepted(sender, ids), messageIds: { msgId: ids.msgId, endToEndIds: [ids.endToEndId], uetrs: [ids.uetr], ...(ids.txId ? { txIds: [ids.txId] } : {}) } };
      await log.record(step);
      await log.record({ ...step, step: `pacs008#${status}`, status, timestamp: at(2), final: true, parties: { receiverEntity: 'ent-receiver' }, ...(reasonCode ? { reasonCode } : {}) });
      return step.transactionId;
    }

    it('never lets a rejected duplicate shadow the settled payment it repeated', async () => {
      const ids = fresh();
      const settled = await payment('ent-o1', ids, 'ACSC');
      // The same UETR under a new MsgId, refused AM05: newer, and found first by the index.
      await payment('ent-o1', { ...ids, msgId: `MSG-${randomUUID().slice(0, 8)}` }, 'RJCT', 'AM05');
      expect((await originalFor(log, { uetr: ids.uetr }, 'ent-o1'))?.transactionId).toBe(settled);
      expect((await originalFor(log, { uetr: ids.uetr, msgId: ids.msgId }, 'ent-o1'))?.transactionId).toBe(settled);
      expect((await originalFor(log, { msgId: ids.msgId, endToEndId: 'NOTPROVIDED' }, 'ent-o1'))?.transactionId).toBe(settled);
      // The receiver finds it too; a stranger finds nothing.
      expect((await originalFor(log, { uetr: ids.uetr }, 'ent-receiver'))?.transactionId).toBe(settled);
      expect(await originalFor(log, { uetr: ids.uetr }, 'ent-stranger')).toBeUndefined();
    });

    it('never finds a payment by its EndToEndId alone', async () => {
      const ids = fresh();
      await payment('ent-o2', ids, 'ACSC');
      expect(await originalFor(log, { endToEndId: ids.endToEndId }, 'ent-o2')).toBeUndefined();
    });

    it('narrows a MsgId by the TxId, EndToEndId or InstrId given with it', async () => {
      const ids = { ...fresh(), txId: 'TX-1' };
      const found = await payment('ent-o3', ids, 'ACSC');
      expect((await originalFor(log, { msgId: ids.msgId, txId: 'TX-1' }, 'ent-o3'))?.transactionId).toBe(found);
      expect(await originalFor(log, { msgId: ids.msgId, txId: 'TX-2' }, 'ent-o3')).toBeUndefined();
      expect(await originalFor(log, { msgId: ids.msgId, endToEndId: 'OTHER' }, 'ent-o3')).toBeUndefined();
    });

    it('says so instead of guessing when the references fit several payments', async () => {
      const ids = fresh();
      await payment('ent-o4', ids, 'ACSC');
      await payment('ent-o4', { ...ids, msgId: `MSG-${randomUUID().slice(0, 8)}` }, 'ACSC');
      await expect(originalFor(log, { uetr: ids.uetr }, 'ent-o4')).rejects.toMatchObject({ name: 'AmbiguousOriginalError', count: 2 });
      expect(await originalFor(log, { uetr: ids.uetr, msgId: ids.msgId }, 'ent-o4')).toMatchObject({ messageIds: { msgId: ids.msgId } });
    });
  });

  describe('overdue', () => {
    it('lists open transactions past their deadline, and forgets them once final', async () => {
      const ids = () => ({ uetr: randomUUID(), endToEndId: 'E2E', msgId: 'M' });
      const late = accepted('ent-b', ids(), '2026-12-02T09:00:10.000Z');
      const onTime = accepted('ent-b', ids(), '2099-01-01T00:00:00.000Z');
      await log.record(late);
      await log.record(onTime);
      const now = new Date('2026-12-02T09:00:10.000Z');
      expect(await log.overdue(now, 1000)).toContain(late.transactionId);
      expect(await log.overdue(now, 1000)).not.toContain(onTime.transactionId);
      expect(await log.overdue(new Date('2026-12-02T09:00:09.999Z'), 1000)).not.toContain(late.transactionId);

      await log.record({ ...late, step: 'timeout#RJCT', status: 'RJCT', reasonCode: 'AB05', final: true, timestamp: at(11) });
      expect(await log.overdue(now, 1000)).not.toContain(late.transactionId);
      expect(await log.summary(late.transactionId)).toMatchObject({ status: 'RJCT', deadline: '2026-12-02T09:00:10.000Z', final: true });
    });

    it('gives, in the same read, the deadline of the first open transaction not due yet, and whether more are due than asked for', async () => {
      const ids = () => ({ uetr: randomUUID(), endToEndId: 'E2E', msgId: 'M' });
      const due = [accepted('ent-w', ids(), '2026-12-03T09:00:01.000Z'), accepted('ent-w', ids(), '2026-12-03T09:00:02.000Z')];
      const next = accepted('ent-w', ids(), '2026-12-03T09:00:05.000Z');
      for (const step of [...due, next]) await log.record(step);
      // Transactions of other tests share the table: what matters is what lies around these.
      const work = await log.sweepWork(new Date('2026-12-03T09:00:02.000Z'), 1000);
      expect(work.overdue).toEqual(expect.arrayContaining(due.map((step) => step.transactionId)));
      expect(work.overdue).not.toContain(next.transactionId);
      expect(work.nextDeadline?.getTime()).toBeLessThanOrEqual(Date.parse('2026-12-03T09:00:05.000Z'));
      expect(work.nextDeadline?.getTime()).toBeGreaterThan(Date.parse('2026-12-03T09:00:02.000Z'));
      const first = await log.sweepWork(new Date('2026-12-03T09:00:02.000Z'), 1);
      expect(first).toMatchObject({ more: true });
      expect(first.overdue).toHaveLength(1);
    });
  });

  describe('returns', () => {
    /** A settled payment of `minor` from a new debtor to a new creditor, each opened with 1,000.00. */
    async function settled(minor: bigint): Promise<{ original: string; debtor: string; creditor: string }> {
      const [debtor, creditor] = [`ent-${randomUUID()}`, `ent-${randomUUID()}`];
      await ledger.adjust(debtor, eur(100_000n), `opening-${debtor}`, 'opening', at(0));
      await ledger.adjust(creditor, eur(100_000n), `opening-${creditor}`, 'opening', at(0));
      const original = randomUUID();
      await ledger.transfer(
        { transactionId: original, debtorEntity: debtor, creditorEntity: creditor, amount: eur(minor), timestamp: at(2) },
        { transactionId: original, step: 'pacs008#ACSC', status: 'ACSC', timestamp: at(2), requestId: 'r', amount: eur(minor), final: true },
      );
      return { original, debtor, creditor };
    }

    function returnOf(original: string, debtor: string, creditor: string, minor: bigint, before: bigint, status: string, second = 3) {
      const returnId = randomUUID();
      return [
        { transactionId: returnId, debtorEntity: creditor, creditorEntity: debtor, amount: eur(minor), timestamp: at(second) },
        { transactionId: returnId, step: 'pacs004#ACSC', status: 'ACSC', timestamp: at(second), requestId: 'r', final: true },
        { originalTransactionId: original, returnedBefore: before, returnedAfter: before + minor, status, returnTransactionId: returnId, requestId: 'r', timestamp: at(second) },
      ] as const;
    }

    it('takes a partial return and then the rest off the original, moving the liquidity back', async () => {
      const { original, debtor, creditor } = await settled(10_000n);
      await ledger.transfer(...returnOf(original, debtor, creditor, 4_000n, 0n, 'PART'));
      expect(await log.summary(original)).toMatchObject({ status: 'PART', returned: eur(4_000n) });
      await ledger.transfer(...returnOf(original, debtor, creditor, 6_000n, 4_000n, 'RTND', 4));
      expect(await log.summary(original)).toMatchObject({ status: 'RTND', returned: eur(10_000n) });
      expect((await ledger.balance(debtor, 'EUR'))?.minor).toBe(100_000n);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(100_000n);
      expect((await log.steps(original)).map((step) => step.status)).toEqual(['ACSC', 'PART', 'RTND']);
    });

    it('refuses a return read before another one, and one beyond the amount, and moves nothing', async () => {
      const { original, debtor, creditor } = await settled(10_000n);
      await ledger.transfer(...returnOf(original, debtor, creditor, 4_000n, 0n, 'PART'));
      // Read before the first return: stale.
      await expect(ledger.transfer(...returnOf(original, debtor, creditor, 4_000n, 0n, 'PART'))).rejects.toThrow(ReturnConflictError);
      // More than is left.
      await expect(ledger.transfer(...returnOf(original, debtor, creditor, 7_000n, 4_000n, 'RTND'))).rejects.toThrow(ReturnConflictError);
      expect((await ledger.balance(creditor, 'EUR'))?.minor).toBe(110_000n - 4_000n);
      expect(await log.summary(original)).toMatchObject({ status: 'PART', returned: eur(4_000n) });
    });

    it('refuses to return a payment that did not settle', async () => {
      const { original, debtor, creditor } = await settled(10_000n);
      const rejected = randomUUID();
      await log.record({ transactionId: rejected, step: 'pacs008#RJCT', status: 'RJCT', timestamp: at(2), requestId: 'r', amount: eur(10_000n), final: true });
      await expect(ledger.transfer(...returnOf(rejected, debtor, creditor, 1_000n, 0n, 'PART'))).rejects.toThrow(ReturnConflictError);
      expect(await log.summary(original)).toMatchObject({ status: 'ACSC' });
    });
  });

  describe('DynamoDbDeadLetterStore', () => {
    const letter = (id: string, failedAt: string): DeadLetter => ({
      id,
      consumer: 'pacs008',
      topic: 'incoming.pacs.008',
      partition: 0,
      offset: id.split(':').at(-1) ?? '0',
      key: 'ent-alpha',
      value: '{"transactionId":"t"}',
      headers: { 'transaction-id': 't' },
      error: { name: 'Error', message: 'boom' },
      attempts: 3,
      failedAt,
      transactionId: 't',
    });

    it('counts attempts per record', async () => {
      const id = `incoming.pacs.008:0:${randomUUID()}`;
      expect(await letters.attempt(id)).toBe(1);
      expect(await letters.attempt(id)).toBe(2);
      expect(await letters.attempt(`${id}-other`)).toBe(1);
      expect(await letters.get(id)).toBeUndefined();
    });

    it('keeps a dead letter once, lists dead letters newest first, and re-drives each once', async () => {
      const [first, second] = [`incoming.pacs.008:0:${randomUUID()}`, `incoming.pacs.008:0:${randomUUID()}`];
      expect(await letters.put(letter(first, '2026-12-02T09:00:01.000Z'))).toBe(true);
      expect(await letters.put(letter(first, '2026-12-02T09:00:01.000Z'))).toBe(false);
      await letters.put(letter(second, '2026-12-02T09:00:02.000Z'));
      await letters.attempt(first);

      const ids = (await letters.list({ limit: 200 })).items.map((item) => item.id);
      expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
      expect(ids.every((id) => !id.startsWith('ATTEMPTS#'))).toBe(true);
      expect(await letters.get(first)).toEqual(letter(first, '2026-12-02T09:00:01.000Z'));

      const page = await letters.list({ limit: 1 });
      expect(page.items).toHaveLength(1);
      expect((await letters.list({ limit: 1, cursor: page.cursor })).items[0]?.id).not.toBe(page.items[0]?.id);

      const [a, b] = await Promise.all([letters.markReplayed(first, 'admin-client', at(9)), letters.markReplayed(first, 'admin-client', at(9))]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await letters.get(first)).toMatchObject({ replayedAt: at(9), replayedBy: 'admin-client' });
      await expect(letters.markReplayed(`incoming.pacs.008:0:${randomUUID()}`, 'x', at(9))).rejects.toThrow(DeadLetterNotFoundError);
    });
  });
});
