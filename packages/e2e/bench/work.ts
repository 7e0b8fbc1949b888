/**
 * The work per settled payment of a bench:e2e run, and what it would cost on
 * AWS at list prices.
 */
import { randomUUID } from 'node:crypto';
import { createKafkaConsumer } from '@mxflow/store';
import type { Meter } from './meter';

/** Records produced to the platform's topics while a run was counted, and their bytes. */
export interface KafkaCount {
  readonly records: number;
  readonly bytes: number;
}

/**
 * Counts every record produced to `topics` from now on (a consumer group of
 * its own, from the current time), until `stop`.
 */
export async function countKafkaRecords(brokers: string, topics: readonly string[]): Promise<{ stop(): Promise<KafkaCount> }> {
  const since = Date.now();
  let records = 0;
  let bytes = 0;
  const seen = new Set<string>();
  const consumer = createKafkaConsumer({ brokers: [brokers], clientId: 'bench-meter', groupId: `bench-meter-${randomUUID()}`, topics, startFrom: 'timestamp', startTimestamp: since, maxWaitTimeMs: 100 });
  await consumer.run(async (batch, control) => {
    for (const record of batch.records) {
      const where = `${batch.topic}:${batch.partition}:${record.offset}`;
      if (seen.has(where)) continue;
      seen.add(where);
      records += 1;
      bytes += (record.value?.length ?? 0) + (record.key?.length ?? 0);
    }
    // Without it the next fetch starts where this one did, and every fetch decodes all records so far again.
    const last = batch.records.at(-1);
    if (last) await control.commit(last.offset);
  });
  return {
    async stop() {
      await consumer.stop();
      return { records, bytes };
    },
  };
}

/**
 * AWS list prices in us-east-1 (on-demand, as published for 2025), per unit.
 * Fixed monthly costs (MSK Serverless cluster and partition hours, the NAT
 * and VPC endpoints, KMS keys) do not grow with payments and are left out.
 */
export const PRICES = {
  region: 'us-east-1',
  /** DynamoDB on-demand: per write request unit, per read request unit. */
  dynamoDbWrite: 0.625 / 1e6,
  dynamoDbRead: 0.125 / 1e6,
  /** S3 Standard: PUT (and COPY, POST, LIST) per request; GET per request. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** SNS: per publish (API request), per HTTP/S delivery. */
  snsPublish: 0.5 / 1e6,
  snsHttpDelivery: 0.6 / 1e6,
  /** Lambda x86: per request, per GB-second. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000166667,
  /** MSK Serverless: per GB written, per GB read. */
  mskIn: 0.1 / 1e9,
  mskOut: 0.05 / 1e9,
} as const;

/** The functions' memory (shared.yml `provider.memorySize`), for GB-seconds. */
const LAMBDA_GB = 1024 / 1024;

/** Prints the work per settled payment and its cost per million payments. */
export function printWork(
  out: (line?: string) => void,
  payments: number,
  run: { meters: Record<'dynamodb' | 's3' | 'sns', Meter>; records: KafkaCount; invocations: ReadonlyMap<string, readonly number[]> },
): void {
  const per = (value: number) => (payments > 0 ? value / payments : 0);
  const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
  const { dynamodb, s3, sns } = run.meters;
  const dynamoCalls = sum(dynamodb.calls.values());
  const s3Puts = sum([...s3.calls].filter(([kind]) => kind.startsWith('PUT')).map(([, count]) => count));
  const s3Gets = sum([...s3.calls].filter(([kind]) => kind.startsWith('GET') || kind.startsWith('HEAD')).map(([, count]) => count));
  const publishes = sns.calls.get('Publish') ?? 0;
  const invocations = sum([...run.invocations.values()].map((values) => values.length));
  const handlerMs = sum([...run.invocations.values()].map((values) => sum(values)));

  out('');
  out(`work per settled payment (${payments} payments; every request of the services counted at a proxy in front of DynamoDB Local, the local S3 and SNS)`);
  out('');
  out('| what | per payment |');
  out('|---|---|');
  out(`| DynamoDB calls | ${per(dynamoCalls).toFixed(2)} (${[...dynamodb.calls].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `${kind} ${per(count).toFixed(2)}`).join(', ')}) |`);
  out(`| DynamoDB calls by table | ${[...dynamodb.byTable].sort((a, b) => b[1] - a[1]).map(([where, count]) => `${where} ${per(count).toFixed(2)}`).join(', ')} |`);
  out(`| DynamoDB capacity units | ${per(dynamodb.units.write).toFixed(2)} write, ${per(dynamodb.units.read).toFixed(2)} read |`);
  out(`| DynamoDB write units by call | ${[...dynamodb.writeUnitsByTable].sort((a, b) => b[1] - a[1]).map(([where, writeUnits]) => `${where} ${per(writeUnits).toFixed(2)}`).join(', ')} |`);
  out(`| S3 requests | ${per(s3Puts).toFixed(2)} PUT, ${per(s3Gets).toFixed(2)} GET |`);
  out(`| SNS publishes | ${per(publishes).toFixed(2)} |`);
  out(`| Kafka records | ${per(run.records.records).toFixed(2)} (${per(run.records.bytes).toFixed(0)} bytes) |`);
  out(`| Lambda invocations | ${invocations > 0 ? per(invocations).toFixed(2) : 'not reported by the local runner'}${invocations > 0 ? ` (${[...run.invocations].map(([name, values]) => `${name} ${per(values.length).toFixed(2)}`).join(', ')})` : ''} |`);
  out(`| handler time | ${invocations > 0 ? `${per(handlerMs).toFixed(1)} ms (${[...run.invocations].map(([name, values]) => `${name} ${(sum(values) / values.length).toFixed(0)} ms each`).join(', ')})` : 'n/a'} |`);

  const cost = {
    dynamodb: dynamodb.units.write * PRICES.dynamoDbWrite + dynamodb.units.read * PRICES.dynamoDbRead,
    s3: s3Puts * PRICES.s3Put + s3Gets * PRICES.s3Get,
    // Each notification is delivered over HTTP(S) to the receiving participant's endpoint.
    sns: publishes * (PRICES.snsPublish + PRICES.snsHttpDelivery),
    lambda: invocations * PRICES.lambdaRequest + (handlerMs / 1000) * LAMBDA_GB * PRICES.lambdaGbSecond,
    msk: run.records.bytes * (PRICES.mskIn + PRICES.mskOut),
  };
  const million = (value: number) => `$${(per(value) * 1e6).toFixed(2)}`;
  out('');
  out(`AWS list price per million payments (${PRICES.region}, on-demand; fixed monthly costs left out): ` +
    `${million(sum(Object.values(cost)))} = DynamoDB ${million(cost.dynamodb)} + S3 ${million(cost.s3)} + SNS ${million(cost.sns)} + Lambda ${million(cost.lambda)} + MSK ${million(cost.msk)}`);
  out('prices: DynamoDB $0.625/M write units, $0.125/M read units; S3 $0.005/1000 PUT, $0.0004/1000 GET; SNS $0.50/M publishes + $0.60/M HTTP deliveries; Lambda $0.20/M requests + $0.0000166667/GB-s at 1 GB; MSK Serverless $0.10/GB in, $0.05/GB out');
}
