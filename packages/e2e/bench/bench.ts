/**
 * `pnpm bench:e2e`: pushes N payments through the whole local platform
 * (incoming → Kafka → pacs008 → Kafka → outgoing → SNS) and prints the
 * throughput, the latency from POST to the pacs.002 notification (p50, p95,
 * p99), and the same broken down by step from the snapshot timestamps.
 *
 * Baselines, measured in the same run on the same DynamoDB Local: the same
 * number of bare ledger transfers (one TransactWriteItems each, the least
 * work a settlement needs), and the same number of POSTs answered 202 by the
 * incoming step alone. Ratios to them are what to compare across machines.
 *
 * Before the load, BENCH_SINGLE (default 20) payments go one at a time, each
 * only after the previous one was notified: the latency of one payment on an
 * idle platform, with the same breakdown by step.
 *
 * Two platforms, one after the other. The first is measured as it runs: the
 * services talk to DynamoDB Local, S3 and SNS directly, and nothing else
 * reads the broker. The second runs the same load with every DynamoDB, S3
 * and SNS request of the services going through a counting proxy (meter.ts),
 * a Kafka consumer counting the records, and the invocations counted: the
 * work per settled payment and its cost. (Measured through the proxies, the
 * platform spent about 12% more CPU per payment, and the proxies asked
 * DynamoDB Local for the consumed capacity of every call.)
 *
 * BENCH_PAYMENTS (default 300) and BENCH_CONCURRENCY (default 20) set the load.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform } from '@mxflow/local-stack';
import { DynamoDbLedger, DynamoDbTransactionLog } from '@mxflow/store';
import { startSubscriber, waitFor } from '../../local-sns/tests/helpers';
import { paymentXml, submit, waitForFinal } from '../src';
import { countKafkaRecords, printWork } from './work';
import { startMeter, type Meter } from './meter';
import { cpuSnapshot, cpuSpent } from './cpu';

const total = Number(process.env.BENCH_PAYMENTS ?? '300');
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '20');
const singles = Number(process.env.BENCH_SINGLE ?? '20');
const progress = (text: string) => process.stderr.write(`… ${text}\n`);
const parties = [
  { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' },
  { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' },
  { entityId: 'ent-gamma', bic: 'GAMMGB2LXXX', clientId: 'gamma-bank' },
];

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const cpuMs = (value: number) => `${value.toFixed(1)} ms`;

/** The time between the steps of each transaction (from their recorded timestamps), and how many ended in each status. */
async function stepSpans(log: DynamoDbTransactionLog, ids: readonly string[]): Promise<{ spans: Record<string, number[]>; statuses: Map<string, number> }> {
  const stepNames = ['incoming#RCVD', 'incoming#ACTC', 'pacs008#ACSC', 'outgoing#pacs.002'] as const;
  const spans: Record<string, number[]> = { 'incoming (RCVD→ACTC)': [], 'Kafka + settlement (ACTC→ACSC)': [], 'Kafka + outgoing (ACSC→pacs.002 archived and notified)': [] };
  const statuses = new Map<string, number>();
  for (const id of ids) {
    const steps = await log.steps(id);
    const at = (name: string) => Date.parse(steps.find((step) => step.step === name)?.timestamp ?? '');
    const [rcvd, actc, acsc, out] = stepNames.map(at);
    // A payment that did not settle has no ACSC step: it counts in the statuses, not in the spans it lacks.
    const span = (name: string, from: number, to: number) => void (Number.isFinite(from) && Number.isFinite(to) && spans[name]?.push(to - from));
    span('incoming (RCVD→ACTC)', rcvd, actc);
    span('Kafka + settlement (ACTC→ACSC)', actc, acsc);
    span('Kafka + outgoing (ACSC→pacs.002 archived and notified)', acsc, out);
    const final = (await log.summary(id))?.status ?? '?';
    statuses.set(final, (statuses.get(final) ?? 0) + 1);
  }
  return { spans, statuses };
}

/** Runs `work(i)` for i < n with `width` at a time; resolves to the wall time in ms. */
async function pool(n: number, width: number, work: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await work(next++);
  }));
  return performance.now() - started;
}

// The SLA (10 s for pacs.008 by default) would reject the payments queued longest as AB05 and cut their
// latency short; BENCH_SLA_RULES puts it back (e.g. 'pacs.008=10s') to measure what the SLA lets through.
const slaRules = process.env.BENCH_SLA_RULES ?? '*=600s';
const out = (line = '') => process.stdout.write(`${line}\n`);

/** A running platform of the bench, subscribed to its pacs.002 notifications, warmed up. */
interface Bench {
  readonly platform: Awaited<ReturnType<typeof startPlatform>>;
  readonly tokens: Record<string, string>;
  /** When each transaction's pacs.002 notification arrived (performance.now()). */
  readonly notified: Map<string, number>;
  /** Resolves when the transaction's pacs.002 notification has arrived; false after `timeoutMs`. */
  whenNotified(transactionId: string, timeoutMs: number): Promise<boolean>;
  readonly dynamodb: DynamoDBClient;
  readonly log: DynamoDbTransactionLog;
  stop(): Promise<void>;
}

const payment = (index: number) => {
  const from = parties[index % 3];
  const to = parties[(index + 1) % 3];
  return { from, xml: paymentXml({ fromBic: from.bic, toBic: to.bic, amount: `${(index % 90) + 1}.${String(index % 100).padStart(2, '0')}` }).xml };
};

/**
 * Starts a platform in memory (its services' AWS requests through `meters`
 * when given), subscribes to its pacs.002 notifications and sends three
 * payments through every function.
 */
async function startBench(meters?: Record<'dynamodb' | 's3' | 'sns', Meter>, output?: (line: string) => void): Promise<Bench> {
  const platform = await startPlatform({
    namePrefix: `mxflow-bench-${Date.now()}`,
    composeFile: defaultComposeFile,
    apiPort: 0,
    serviceEnv: {
      MXFLOW_SLA_RULES: slaRules,
      ...(meters ? { MXFLOW_DYNAMODB_ENDPOINT: meters.dynamodb.url, MXFLOW_S3_ENDPOINT: meters.s3.url, MXFLOW_SNS_ENDPOINT: meters.sns.url } : {}),
    },
    ...(output ? { output } : {}),
  });
  const { cloud } = platform;
  meters?.dynamodb.target(cloud.endpoints.dynamodb);
  meters?.s3.target(cloud.endpoints.s3);
  meters?.sns.target(cloud.endpoints.sns);
  const dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
  const subscriber = await startSubscriber();
  const sns = new SNSClient(localClientConfig(cloud.endpoints.sns));
  const stop = async () => {
    sns.destroy();
    dynamodb.destroy();
    await subscriber.close();
    await platform.stop();
  };
  try {
    const notified = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    const whenNotified = (transactionId: string, timeoutMs: number) =>
      notified.has(transactionId)
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => {
              waiting.delete(transactionId);
              resolve(false);
            }, timeoutMs);
            waiting.set(transactionId, () => {
              clearTimeout(timer);
              resolve(true);
            });
          });
    await sns.send(new SubscribeCommand({ TopicArn: cloud.notificationTopicArn, Protocol: 'http', Endpoint: subscriber.url, Attributes: { FilterPolicy: JSON.stringify({ messageType: ['pacs.002'] }) } }));
    const confirmation = await waitFor(() => subscriber.received.find((request) => request.json.Type === 'SubscriptionConfirmation'), 'confirmation');
    await fetch(String(confirmation.json.SubscribeURL));
    // Timed as each notification arrives.
    subscriber.onReceived = (request) => {
      if (request.json.Type !== 'Notification') return;
      const message = JSON.parse(String(request.json.Message)) as { transactionId: string };
      if (notified.has(message.transactionId)) return;
      notified.set(message.transactionId, performance.now());
      waiting.get(message.transactionId)?.();
      waiting.delete(message.transactionId);
    };
    const tokens = Object.fromEntries(await Promise.all(parties.map(async (party) => [party.entityId, await requestAccessToken(cloud, party.clientId, 'payments/write payments/read')] as const)));
    progress('warming up every function');
    for (let index = 0; index < 3; index++) {
      const warm = await submit(platform.api, tokens[payment(index).from.entityId], payment(index).xml);
      await waitForFinal(platform.api, tokens[payment(index).from.entityId], String(warm.body.transactionId), { timeoutMs: 30_000, outgoing: 2 });
    }
    return { platform, tokens, notified, whenNotified, dynamodb, log: new DynamoDbTransactionLog({ client: dynamodb, tableName: cloud.tables.transaction_table }), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resolves once every one of `ids` was notified, or after two minutes. */
async function notifiedAll(bench: Bench, ids: readonly string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const id of ids) if (!(await bench.whenNotified(id, Math.max(0, deadline - Date.now())))) return;
}

/** The load: `total` payments from `concurrency` clients that each wait for the 202 only. */
async function sendLoad(bench: Bench): Promise<{ posted: Map<string, number>; ids: string[]; sendMs: number }> {
  const posted = new Map<string, number>();
  const ids: string[] = [];
  const sendMs = await pool(total, concurrency, async (index) => {
    const { from, xml } = payment(index);
    const started = performance.now();
    const answer = await submit(bench.platform.api, bench.tokens[from.entityId], xml);
    if (answer.status !== 202) throw new Error(`payment ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
    posted.set(String(answer.body.transactionId), started);
    ids.push(String(answer.body.transactionId));
  });
  return { posted, ids, sendMs };
}

progress('starting the local platform (in memory)');
const measured = await startBench();
try {
  const { platform, tokens, notified, log } = measured;
  const { cloud } = platform;
  const ledger = new DynamoDbLedger({ client: measured.dynamodb, tableName: cloud.tables.liquidity_table });

  progress(`${singles} single payments, each after the previous one was notified`);
  const singleLatencies: number[] = [];
  const singleIds: string[] = [];
  const singleAccepted: number[] = [];
  for (let index = 0; index < singles; index++) {
    const { from, xml } = payment(index);
    const started = performance.now();
    const answer = await submit(platform.api, tokens[from.entityId], xml);
    if (answer.status !== 202) throw new Error(`single payment ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
    singleAccepted.push(performance.now() - started);
    const id = String(answer.body.transactionId);
    if (!(await measured.whenNotified(id, 30_000))) throw new Error(`single payment ${index} (${id}) was not notified within 30 s`);
    singleLatencies.push((notified.get(id) as number) - started);
    singleIds.push(id);
  }

  progress(`baseline 1: ${total} bare ledger transfers, ${concurrency} at a time`);
  const ledgerCpuBefore = cpuSnapshot();
  const ledgerMs = await pool(total, concurrency, async (index) => {
    await ledger.transfer({
      transactionId: randomUUID(),
      debtorEntity: parties[index % 3].entityId,
      creditorEntity: parties[(index + 1) % 3].entityId,
      amount: { minor: 1n, currency: 'USD', exponent: 2 },
      timestamp: new Date().toISOString(),
    });
  });

  const ledgerCpu = cpuSpent(ledgerCpuBefore, cpuSnapshot());

  progress(`the platform: ${total} payments, ${concurrency} at a time`);
  const platformCpuBefore = cpuSnapshot();
  const load = loadavg()[0];
  const { posted, ids, sendMs } = await sendLoad(measured);
  const first = Math.min(...posted.values());
  await notifiedAll(measured, ids);
  // What was still in flight between the last notification and now is part of the same payments.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const platformCpu = cpuSpent(platformCpuBefore, cpuSnapshot());
  const done = ids.filter((id) => notified.has(id));
  const wallMs = Math.max(...done.map((id) => notified.get(id) as number)) - first;
  const latencies = done.map((id) => (notified.get(id) as number) - (posted.get(id) as number));

  progress('reading the step timestamps');
  const { spans, statuses } = await stepSpans(log, done);
  const single = await stepSpans(log, singleIds);

  out(`\nbench:e2e — ${total} payments, ${concurrency} concurrent clients, 3 participants; load average ${load.toFixed(2)} at start`);
  out(`final statuses: ${[...statuses].map(([status, count]) => `${status} ${count}`).join(', ')}; notified ${done.length}/${total}; SLA rules ${slaRules}`);
  out('');
  out('| measurement | payments/s | wall |');
  out('|---|---|---|');
  out(`| platform, POST → pacs.002 notified | ${((done.length / wallMs) * 1000).toFixed(1)} | ${ms(wallMs)} |`);
  out(`| baseline: POST → 202 only (incoming step) | ${((total / sendMs) * 1000).toFixed(1)} | ${ms(sendMs)} |`);
  out(`| baseline: bare ledger transfers on DynamoDB Local | ${((total / ledgerMs) * 1000).toFixed(1)} | ${ms(ledgerMs)} |`);
  out('');
  out(`ratios: end to end is ${(wallMs / sendMs).toFixed(2)}× the incoming step alone and ${(wallMs / ledgerMs).toFixed(2)}× the bare ledger writes`);
  out('');
  out('| latency | p50 | p95 | p99 |');
  out('|---|---|---|---|');
  out(`| POST → pacs.002 notified | ${ms(percentile(latencies, 50))} | ${ms(percentile(latencies, 95))} | ${ms(percentile(latencies, 99))} |`);
  for (const [name, values] of Object.entries(spans)) out(`| ${name} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(percentile(values, 99))} |`);
  const slowest = Object.entries(spans).sort((a, b) => percentile(b[1], 50) - percentile(a[1], 50))[0];
  out('');
  out(`slowest step (p50): ${slowest[0]}`);
  out('');
  out(`one payment on an idle platform (${singleIds.length}, each sent once the previous one was notified; final ${[...single.statuses].map(([status, count]) => `${status} ${count}`).join(', ')})`);
  out('');
  out('| latency | p50 | p95 | max |');
  out('|---|---|---|---|');
  out(`| POST → pacs.002 notified | ${ms(percentile(singleLatencies, 50))} | ${ms(percentile(singleLatencies, 95))} | ${ms(Math.max(...singleLatencies))} |`);
  out(`| POST → 202 | ${ms(percentile(singleAccepted, 50))} | ${ms(percentile(singleAccepted, 95))} | ${ms(Math.max(...singleAccepted))} |`);
  for (const [name, values] of Object.entries(single.spans)) out(`| ${name} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${ms(Math.max(...values))} |`);
  out('');
  out(`CPU time per settled payment, by process (from /proc; ${availableParallelism()} cores), beside a bare ledger transfer's`);
  out('');
  out('| process | platform, per payment | bare ledger, per transfer |');
  out('|---|---|---|');
  const perLedger = new Map(ledgerCpu);
  for (const [part, spent] of platformCpu) out(`| ${part} | ${cpuMs(spent / done.length)} | ${perLedger.has(part) ? cpuMs((perLedger.get(part) ?? 0) / total) : '—'} |`);
  const platformTotal = platformCpu.reduce((sum, [, spent]) => sum + spent, 0) / done.length;
  const ledgerTotal = ledgerCpu.reduce((sum, [, spent]) => sum + spent, 0) / total;
  out(`| all | ${cpuMs(platformTotal)} | ${cpuMs(ledgerTotal)} |`);
  out('');
  out(`at that CPU cost, ${availableParallelism()} cores settle at most ${((availableParallelism() * 1000) / platformTotal).toFixed(1)} payments/s; the bare ledger's cost allows ${((availableParallelism() * 1000) / ledgerTotal).toFixed(1)}/s`);
} finally {
  await measured.stop();
}

progress(`the work per payment: a second platform, its requests counted, ${total} payments, ${concurrency} at a time`);
const meters = { dynamodb: await startMeter('dynamodb'), s3: await startMeter('s3'), sns: await startMeter('sns') };
/** Handler milliseconds per function, from serverless-offline's line for each invocation. */
const invocations = new Map<string, number[]>();
let counting = false;
try {
  const metered = await startBench(meters, (line) => {
    const match = /\(λ: ([^)]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/.exec(line);
    if (!counting || !match?.[1]) return;
    const durations = invocations.get(match[1]) ?? [];
    durations.push(Number(match[2]));
    invocations.set(match[1], durations);
  });
  try {
    const { cloud } = metered.platform;
    for (const meter of Object.values(meters)) meter.reset();
    const kafka = await countKafkaRecords(cloud.endpoints.kafka, cloud.infra.kafkaTopics.map((topic) => topic.name).filter((name) => !name.endsWith('.dlq')));
    counting = true;
    const { ids } = await sendLoad(metered);
    await notifiedAll(metered, ids);
    await new Promise((resolve) => setTimeout(resolve, 500));
    counting = false;
    const records = await kafka.stop();
    printWork(out, ids.filter((id) => metered.notified.has(id)).length, { meters, records, invocations });
  } finally {
    await metered.stop();
  }
} finally {
  for (const meter of Object.values(meters)) await meter.close();
}
