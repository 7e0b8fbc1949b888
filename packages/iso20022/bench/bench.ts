/**
 * Throughput of the incoming path on one core: parse + XSD validation +
 * XML->JSON (+ business rules), and JSON->XML, for a ~5 KB pacs.008 and a
 * pacs.008 of 1,000 transactions; and the XSD validation time against native
 * libxml2 (`xmllint --schema`) on the same schema and messages.
 *
 * The machine may be shared, so every figure is taken in rounds: each round
 * runs every measurement of a group once, one after the other (xmllint
 * included), and the report gives the median over the rounds, of both wall
 * time and the CPU time this process (or xmllint) used. CPU time is the figure
 * to compare with a goal for one core: on a busy machine wall time also counts
 * the time the process waited for a core. The load average is printed beside
 * the results.
 *
 * Run: `pnpm bench:iso` (tsx packages/iso20022/bench/bench.ts). Takes about a minute.
 * BENCH_ROUNDS (default 7) and BENCH_ROUND_MS (default 250, time per measurement and round) change its length.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBusinessRules, guardXml, parseMessage, toJson, toXml, validateXml, xsdFor } from '../src/index';

const startRssMb = process.resourceUsage().maxRSS / 1024;

const rounds = Number(process.env.BENCH_ROUNDS ?? '7');
const roundMs = Number(process.env.BENCH_ROUND_MS ?? '250');
const here = path.dirname(fileURLToPath(import.meta.url));
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

// Inputs: the 5 KB fixture, and a message of 1,000 transactions made from its first transaction.
const small = readFileSync(path.resolve(here, '../tests/fixtures/messages/pacs.008.001.08/valid.xml'), 'utf8');

function manyTransactions(count: number): string {
  const start = small.indexOf('<CdtTrfTxInf>');
  const end = small.indexOf('</CdtTrfTxInf>') + '</CdtTrfTxInf>'.length;
  const template = small.slice(start, end);
  const transactions: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(4, '0');
    const uetr = `8a562c67-ca16-48ba-b074-65581be6${n.padStart(4, '0')}`;
    transactions.push(
      template
        .replace(/<InstrId>[^<]*</, `<InstrId>COBA-INSTR-${n}<`)
        .replace(/<EndToEndId>[^<]*</, `<EndToEndId>INV-2026-11-${n}<`)
        .replace(/<TxId>[^<]*</, `<TxId>COBA-TX-20261127-${n}<`)
        .replace(/<UETR>[^<]*</, `<UETR>${uetr}<`),
    );
  }
  const header = small.slice(0, start).replace('<NbOfTxs>3</NbOfTxs>', `<NbOfTxs>${count}</NbOfTxs>`);
  const total = `${12500 * count}.00`;
  const withTotals = header.replace('<CtrlSum>16799.85</CtrlSum>', `<CtrlSum>${total}</CtrlSum>`).replace('Ccy="EUR">16799.85<', `Ccy="EUR">${total}<`);
  return `${withTotals}${transactions.join('\n    ')}\n  </FIToFICstmrCdtTrf>\n</Document>\n`;
}

const large = manyTransactions(1000);
const largeLimits = { limits: { maxBytes: 8 * 1024 * 1024 } };

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`bench input is wrong: ${what}`);
}

/** Time per message of one round, in µs. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** A measurement: `run` does one round and returns its time per message. */
interface Measurement {
  readonly name: string;
  readonly run: () => Sample;
  readonly samples: Sample[];
}

/** Runs `work` repeatedly for `roundMs`: wall time and this process's CPU time (all threads: GC included) per call. */
function timed(work: () => void): () => Sample {
  return () => {
    let count = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const end = start + roundMs;
    do {
      work();
      count++;
    } while (performance.now() < end);
    const wall = (performance.now() - start) * 1000;
    const cpu = process.cpuUsage(cpuStart);
    return { wall: wall / count, cpu: (cpu.user + cpu.system) / count };
  };
}

const measurement = (name: string, run: () => Sample): Measurement => ({ name, run, samples: [] });

/** Warms each measurement up, then runs `rounds` rounds, each running every measurement once, interleaved. */
function runGroup(title: string, group: readonly Measurement[]): void {
  progress(`${title}: warm-up`);
  for (const item of group) {
    const until = performance.now() + 500;
    while (performance.now() < until) item.run();
  }
  for (let round = 1; round <= rounds; round++) {
    progress(`${title}: round ${round} of ${rounds} (load average ${loadavg()[0].toFixed(2)})`);
    for (const item of group) item.samples.push(item.run());
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const medianOf = (item: Measurement, key: keyof Sample): number => median(item.samples.map((sample) => sample[key]));

// xmllint: native libxml2 on the same generated XSD and the same messages, many files in one
// process; the time of a run on one file (start-up, schema compilation) is taken out.
const xmllintVersion = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
const haveXmllint = !xmllintVersion.error && xmllintVersion.status === 0;
// Children's CPU time from /proc (clock ticks of 10 ms): runs are long enough for that to be fine.
const haveProc = existsSync('/proc/self/stat');
function childrenCpuMicros(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // Fields 16 and 17 (cutime, cstime), counted after the command name.
  return (Number(fields[13]) + Number(fields[14])) * 10_000;
}
const dir = mkdtempSync(path.join(tmpdir(), 'bench-iso-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const xsd = path.join(dir, 'pacs.008.001.08.xsd');
writeFileSync(xsd, xsdFor('pacs.008.001.08'));
function files(name: string, content: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const file = path.join(dir, `${name}-${i}.xml`);
    writeFileSync(file, content);
    return file;
  });
}
function xmllint(list: readonly string[]): Sample {
  const cpuStart = haveProc ? childrenCpuMicros() : 0;
  const start = performance.now();
  execFileSync('xmllint', ['--noout', '--schema', xsd, ...list], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { wall: (performance.now() - start) * 1000, cpu: haveProc ? childrenCpuMicros() - cpuStart : Number.NaN };
}
/** µs per message: (run on n files - run on 1 file) / (n - 1). */
function xmllintPerMessage(list: readonly string[]): () => Sample {
  return () => {
    const one = xmllint(list.slice(0, 1));
    const all = xmllint(list);
    return { wall: (all.wall - one.wall) / (list.length - 1), cpu: (all.cpu - one.cpu) / (list.length - 1) };
  };
}

// Both inputs must be valid, or the bench would measure the error path.
check(validateXml(small).valid, '5 KB pacs.008 not schema-valid');
const smallJson = parseMessage(small);
check(checkBusinessRules(smallJson.messageId, smallJson.document).length === 0, 'business rules refuse the 5 KB message');
const smallGroup = [
  measurement('5 KB pacs.008: XSD validation', timed(() => validateXml(small))),
  measurement('5 KB pacs.008: parse + validate + convert to JSON', timed(() => parseMessage(small))),
  measurement(
    '5 KB pacs.008: parse + validate + convert + business rules',
    timed(() => {
      const message = parseMessage(small);
      checkBusinessRules(message.messageId, message.document);
    }),
  ),
  measurement('5 KB pacs.008: JSON to XML', timed(() => toXml(smallJson.messageId, smallJson.document))),
  // Where the time of the incoming path goes.
  measurement('5 KB pacs.008, part: input guard only', timed(() => guardXml(small))),
  measurement('5 KB pacs.008, part: guard + convert to JSON, no XSD', timed(() => toJson(small))),
  measurement('5 KB pacs.008, part: business rules on the JSON form', timed(() => checkBusinessRules(smallJson.messageId, smallJson.document))),
];
const smallXmllint = haveXmllint ? measurement('xmllint --schema, 5 KB pacs.008 (2,000 files)', xmllintPerMessage(files('small', small, 2000))) : undefined;
runGroup('5 KB pacs.008', smallXmllint ? [...smallGroup, smallXmllint] : smallGroup);
// maxRSS only grows: read it before the large message inflates it.
const smallRssMb = process.resourceUsage().maxRSS / 1024;

// Only now: a large live heap would make the garbage collector slower during the 5 KB runs.
check(validateXml(large, largeLimits).valid, '1,000-transaction pacs.008 not schema-valid');
const largeJson = parseMessage(large, largeLimits);
check(checkBusinessRules(largeJson.messageId, largeJson.document).length === 0, 'business rules refuse the large message');

const largeGroup = [
  measurement('1,000-tx pacs.008: XSD validation', timed(() => validateXml(large, largeLimits))),
  measurement('1,000-tx pacs.008: parse + validate + convert to JSON', timed(() => parseMessage(large, largeLimits))),
  measurement(
    '1,000-tx pacs.008: parse + validate + convert + business rules',
    timed(() => {
      const message = parseMessage(large, largeLimits);
      checkBusinessRules(message.messageId, message.document);
    }),
  ),
  measurement('1,000-tx pacs.008: JSON to XML', timed(() => toXml(largeJson.messageId, largeJson.document))),
];
const largeXmllint = haveXmllint ? measurement('xmllint --schema, 1,000-tx pacs.008 (10 files)', xmllintPerMessage(files('large', large, 10))) : undefined;
runGroup('1,000-tx pacs.008', largeXmllint ? [...largeGroup, largeXmllint] : largeGroup);
const rssMb = process.resourceUsage().maxRSS / 1024;

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
const load = loadavg();
console.log(`\nISO 20022 engine, one core, Node ${process.version}; 5 KB message ${num(Buffer.byteLength(small))} B, 1,000-tx message ${num(Buffer.byteLength(large))} B`);
console.log(`median of ${rounds} interleaved rounds of ${roundMs} ms after a warm-up; load average now ${load.map((value) => value.toFixed(2)).join(' ')} on ${availableParallelism()} cores\n`);
console.log(`${pad('measurement', 64)} ${'CPU µs/msg'.padStart(11)} ${'msg/s (CPU)'.padStart(12)} ${'wall µs/msg'.padStart(12)}`);
const row = (item: Measurement) => {
  const cpu = medianOf(item, 'cpu');
  console.log(`${pad(item.name, 64)} ${num(cpu, 1).padStart(11)} ${num(1e6 / cpu).padStart(12)} ${num(medianOf(item, 'wall'), 1).padStart(12)}`);
};
for (const item of [...smallGroup, ...(smallXmllint ? [smallXmllint] : []), ...largeGroup, ...(largeXmllint ? [largeXmllint] : [])]) row(item);
console.log(
  `\npeak RSS: ${num(smallRssMb)} MB after the 5 KB runs, ${num(rssMb)} MB after the 1,000-tx runs; ` +
    `${num(startRssMb)} MB of it before any message (Node, the tsx loader, the libxml2 module)`,
);

/** The median over rounds of ours / xmllint's, each round's pair measured one right after the other. */
const ratio = (ours: Measurement, theirs: Measurement, key: keyof Sample) => median(ours.samples.map((sample, i) => sample[key] / theirs.samples[i][key]));
if (smallXmllint && largeXmllint) {
  console.log(`\nbaseline: ${xmllintVersion.stderr.split('\n')[0]}, same generated XSD, files read from disk${haveProc ? '' : ' (no /proc: CPU time of xmllint unknown)'}`);
  console.log(
    `our XSD validation / xmllint, CPU time: 5 KB ${num(ratio(smallGroup[0], smallXmllint, 'cpu'), 2)}×, 1,000-tx ${num(ratio(largeGroup[0], largeXmllint, 'cpu'), 2)}×; ` +
      `wall time: 5 KB ${num(ratio(smallGroup[0], smallXmllint, 'wall'), 2)}×, 1,000-tx ${num(ratio(largeGroup[0], largeXmllint, 'wall'), 2)}× (goal: within 2×)`,
  );
  // The goal of the incoming path: the whole of it (one parse, validation, the JSON form) against native validation alone.
  console.log(
    `parse + validate + convert / xmllint validation, CPU time: 5 KB ${num(ratio(smallGroup[1], smallXmllint, 'cpu'), 2)}×, 1,000-tx ${num(ratio(largeGroup[1], largeXmllint, 'cpu'), 2)}×; ` +
      `wall time: 5 KB ${num(ratio(smallGroup[1], smallXmllint, 'wall'), 2)}×, 1,000-tx ${num(ratio(largeGroup[1], largeXmllint, 'wall'), 2)}× (goal: within 2×)`,
  );
} else {
  console.log(`\nbaseline: xmllint not found: install it with \`apt-get install -y libxml2-utils\``);
}
const incoming = 1e6 / medianOf(smallGroup[1], 'cpu');
console.log(`validate + convert, 5 KB pacs.008: ${num(incoming)} msg/s of CPU time (goal: ≥ 3,000/s on one core) ${incoming >= 3000 ? 'met' : 'NOT met'}`);
console.log(`bench time: ${num(performance.now() / 1000, 1)} s`);

