/**
 * Fault injection, the one seam for it: the local stage's tests set
 * `MXFLOW_FAULTS` and the runtime installs the faults around a consumer's
 * handler and its message bus. No handler knows of them, and nothing is
 * installed outside the local stage.
 *
 * `MXFLOW_FAULTS` is a comma-separated list of `<consumer>:<kind>:<prefix>[:<ms>]`,
 * each matched on the first EndToEndId (or OrgnlEndToEndId) of a record:
 * - `fail-always`: every delivery of such a record fails before the handler
 *   runs (the dead-letter tests);
 * - `slow:<prefix>:<ms>`: such a record waits that long before the handler
 *   runs (the timeout and cancellation races);
 * - `crash-before-publish`: the first time a step publishes records of such
 *   a transaction, after all its writes, it fails instead: the record is
 *   delivered again, as after a crash between the write and the publish.
 * - `crash-after-write:<percent>` (consumer `*` for every service): after a
 *   DynamoDB write has succeeded, the call fails anyway, that often, as if
 *   the process had died right after the write: a consumer's record is
 *   delivered again, an HTTP caller gets a 503 and sends again.
 * - `kill-after-write:<percent>`: after a DynamoDB write has succeeded, the
 *   process that made it dies at once (SIGKILL), that often: every service
 *   it hosts stops at that write boundary, and comes back as the platform
 *   restarts it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import { RecordHeader, type EncodedRecord, type RecordPublisher } from '@mxflow/contracts';
import type { MSKEvent } from 'aws-lambda';
import { recordsOf } from './msk';

/** What a fault does. */
export const FaultKind = {
  failAlways: 'fail-always',
  slow: 'slow',
  crashBeforePublish: 'crash-before-publish',
  crashAfterWrite: 'crash-after-write',
  killAfterWrite: 'kill-after-write',
} as const;
/** One of {@link FaultKind}. */
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** One injected fault. */
export interface Fault {
  /** The consumer it applies to (`pacs008`). */
  readonly consumer: string;
  readonly kind: FaultKind;
  /** Records whose first EndToEndId starts with this are hit; for `crash-after-write`, the percentage of writes hit. */
  readonly prefix: string;
  /** How long `slow` holds a record. */
  readonly ms?: number;
}

/** An `MXFLOW_FAULTS` entry that is not of the documented form. */
export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const KINDS = new Set<string>(Object.values(FaultKind));

/**
 * Reads `MXFLOW_FAULTS`.
 *
 * @throws FaultSpecError naming the entry that is not `<consumer>:<kind>:<prefix>[:<ms>]`
 */
export function parseFaults(text: string): Fault[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [consumer, kind, prefix, ms] = entry.split(':');
      if (!consumer || !kind || !KINDS.has(kind) || !prefix) throw new FaultSpecError(`'${entry}' is not a fault: write <consumer>:<${[...KINDS].join('|')}>:<prefix>[:<ms>]`);
      if (kind === FaultKind.slow && !/^\d+$/.test(ms ?? '')) throw new FaultSpecError(`'${entry}' needs the milliseconds to hold a record: <consumer>:slow:<prefix>:<ms>`);
      if ((kind === FaultKind.crashAfterWrite || kind === FaultKind.killAfterWrite) && !(Number(prefix) > 0 && Number(prefix) <= 100)) {
        throw new FaultSpecError(`'${entry}' needs the percentage of writes to fail: <consumer>:${kind}:<0-100, above 0>`);
      }
      return { consumer, kind: kind as FaultKind, prefix, ...(kind === FaultKind.slow ? { ms: Number(ms) } : {}) };
    });
}

/** The faults the local stage installed for `consumer` (or for `*`, every one); none outside the local stage. */
export function faultsFor(consumer: string, env: NodeJS.ProcessEnv = process.env): Fault[] {
  if (env.MXFLOW_STAGE !== 'local') return [];
  return parseFaults(env.MXFLOW_FAULTS ?? '').filter((fault) => fault.consumer === consumer || fault.consumer === '*');
}

/** DynamoDB commands that write. */
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

/**
 * Installs `crash-after-write` and `kill-after-write` on a DynamoDB client:
 * after a write succeeded, the call fails anyway, or the process dies, as
 * often as the faults say. Returns the client.
 */
export function crashAfterWrites(client: DynamoDBClient, faults: readonly Fault[], random: () => number = Math.random, die: () => void = () => process.kill(process.pid, 'SIGKILL')): DynamoDBClient {
  const percentOf = (kind: FaultKind) => Math.max(0, ...faults.filter((fault) => fault.kind === kind).map((fault) => Number(fault.prefix)));
  const crash = percentOf(FaultKind.crashAfterWrite);
  const kill = percentOf(FaultKind.killAfterWrite);
  if (crash === 0 && kill === 0) return client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (!WRITES.has(context.commandName ?? '')) return result;
      if (random() * 100 < kill) die();
      if (random() * 100 < crash) throw new Error(`injected crash after a ${context.commandName} that was written`);
      return result;
    },
    { step: 'initialize', name: 'mxflowCrashAfterWrite' },
  );
  return client;
}

/** The first EndToEndId or OrgnlEndToEndId in a JSON value, in document order. */
function firstEndToEndId(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstEndToEndId(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, nested] of Object.entries(value)) {
    if ((key === 'EndToEndId' || key === 'OrgnlEndToEndId') && typeof nested === 'string') return nested;
    const found = firstEndToEndId(nested);
    if (found !== undefined) return found;
  }
  return undefined;
}

const endToEndIdOf = (text: string | undefined): string | undefined => {
  try {
    return text === undefined ? undefined : firstEndToEndId(JSON.parse(text));
  } catch {
    return undefined;
  }
};

const hits = (fault: Fault, text: string | undefined): boolean => endToEndIdOf(text)?.startsWith(fault.prefix) === true;

/** The `fail-always` and `slow` faults of a consumer, as a middleware before its handler. */
export function injectedFaults(faults: readonly Fault[]): MiddlewareObj<MSKEvent> {
  const before = async (request: { event: MSKEvent }): Promise<void> => {
    for (const record of recordsOf(request.event)) {
      const text = record.value?.toString('utf8');
      for (const fault of faults) {
        if (!hits(fault, text)) continue;
        if (fault.kind === FaultKind.failAlways) throw new Error(`injected failure of the record at ${record.topic}:${record.partition}:${record.offset}`);
        if (fault.kind === FaultKind.slow) await sleep(fault.ms ?? 0);
      }
    }
  };
  return { before };
}

/** A publisher that fails the first publish of each hit transaction (`crash-before-publish`), and passes everything else on. */
export function faultyPublisher(publisher: RecordPublisher, faults: readonly Fault[]): RecordPublisher {
  const crashes = faults.filter((fault) => fault.kind === FaultKind.crashBeforePublish);
  if (crashes.length === 0) return publisher;
  const crashed = new Set<string>();
  return {
    async publish(records: readonly EncodedRecord[]) {
      for (const record of records) {
        const text = record.message.value;
        const transactionId = record.message.headers[RecordHeader.transactionId] ?? text;
        if (crashes.some((fault) => hits(fault, text)) && !crashed.has(transactionId)) {
          crashed.add(transactionId);
          throw new Error(`injected crash before publishing the records of ${transactionId}`);
        }
      }
      await publisher.publish(records);
    },
  };
}
