/**
 * The model-based test of the whole workflow: fast-check makes random
 * histories of payments, exact and altered repeats, status requests,
 * cancellations (after settlement and in flight), returns (also racing),
 * pain.001 batches, suspensions, top-ups, late messages, timeouts,
 * payments racing their deadline and account reports (camt.060 → camt.052 or
 * camt.053, checked against the model's payments and balance) for three participants; each history runs against the real local
 * platform, and every answer, final status and balance is compared with the
 * reference model (src/model.ts). After every history the books must hold:
 * each balance equals its postings, none is negative, and the sum moved only
 * by the operator's top-ups.
 *
 * MBT_RUNS sets the number of histories (default 40); a failure prints its
 * seed and path, and MBT_SEED (with MBT_PATH) replays it:
 *   MBT_SEED=123 MBT_PATH=0:1 pnpm test:model
 * MBT_CRASH_PERCENT=5 makes that share of every service's DynamoDB writes fail
 * right after they were written, as a crash there would. MBT_KILL=1 adds
 * real crashes: a payment during which a services host (the consumers', or
 * the HTTP APIs') is killed with SIGKILL; the platform restarts it, and the
 * payment still ends by the model's rules. MBT_KILL_AFTER_WRITE_PERCENT=1 makes
 * that share of DynamoDB writes the last thing their process does (SIGKILL
 * right after the write): a stop at a write boundary of any step.
 *
 * After every accepted payment, its record must agree with its deadline: the
 * deadline is not before its creation, a settlement came before the deadline,
 * and a timeout (AB05) not before it.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultComposeFile, descendants, hostedServices, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { toJson } from '@mxflow/iso20022';
import { DynamoDbLedger, DynamoDbTransactionLog } from '@mxflow/store';
import { reportRequestSample } from '../../cli/src/sample';
import { call, cancellationXml, initiationXml, paymentXml, returnXml, statusRequestXml, submit, waitForFinal, type Answer } from '../src';
import {
  againstDeadline,
  askerOf,
  batch,
  cancel,
  cancelInFlight,
  deadlineOutcome,
  deadlineProblem,
  euros,
  giveBack,
  initialState,
  late,
  matches,
  originalAs,
  pay,
  paymentOf,
  repeat,
  report,
  reportEntries,
  returnAmount,
  reuseMsgId,
  reuseUetr,
  status,
  timeout,
  topUp,
  type Expected,
  type ExpectedEntry,
  type ModelState,
  type Operation,
} from '../src/model';

const PARTIES = [
  { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' },
  { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' },
  { entityId: 'ent-gamma', bic: 'GAMMGB2LXXX', clientId: 'gamma-bank' },
] as const;
const RUNS = Number(process.env.MBT_RUNS ?? '40');
const SEED = process.env.MBT_SEED === undefined ? undefined : Number(process.env.MBT_SEED);
/** With MBT_CRASH_PERCENT, that share of DynamoDB writes fails right after it was written, as a crash would: every step recovers by redelivery or by the client's retry. */
const CRASH_PERCENT = Number(process.env.MBT_CRASH_PERCENT ?? '0');
/** With MBT_KILL=1, histories also kill services hosts with SIGKILL in the middle of a payment. */
const KILLS = process.env.MBT_KILL === '1';
/** With MBT_KILL_AFTER_WRITE_PERCENT, that share of DynamoDB writes is followed by the SIGKILL of the process that made it. */
const KILL_WRITES = Number(process.env.MBT_KILL_AFTER_WRITE_PERCENT ?? '0');
/** pacs.008's SLA on the platform under test; longer with crashes, whose retries take time. */
const SLA_MS = CRASH_PERCENT > 0 || KILLS || KILL_WRITES > 0 ? 90_000 : 10_000;
/** How long pacs008 holds a payment whose EndToEndId starts with SLOW- (the in-flight cancellations and the timeouts). */
const HOLD_MS = 1500;
const BIC_OF_NOBODY = 'ZZZZDEFFXXX';
const PLATFORM_LOG = process.env.MBT_PLATFORM_LOG;

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : value === undefined ? [] : [value as Json]);
const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);
/** EUR minor units of an amount element, signed by its CdtDbtInd. */
const signed = (amount: unknown, indicator: unknown): bigint => {
  const [units, cents = ''] = String(at(amount, 'value')).split('.');
  const minor = BigInt(units as string) * 100n + BigInt(cents.padEnd(2, '0'));
  return indicator === 'DBIT' ? -minor : minor;
};

/**
 * What is wrong with an account report against the model: an entry missing
 * for a settled payment of the history (by UETR, amount and direction), a
 * closing balance that is not the model's, or one that is not the opening
 * plus the entries. Undefined when it agrees.
 */
function reportProblem(xml: string, expected: readonly ExpectedEntry[], balance: bigint, historyStartedAt: string): string | undefined {
  const document = toJson(xml).document as Json;
  const root = (document.BkToCstmrStmt ?? document.BkToCstmrAcctRpt) as Json;
  const body = list(root.Stmt ?? root.Rpt)[0];
  const entries = list(body?.Ntry);
  const balances = list(body?.Bal);
  const balanceOf = (code: string): bigint | undefined => {
    const found = balances.find((candidate) => at(candidate, 'Tp', 'CdOrPrtry', 'Cd') === code);
    return found && signed(at(found, 'Amt'), at(found, 'CdtDbtInd'));
  };
  const opening = balanceOf('OPBD');
  const closing = balanceOf('CLBD') ?? balanceOf('ITBD');
  if (opening === undefined || closing === undefined) return `it lacks an opening or a closing balance: ${JSON.stringify(balances)}`;
  const movement = entries.reduce((sum, entry) => sum + signed(at(entry, 'Amt'), at(entry, 'CdtDbtInd')), 0n);
  if (opening + movement !== closing) return `opening ${opening} plus its entries ${movement} is not its closing ${closing}`;
  if (closing !== balance) return `its closing balance is ${closing}, the model's ${balance}`;
  // A history that began before the report's period (it crossed midnight UTC) has payments the report does not cover.
  if (Date.parse(String(at(body, 'FrToDt', 'FrDtTm'))) > Date.parse(historyStartedAt)) return undefined;
  for (const wanted of expected) {
    const found = entries.some(
      (entry) =>
        at(entry, 'CdtDbtInd') === wanted.direction &&
        signed(at(entry, 'Amt'), 'CRDT') === wanted.amount &&
        list(at(entry, 'NtryDtls')).some((details) => list(details.TxDtls).some((transaction) => at(transaction, 'Refs', 'UETR') === wanted.uetr)),
    );
    if (!found) return `no ${wanted.direction} entry of ${wanted.amount} for UETR ${wanted.uetr}`;
  }
  return undefined;
}

const party = fc.integer({ min: 0, max: 2 });
/** Small amounts mostly; now and then one no balance covers. */
const amount = fc.oneof({ weight: 9, arbitrary: fc.bigInt({ min: 1n, max: 50_000n }) }, { weight: 1, arbitrary: fc.constant(999_999_999_999n) });
const pick = fc.nat({ max: 20 });
const other = (from: number, step: number): number => (from + 1 + (step % 2)) % 3;

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pay' as const), from: party, to: fc.nat(1), amount, endToEnd: fc.constantFrom('fresh' as const, 'NOTPROVIDED' as const) }).map((op) => ({ ...op, to: other(op.from, op.to) })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), of: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copies' as const), from: party, to: fc.nat(1), amount, copies: fc.integer({ min: 2, max: 4 }) }).map((op) => ({ ...op, to: other(op.from, op.to) })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reuseMsgId' as const), of: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reuseUetr' as const), of: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), of: pick, asker: fc.constantFrom('sender' as const, 'receiver' as const, 'stranger' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), of: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), of: pick, share: fc.constantFrom('part' as const, 'rest' as const, 'over' as const), by: fc.constantFrom('receiver' as const, 'receiver' as const, 'sender' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('racingReturns' as const), of: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('suspend' as const), who: party }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reinstate' as const), who: party }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('topUp' as const), who: party, amount: fc.bigInt({ min: 1n, max: 100_000n }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('report' as const), who: party, message: fc.constantFrom('camt.052' as const, 'camt.053' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('late' as const), from: party, to: fc.nat(1), amount }).map((op) => ({ ...op, to: other(op.from, op.to) })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelInFlight' as const), from: party, to: fc.nat(1), amount }).map((op) => ({ ...op, to: other(op.from, op.to) })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('timeout' as const), from: party, to: fc.nat(1), amount }).map((op) => ({ ...op, to: other(op.from, op.to) })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ kind: fc.constant('nearDeadline' as const), from: party, to: fc.nat(1), amount, leftMs: fc.integer({ min: 0, max: 600 }) })
      .map((op) => ({ ...op, to: other(op.from, op.to) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant('batch' as const),
        from: party,
        // Small amounts only: the transfers of a batch settle one after the other, and the model needs no guess at their order.
        transfers: fc.array(fc.record({ to: fc.oneof({ weight: 4, arbitrary: fc.nat(1) }, { weight: 1, arbitrary: fc.constant('nobody' as const) }), amount: fc.bigInt({ min: 1n, max: 50_000n }) }), { minLength: 1, maxLength: 3 }),
      })
      .map((op) => ({ ...op, transfers: op.transfers.map((transfer, step) => ({ ...transfer, to: transfer.to === 'nobody' ? transfer.to : other(op.from, transfer.to + step) })) })),
  },
  ...(KILLS
    ? [
        {
          weight: 2,
          arbitrary: fc
            .record({ kind: fc.constant('kill' as const), host: fc.constantFrom('consumers' as const, 'http' as const), afterMs: fc.integer({ min: 0, max: 300 }), from: party, to: fc.nat(1), amount })
            .map((op) => ({ ...op, to: other(op.from, op.to) })),
        },
      ]
    : []),
);
const history = fc.array(operation, { minLength: 1, maxLength: 10 });

/** What the platform answered, in the model's terms. */
interface Actual {
  readonly http: number;
  readonly status?: string;
  readonly answer?: string;
  readonly reasonCode?: string;
  readonly transactionId?: string;
}

/** The ids and bytes of a payment sent in a history, beside the model's record of it. */
interface Sent {
  readonly xml: string;
  readonly msgId: string;
  readonly endToEndId: string;
  readonly uetr: string;
  /** Its CreDtTm. */
  readonly createdAt: string;
  readonly transactionId: string;
}

describe('the workflow against its reference model', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let ledger: DynamoDbLedger;
  let log: DynamoDbTransactionLog;
  let operator: string;
  const tokens: string[] = [];
  /** How often each operation ended each way: printed at the end, to show which branches the histories reached. */
  const outcomes = new Map<string, number>();

  beforeAll(async () => {
    platform = await startPlatform({
      namePrefix: `mxflow-e2e-model-${Date.now()}`,
      composeFile: defaultComposeFile,
      apiPort: 0,
      // MBT_PLATFORM_LOG=FILE keeps what the services print (and the platform's own lines), to see what a failing history did.
      ...(PLATFORM_LOG ? { output: (line: string) => appendFileSync(PLATFORM_LOG, `${line}\n`), log: (line: string) => appendFileSync(PLATFORM_LOG, `[platform] ${line}\n`) } : {}),
      serviceEnv: {
        MXFLOW_FAULTS: [
          `pacs008:slow:SLOW-:${HOLD_MS}`,
          ...(CRASH_PERCENT > 0 ? [`*:crash-after-write:${CRASH_PERCENT}`] : []),
          ...(KILL_WRITES > 0 ? [`*:kill-after-write:${KILL_WRITES}`] : []),
        ].join(','),
        // Crashes and the client's retries after them take time: longer SLAs, so that a retry is not late for that alone.
        MXFLOW_SLA_RULES: SLA_MS > 10_000 ? `pacs.008=${SLA_MS / 1000}s, *=120s` : 'pacs.008=10s, pain.001=60s, *=30s',
      },
    });
    dynamodb = new DynamoDBClient(localClientConfig(platform.cloud.endpoints.dynamodb));
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: platform.cloud.tables.liquidity_table });
    log = new DynamoDbTransactionLog({ client: dynamodb, tableName: platform.cloud.tables.transaction_table });
    operator = await requestAccessToken(platform.cloud, 'platform-operator', 'payments/admin');
    for (const participant of PARTIES) tokens.push(await requestAccessToken(platform.cloud, participant.clientId, 'payments/write payments/read'));
  }, 240_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await platform?.stop();
  }, 60_000);

  const balanceOf = async (index: number): Promise<bigint> => (await ledger.balance(PARTIES[index]!.entityId, 'EUR'))?.minor ?? 0n;

  /** POSTs a message as a client does: a 5xx or a dropped connection (a crash, injected or real) is sent again, the same bytes. */
  async function post(from: number, xml: string): Promise<Answer> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await submit(platform.api, tokens[from], xml).catch((error: unknown) => {
        if (attempt >= 30) throw error;
        return undefined;
      });
      if (answer && (answer.status < 500 || attempt >= 30)) return answer;
      await sleep(100 * attempt);
    }
  }

  /** Follows an accepted message to its final status with `outgoing` answers out, and checks its record against its deadline. */
  async function final(from: number, transactionId: string, outgoing = 1): Promise<Actual> {
    // Every accepted message reaches a final status and has its answer archived and notified.
    const view = await waitForFinal(platform.api, tokens[from] as string, transactionId, { timeoutMs: SLA_MS > 10_000 ? 120_000 : 40_000, outgoing });
    const problem = deadlineProblem(view);
    if (problem) throw new Error(`transaction ${transactionId}: ${problem}`);
    return {
      http: 202,
      transactionId,
      status: String(view.status),
      ...(typeof view.answer === 'string' ? { answer: view.answer } : {}),
      ...(typeof view.reasonCode === 'string' ? { reasonCode: view.reasonCode } : {}),
    };
  }

  /** Submits as party `from`; a 202 is followed to its final status with its answers out. */
  async function send(from: number, xml: string, outgoing = 1): Promise<Actual> {
    const answer: Answer = await post(from, xml);
    if (answer.status !== 202) return { http: answer.status, ...(typeof answer.body.reasonCode === 'string' ? { reasonCode: answer.body.reasonCode } : {}) };
    return final(from, String(answer.body.transactionId), outgoing);
  }

  /** The one outgoing message of a transaction, as archived. */
  async function outgoingXml(from: number, transactionId: string): Promise<string> {
    const response = await fetch(`${platform.api}/v1/transactions/${transactionId}/messages/outgoing`, { headers: { authorization: `Bearer ${tokens[from]}` } });
    if (response.status !== 200) throw new Error(`the outgoing message of ${transactionId} answered ${response.status}`);
    return response.text();
  }

  /** Kills the services host that runs `service` with SIGKILL; the platform's supervision starts it again. */
  function killHostOf(service: string): void {
    const host = descendants(process.pid).find((child) => hostedServices(child.pid)?.includes(service));
    if (!host) throw new Error(`no services host runs ${service}`);
    process.kill(host.pid, 'SIGKILL');
  }

  async function admin(path: string, json?: unknown): Promise<Answer> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await call(`${platform.api}${path}`, {
        method: 'POST',
        token: operator,
        ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
      }).catch((error: unknown) => {
        if (attempt >= 30) throw error;
        return undefined;
      });
      // A top-up sent again keeps its reference: it posts once.
      if (answer && (answer.status < 500 || attempt >= 30)) return answer.status === 200 && path.endsWith('/liquidity') ? { ...answer, status: 201 } : answer;
      await sleep(100 * attempt);
    }
  }

  /** Runs one history and throws, with the whole transcript, at the first answer or balance that is not the model's. */
  async function run(operations: readonly Operation[]): Promise<void> {
    for (let index = 0; index < PARTIES.length; index += 1) {
      const reinstated = await admin(`/v1/admin/entities/${PARTIES[index]!.entityId}/reinstate`);
      if (reinstated.status !== 200) throw new Error(`reinstating ${PARTIES[index]!.entityId} answered ${reinstated.status}`);
    }
    // A history that failed left what it started still going (a payment redelivered after a kill): each history
    // starts once nothing is open, or the next one (fast-check's shrinking) would count that one's money as its own.
    for (const until = Date.now() + SLA_MS + 30_000; ; await sleep(200)) {
      const work = await log.sweepWork(new Date(), 1);
      if (work.overdue.length === 0 && !work.nextDeadline) break;
      if (Date.now() > until) throw new Error(`transactions are still open from an earlier history: ${work.overdue.join(', ')}`);
    }
    const startedAt = new Date().toISOString();
    const before = await Promise.all(PARTIES.map((_, index) => balanceOf(index)));
    const model: ModelState = initialState(before);
    const sent: Sent[] = [];
    const transcript: string[] = [];
    const check = (op: Operation, expected: Expected, actual: Actual): void => {
      const reached = `${op.kind} → ${actual.http}${actual.status ? ` ${actual.status}` : ''}${actual.answer ? ` ${actual.answer}` : ''}${actual.reasonCode ? ` ${actual.reasonCode}` : ''}`;
      outcomes.set(reached, (outcomes.get(reached) ?? 0) + 1);
      transcript.push(`${JSON.stringify(op, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))} → expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
      if (!matches(expected, actual)) throw new Error(`the platform disagrees with the model:\n${transcript.join('\n')}`);
    };
    /** What the platform answers about a payment the asker has no part in: AG09, after the asker's own status. */
    const unknownTo = (asker: number, status = 'ANSW'): Expected =>
      model.suspended[asker] ? { http: 403, reasonCode: 'AG10' } : { http: 202, status, ...(status === 'ANSW' ? { answer: 'RJCT' } : {}), reasonCodes: ['AG09'] };
    const newPayment = (from: number, to: number, minor: bigint, spec: { endToEndId?: string; uetr?: string; createdAt?: string } = {}) => {
      const createdAt = spec.createdAt ?? new Date().toISOString();
      return { ...paymentXml({ fromBic: PARTIES[from]!.bic, toBic: PARTIES[to]!.bic, amount: euros(minor), ...spec, createdAt }), createdAt };
    };

    for (const op of operations) {
      switch (op.kind) {
        case 'pay': {
          const payment = newPayment(op.from, op.to, op.amount, op.endToEnd === 'NOTPROVIDED' ? { endToEndId: 'NOTPROVIDED' } : {});
          const expected = pay(model, op.from, op.to, op.amount, payment.uetr);
          const actual = await send(op.from, payment.xml);
          check(op, expected, actual);
          if (actual.http === 202) sent.push({ ...payment, transactionId: actual.transactionId as string });
          break;
        }
        case 'copies': {
          const payment = newPayment(op.from, op.to, op.amount);
          const expected = pay(model, op.from, op.to, op.amount, payment.uetr);
          const answers = await Promise.all(Array.from({ length: op.copies }, () => post(op.from, payment.xml)));
          const accepted = answers.filter((answer) => answer.status === 202);
          const ids = new Set(accepted.map((answer) => String(answer.body.transactionId)));
          // Copies at the same instant: one transaction, and each copy answered with it (the MsgId claim decides).
          if (expected.http === 202 && (ids.size !== 1 || answers.some((answer) => answer.status !== 202))) {
            throw new Error(`${op.copies} copies made ${ids.size} transactions: ${answers.map((answer) => answer.status).join(', ')}\n${transcript.join('\n')}`);
          }
          const refusal = answers[0];
          const actual = expected.http === 202 ? await send(op.from, payment.xml) : { http: refusal?.status ?? 0, reasonCode: String(refusal?.body.reasonCode) };
          check(op, expected, actual);
          if (actual.http === 202) sent.push({ ...payment, transactionId: actual.transactionId as string });
          break;
        }
        case 'late': {
          const payment = newPayment(op.from, op.to, op.amount, { createdAt: new Date(Date.now() - 40 * 60_000).toISOString() });
          check(op, late(model, op.from), await send(op.from, payment.xml));
          break;
        }
        case 'cancelInFlight': {
          // pacs008 holds this payment a while: its sender's camt.056 comes while it is in flight.
          const payment = newPayment(op.from, op.to, op.amount, { endToEndId: `SLOW-${randomUUID().slice(0, 24)}` });
          const accepted = await post(op.from, payment.xml);
          if (accepted.status !== 202) {
            check(op, cancelInFlight(model, op.from, op.to, op.amount, payment.uetr, false).payment, { http: accepted.status, ...(typeof accepted.body.reasonCode === 'string' ? { reasonCode: accepted.body.reasonCode } : {}) });
            break;
          }
          const transactionId = String(accepted.body.transactionId);
          const cancellation = await send(op.from, cancellationXml({ fromBic: PARTIES[op.from]!.bic, toBic: PARTIES[op.to]!.bic, original: payment }).xml);
          // A CNCL's original has no pacs.002 of its own: the camt.029 is the answer.
          const settled = await final(op.from, transactionId, cancellation.answer === 'CNCL' ? 0 : 1);
          const expected = cancelInFlight(model, op.from, op.to, op.amount, payment.uetr, cancellation.answer === 'CNCL');
          check(op, expected.payment, settled);
          if (expected.cancellation) check(op, expected.cancellation, cancellation);
          sent.push({ ...payment, transactionId });
          break;
        }
        case 'timeout':
        case 'nearDeadline': {
          // Its CreDtTm puts the deadline just after arrival: held past it (timeout), or racing it (nearDeadline).
          const left = op.kind === 'timeout' ? 700 : op.leftMs;
          const payment = newPayment(op.from, op.to, op.amount, {
            createdAt: new Date(Date.now() - SLA_MS + left).toISOString(),
            ...(op.kind === 'timeout' ? { endToEndId: `SLOW-${randomUUID().slice(0, 24)}` } : {}),
          });
          const actual = await send(op.from, payment.xml);
          const outcome = deadlineOutcome(actual);
          check(op, (op.kind === 'timeout' ? timeout : againstDeadline)(model, op.from, op.to, op.amount, payment.uetr, outcome), actual);
          if (actual.http === 202) sent.push({ ...payment, transactionId: actual.transactionId as string });
          break;
        }
        case 'batch': {
          const initiation = initiationXml({
            fromBic: PARTIES[op.from]!.bic,
            transfers: op.transfers.map((transfer) => ({ toBic: transfer.to === 'nobody' ? BIC_OF_NOBODY : PARTIES[transfer.to]!.bic, amount: euros(transfer.amount) })),
          });
          const expected = batch(
            model,
            op.from,
            op.transfers.map((transfer, index) => ({ ...transfer, uetr: initiation.uetrs[index] as string })),
          );
          // The pain.002's acknowledgement and its report.
          check(op, expected, await send(op.from, initiation.xml, 2));
          // The transfers that became payments of the model; later operations name them by UETR (their MsgIds are the platform's).
          op.transfers.forEach((transfer, index) => {
            if (expected.http === 202 && transfer.to !== 'nobody') sent.push({ xml: '', msgId: 'UNKNOWN', endToEndId: initiation.endToEndIds[index] as string, uetr: initiation.uetrs[index] as string, createdAt: '', transactionId: '' });
          });
          break;
        }
        case 'kill': {
          // A real crash: the host of the consumers (settlement in flight) or of the HTTP APIs (the POST in flight) dies with SIGKILL.
          const payment = newPayment(op.from, op.to, op.amount);
          const sending = send(op.from, payment.xml);
          await sleep(op.afterMs);
          killHostOf(op.host === 'consumers' ? 'pacs008' : 'incoming');
          const actual = await sending;
          check(op, againstDeadline(model, op.from, op.to, op.amount, payment.uetr, deadlineOutcome(actual)), actual);
          if (actual.http === 202) sent.push({ ...payment, transactionId: actual.transactionId as string });
          break;
        }
        case 'repeat':
        case 'reuseMsgId': {
          const original = paymentOf(model, op.of);
          const ids = original && sent[model.payments.indexOf(original)];
          // A transfer of a pain.001 has no bytes of its sender's to repeat.
          if (!original || !ids?.xml) break;
          const xml = op.kind === 'repeat' ? ids.xml : ids.xml.replace('<Nm>Debtor</Nm>', '<Nm>Another debtor</Nm>');
          // The altered message shares the original's CreDtTm, so its deadline: clear of it either way, so that the answer is certain.
          const deadline = Date.parse(ids.createdAt) + SLA_MS;
          if (op.kind === 'reuseMsgId' && Math.abs(deadline - Date.now()) < 2000) await sleep(deadline + 2000 - Date.now());
          const late = Date.now() >= deadline;
          const answer = await post(original.from, xml);
          const actual: Actual = {
            http: answer.status,
            ...(answer.status === 202 ? { status: 'SAME', transactionId: String(answer.body.transactionId) } : {}),
            ...(answer.status !== 202 && typeof answer.body.reasonCode === 'string' ? { reasonCode: answer.body.reasonCode } : {}),
          };
          check(op, op.kind === 'repeat' ? repeat() : reuseMsgId(model, original.from, late), actual);
          if (op.kind === 'repeat' && actual.transactionId !== ids.transactionId) {
            throw new Error(`a repeat of ${ids.transactionId} was answered as ${actual.transactionId}\n${transcript.join('\n')}`);
          }
          break;
        }
        case 'reuseUetr': {
          const original = paymentOf(model, op.of);
          if (!original) break;
          const payment = newPayment(original.from, original.to, original.amount, { uetr: original.uetr });
          const expected = reuseUetr(model, original);
          const actual = await send(original.from, payment.xml);
          check(op, expected, actual);
          if (actual.http === 202) sent.push({ ...payment, transactionId: actual.transactionId as string });
          break;
        }
        case 'status': {
          const named = paymentOf(model, op.of);
          const ids = named && sent[model.payments.indexOf(named)];
          if (!named || !ids) break;
          const asker = askerOf(named, op.asker);
          // The platform finds the original by its UETR among the asker's own payments: the model does the same.
          const original = originalAs(model, named, asker);
          if (original === 'uncertain') break;
          const expected = original ? status(model, original, asker) : unknownTo(asker);
          const counterpart = asker === named.from ? named.to : named.from;
          check(op, expected, await send(asker, statusRequestXml({ fromBic: PARTIES[asker]!.bic, toBic: PARTIES[counterpart]!.bic, original: ids }).xml));
          break;
        }
        case 'cancel': {
          const named = paymentOf(model, op.of);
          const ids = named && sent[model.payments.indexOf(named)];
          if (!named || !ids) break;
          const original = originalAs(model, named, named.from);
          if (!original || original === 'uncertain') break;
          const expected = cancel(model, original);
          check(op, expected, await send(original.from, cancellationXml({ fromBic: PARTIES[original.from]!.bic, toBic: PARTIES[original.to]!.bic, original: ids }).xml));
          break;
        }
        case 'return': {
          const named = paymentOf(model, op.of);
          const ids = named && sent[model.payments.indexOf(named)];
          if (!named || !ids) break;
          const returner = op.by === 'receiver' ? named.to : named.from;
          const payee = op.by === 'receiver' ? named.from : named.to;
          const original = originalAs(model, named, returner);
          if (original === 'uncertain') break;
          const minor = returnAmount(original ?? named, op.share);
          const expected = original ? giveBack(model, original, returner, minor) : unknownTo(returner, 'RJCT');
          check(op, expected, await send(returner, returnXml({ fromBic: PARTIES[returner]!.bic, toBic: PARTIES[payee]!.bic, original: ids, amount: euros(minor) }).xml));
          break;
        }
        case 'racingReturns': {
          const named = paymentOf(model, op.of);
          const ids = named && sent[model.payments.indexOf(named)];
          const original = named && originalAs(model, named, named.to);
          // A payment its receiver has no part in is covered by 'return'.
          if (!named || !ids || !original || original === 'uncertain') break;
          const minor = returnAmount(original, 'rest');
          const xml = () => returnXml({ fromBic: PARTIES[original.to]!.bic, toBic: PARTIES[original.from]!.bic, original: ids, amount: euros(minor) }).xml;
          const first = giveBack(model, original, original.to, minor);
          // The second of two returns of all that is left finds nothing left once the first took it.
          const second = first.http === 202 && first.status === 'ACSC' ? giveBack(model, original, original.to, minor) : first;
          const actual = await Promise.all([send(original.to, xml()), send(original.to, xml())]);
          const [winner, loser] = actual[0]?.status === 'ACSC' ? actual : [actual[1], actual[0]];
          check(op, first, winner as Actual);
          check(op, second, loser as Actual);
          break;
        }
        case 'suspend':
        case 'reinstate': {
          const answer = await admin(`/v1/admin/entities/${PARTIES[op.who]!.entityId}/${op.kind}`);
          if (answer.status !== 200) throw new Error(`${op.kind} answered ${answer.status}`);
          model.suspended[op.who] = op.kind === 'suspend';
          break;
        }
        case 'report': {
          // The participant's EUR account today: every payment of the history it settled, the closing balance the model's.
          const who = PARTIES[op.who]!;
          const xml = reportRequestSample({ report: op.message, currency: 'EUR', entityId: who.entityId, bic: who.bic }, new Date());
          const actual = await send(op.who, xml);
          check(op, report(op.message), actual);
          if (actual.http !== 202) break;
          const problem = reportProblem(await outgoingXml(op.who, actual.transactionId as string), reportEntries(model, op.who), model.balances[op.who] as bigint, startedAt);
          if (problem) throw new Error(`the ${op.message} of ${who.entityId} disagrees with the model: ${problem}\n${transcript.join('\n')}`);
          break;
        }
        case 'topUp': {
          const answer = await admin(`/v1/admin/entities/${PARTIES[op.who]!.entityId}/liquidity`, { type: 'top-up', amount: euros(op.amount), currency: 'EUR', reference: `mbt-${randomUUID()}` });
          if (answer.status !== 201) throw new Error(`the top-up answered ${answer.status}`);
          topUp(model, op.who, op.amount);
          break;
        }
      }
    }

    // The books, after the history.
    const after = await Promise.all(PARTIES.map((_, index) => balanceOf(index)));
    const books = await Promise.all(PARTIES.map(async (participant) => (await ledger.postings(participant.entityId, 'EUR')).reduce((sum, posting) => sum + posting.minor, 0n)));
    const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
    const problems = [
      ...after.flatMap((balance, index) => (balance === model.balances[index] ? [] : [`${PARTIES[index]!.entityId} holds ${balance}, the model ${model.balances[index]}`])),
      ...after.flatMap((balance, index) => (balance === books[index] ? [] : [`${PARTIES[index]!.entityId} holds ${balance}, its postings add up to ${books[index]}`])),
      ...after.flatMap((balance, index) => (balance >= 0n ? [] : [`${PARTIES[index]!.entityId} is negative`])),
      ...(sum(after) === sum(before) + model.toppedUp ? [] : [`the sum moved from ${sum(before)} to ${sum(after)} with ${model.toppedUp} topped up`]),
    ];
    if (problems.length > 0) {
      // What moved during the history, each posting with its transaction, to tell a double posting from a late one.
      const moved = await Promise.all(
        PARTIES.map(async (participant) => (await ledger.postings(participant.entityId, 'EUR')).filter((posting) => posting.timestamp >= startedAt).map((posting) => `${participant.entityId} ${posting.minor} ${posting.leg} ${posting.transactionId} ${posting.timestamp}`)),
      );
      throw new Error(`the books do not hold:\n${problems.join('\n')}\n${transcript.join('\n')}\npostings during the history:\n${moved.flat().join('\n')}`);
    }
  }

  it(`agrees with the model on ${RUNS} random histories, and the books hold after each`, async () => {
    await fc.assert(
      fc.asyncProperty(history, async (operations) => {
        await run(operations);
      }),
      {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: SEED }),
        ...(process.env.MBT_PATH ? { path: process.env.MBT_PATH } : {}),
        // A failing history against the real platform takes seconds to replay: shrink, but not for ever.
        interruptAfterTimeLimit: Number(process.env.MBT_TIME_LIMIT_MS ?? String(15 * 60_000)),
        markInterruptAsFailure: false,
      },
    );
    for (let index = 0; index < PARTIES.length; index += 1) await admin(`/v1/admin/entities/${PARTIES[index]!.entityId}/reinstate`);
    process.stdout.write(`operations by outcome:\n${[...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([reached, count]) => `  ${String(count).padStart(4)}  ${reached}`).join('\n')}\n`);
  }, 20 * 60_000);
});
