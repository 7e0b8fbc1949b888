// Throughput and latency of the broker under kafkajs, next to the disk's own sequential write speed.
// Run: tsx packages/kafka-broker/bench/bench.ts  (bounded to well under two minutes)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import kafkajs from 'kafkajs';
import { encodeRecordBatch, Writer } from '../src/index';

const { Kafka, logLevel } = kafkajs;

const VALUE_BYTES = 1024;
const BATCH = 100;
const PRODUCE_MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000);
const LATENCY_SENDS = Number(process.env.BENCH_LATENCY_SENDS ?? 500);
const PHASE_BUDGET_MS = 20_000;
const RAW_IN_FLIGHT = 8;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const cli = path.join(repoRoot, 'packages/kafka-broker/src/cli.ts');

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function startChild(dataDir: string, fsync: string): Promise<{ child: ChildProcess; brokers: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--data-dir', dataDir, '--fsync', fsync, '--rebalance-delay-ms', '0'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, brokers: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  return exited;
}

// CPU seconds a process has used so far (Linux /proc; clock ticks are 1/100 s).
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Produces pre-encoded batches over one bare connection with several requests in flight:
 * what the broker sustains when the client costs nothing.
 */
async function rawProduce(brokers: string, topic: string, batches: number): Promise<number> {
  const [host, port] = brokers.split(':');
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(Number(port), host, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  const batch = encodeRecordBatch(Array.from({ length: BATCH }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(VALUE_BYTES, 0x62) })));
  const request = (id: number) => {
    const w = new Writer(batch.length + 128);
    w.int32(0).int16(0).int16(7).int32(id).nullableString('bench-raw').nullableString(null).int16(-1).int32(30_000);
    w.array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).nullableBytes(batch)));
    const frame = w.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    return frame;
  };
  let sent = 0;
  let answered = 0;
  let pending = Buffer.alloc(0);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        pending = pending.subarray(4 + pending.readInt32BE(0));
        answered++;
        if (sent < batches) socket.write(request(++sent));
        else if (answered === batches) resolve();
      }
    });
    while (sent < Math.min(RAW_IN_FLIGHT, batches)) socket.write(request(++sent));
  });
  socket.destroy();
  return (performance.now() - t0) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Row {
  fsync: string;
  produceMsgs: number;
  produceMBs: number;
  brokerCpu: number;
  rawMsgs: number;
  rawMBs: number;
  consumeMsgs: number;
  consumeMBs: number;
  p50: number;
  p99: number;
}

async function runBroker(fsync: string): Promise<Row> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-'));
  const { child, brokers } = await startChild(dataDir, fsync);
  progress(`broker with fsync ${fsync} on ${brokers}`);
  const kafka = new Kafka({ clientId: 'bench', brokers: [brokers], logLevel: logLevel.NOTHING });
  const topic = `bench.${fsync}`;
  try {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const value = Buffer.alloc(VALUE_BYTES, 0x61);
    const messages = Array.from({ length: BATCH }, (_, i) => ({ key: `k${i}`, value }));
    let sent = 0;
    const cpu0 = cpuSeconds(child.pid!);
    const t0 = performance.now();
    while (sent < PRODUCE_MESSAGES && performance.now() - t0 < PHASE_BUDGET_MS) {
      await producer.send({ topic, acks: -1, messages });
      sent += BATCH;
      if (sent % 5000 === 0) progress(`  produced ${sent}`);
    }
    const produceSec = (performance.now() - t0) / 1000;
    const brokerCpu = (cpuSeconds(child.pid!) - cpu0) / produceSec;

    const rawBatches = Math.ceil(PRODUCE_MESSAGES / BATCH);
    const rawSec = await rawProduce(brokers, `${topic}.raw`, rawBatches);
    progress(`  raw producer: ${rawBatches} batches, ${RAW_IN_FLIGHT} in flight, ${rawSec.toFixed(2)} s`);

    const latencies: number[] = [];
    const one = [{ key: 'single', value }];
    const t1 = performance.now();
    for (let i = 0; i < LATENCY_SENDS && performance.now() - t1 < PHASE_BUDGET_MS; i++) {
      const s = performance.now();
      await producer.send({ topic: `${topic}.latency`, acks: -1, messages: one });
      latencies.push(performance.now() - s);
    }
    await producer.disconnect();
    latencies.sort((a, b) => a - b);
    progress(`  ${latencies.length} single sends timed`);

    const consumer = kafka.consumer({ groupId: `bench-${fsync}`, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 4 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let received = 0;
    let first = 0;
    let last = 0;
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (first === 0) first = performance.now();
          received += batch.messages.length;
          last = performance.now();
          if (received >= sent) resolve();
        },
      });
    });
    await Promise.race([done, new Promise((r) => setTimeout(r, PHASE_BUDGET_MS))]);
    await consumer.disconnect();
    const consumeSec = Math.max(last - first, 1) / 1000;
    progress(`  consumed ${received}`);
    const mb = (n: number) => (n * VALUE_BYTES) / 1e6;
    return {
      fsync,
      produceMsgs: sent / produceSec,
      produceMBs: mb(sent) / produceSec,
      brokerCpu,
      rawMsgs: (rawBatches * BATCH) / rawSec,
      rawMBs: mb(rawBatches * BATCH) / rawSec,
      consumeMsgs: received / consumeSec,
      consumeMBs: mb(received) / consumeSec,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await stopChild(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// The disk's limit for the same bytes in the same write pattern: one write per batch of 100 values.
function rawDisk(): { syncedMBs: number; unsyncedMBs: number; singleSyncP50: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-raw-'));
  const chunk = Buffer.alloc(BATCH * VALUE_BYTES, 0x61);
  const chunks = PRODUCE_MESSAGES / BATCH;
  const run = (sync: boolean) => {
    const file = path.join(dir, sync ? 'synced' : 'unsynced');
    const fd = fs.openSync(file, 'w');
    const t0 = performance.now();
    for (let i = 0; i < chunks; i++) {
      fs.writeSync(fd, chunk);
      if (sync) fs.fdatasyncSync(fd);
    }
    const sec = (performance.now() - t0) / 1000;
    fs.closeSync(fd);
    fs.rmSync(file);
    return (chunks * chunk.length) / 1e6 / sec;
  };
  try {
    // The machine is shared, so each figure is the median of three runs.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
    const syncedRuns = [run(true), run(true), run(true)];
    const unsyncedRuns = [run(false), run(false), run(false)];
    const syncedMBs = median([...syncedRuns]);
    const unsyncedMBs = median([...unsyncedRuns]);
    progress(`  synced runs ${syncedRuns.map((x) => x.toFixed(0)).join(', ')} MB/s; unsynced ${unsyncedRuns.map((x) => x.toFixed(0)).join(', ')} MB/s`);
    const fd = fs.openSync(path.join(dir, 'single'), 'a');
    const one = Buffer.alloc(VALUE_BYTES);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      fs.writeSync(fd, one);
      fs.fdatasyncSync(fd);
      times.push(performance.now() - s);
    }
    fs.closeSync(fd);
    times.sort((a, b) => a - b);
    return { syncedMBs, unsyncedMBs, singleSyncP50: percentile(times, 50) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  progress(`raw sequential writes of ${PRODUCE_MESSAGES} x ${VALUE_BYTES} B in chunks of ${BATCH}`);
  const disk = rawDisk();
  const rows: Row[] = [];
  for (const fsync of ['always', 'interval']) rows.push(await runBroker(fsync));

    const out: string[] = [];
  out.push('');
  out.push(`kafka-broker benchmark: kafkajs 2.2.4, ${VALUE_BYTES} B values, batches of ${BATCH}, acks -1, ${os.cpus().length} cores, node ${process.version}`);
  out.push('');
  const table: string[][] = [
    ['fsync', 'kafkajs produce msg/s', 'MB/s', 'vs disk', 'broker CPU', `raw produce (${RAW_IN_FLIGHT} in flight) MB/s`, 'vs disk', 'consume msg/s', 'MB/s', 'send p50 ms', 'p99 ms'],
  ];
  for (const r of rows) {
    const limit = r.fsync === 'always' ? disk.syncedMBs : disk.unsyncedMBs;
    const pct = (x: number) => `${((x / limit) * 100).toFixed(1)}%`;
    table.push([
      r.fsync,
      r.produceMsgs.toFixed(0),
      r.produceMBs.toFixed(1),
      pct(r.produceMBs),
      `${(r.brokerCpu * 100).toFixed(0)}%`,
      r.rawMBs.toFixed(1),
      pct(r.rawMBs),
      r.consumeMsgs.toFixed(0),
      r.consumeMBs.toFixed(1),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
    ]);
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  table.forEach((row, i) => {
    out.push(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | '));
    if (i === 0) out.push(widths.map((w) => '-'.repeat(w)).join('-|-'));
  });
  out.push('');
  out.push(`physical limit (same bytes, one write per ${BATCH}-value chunk, median of 3):`);
  out.push(`  with fdatasync per chunk: ${disk.syncedMBs.toFixed(1)} MB/s (${((disk.syncedMBs * 1e6) / VALUE_BYTES).toFixed(0)} values/s)`);
  out.push(`  without fsync:            ${disk.unsyncedMBs.toFixed(1)} MB/s (${((disk.unsyncedMBs * 1e6) / VALUE_BYTES).toFixed(0)} values/s)`);
  out.push(`  one 1 KiB write + fdatasync, p50: ${disk.singleSyncP50.toFixed(2)} ms`);
  out.push(`"vs disk" compares fsync always with the synced limit and interval with the unsynced one;`);
  out.push('requests in flight share one fdatasync (group commit), which is how the raw producer can pass 100%.');
  out.push('"broker CPU" is the broker process during the kafkajs produce phase (100% = one core).');
  out.push(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
