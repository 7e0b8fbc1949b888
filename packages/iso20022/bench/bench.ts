/**
 * Throughput of the incoming path on one core: parse + XSD validation +
 * XML->JSON (+ business rules), and JSON->XML, for a ~5 KB pacs.008 and a
 * pacs.008 of 1,000 transactions; and the XSD validation time against native
 * libxml2 (`xmllint --schema`) on the same schema and messages.
 *
 * Run: `pnpm bench:iso` (tsx packages/iso20022/bench/bench.ts). Takes about a minute.
 * Set BENCH_SECONDS to change how long each measurement runs (default 2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBusinessRules, guardXml, parseMessage, toJson, toXml, validateXml, xsdFor } from '../src/index';

const seconds = Number(process.env.BENCH_SECONDS ?? '2');
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

interface Result {
  readonly name: string;
  readonly perSecond: number;
  readonly microseconds: number;
}

/** Runs `work` for about `seconds` after a warm-up and gives messages per second and µs per message. */
function measure(name: string, work: () => void, budget = seconds): Result {
  progress(name);
  const warmUpEnd = performance.now() + Math.min(500, budget * 250);
  while (performance.now() < warmUpEnd) work();
  let count = 0;
  const start = performance.now();
  const end = start + budget * 1000;
  while (performance.now() < end) {
    work();
    count++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { name, perSecond: count / elapsed, microseconds: (elapsed * 1e6) / count };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`bench input is wrong: ${what}`);
}

// Both inputs must be valid, or the bench would measure the error path.
check(validateXml(small).valid, '5 KB pacs.008 not schema-valid');
const smallJson = parseMessage(small);
check(checkBusinessRules(smallJson.messageId, smallJson.document).length === 0, 'business rules refuse the 5 KB message');

const smallResults: Result[] = [
  measure('5 KB pacs.008: XSD validation', () => validateXml(small)),
  measure('5 KB pacs.008: parse + validate + convert to JSON', () => parseMessage(small)),
  measure('5 KB pacs.008: parse + validate + convert + business rules', () => {
    const message = parseMessage(small);
    checkBusinessRules(message.messageId, message.document);
  }),
  measure('5 KB pacs.008: JSON to XML', () => toXml(smallJson.messageId, smallJson.document)),
  // Where the time of the incoming path goes.
  measure('5 KB pacs.008, part: input guard only', () => guardXml(small)),
  measure('5 KB pacs.008, part: guard + convert to JSON, no XSD', () => toJson(small)),
  measure('5 KB pacs.008, part: business rules on the JSON form', () => checkBusinessRules(smallJson.messageId, smallJson.document)),
];
// maxRSS only grows: read it before the large message inflates it.
const smallRssMb = process.resourceUsage().maxRSS / 1024;
check(validateXml(large, largeLimits).valid, '1,000-transaction pacs.008 not schema-valid');
const largeJson = parseMessage(large, largeLimits);
check(checkBusinessRules(largeJson.messageId, largeJson.document).length === 0, 'business rules refuse the large message');
const results: Result[] = [
  ...smallResults,
  measure('1,000-tx pacs.008: XSD validation', () => validateXml(large, largeLimits)),
  measure('1,000-tx pacs.008: parse + validate + convert + business rules', () => {
    const message = parseMessage(large, largeLimits);
    checkBusinessRules(message.messageId, message.document);
  }),
  measure('1,000-tx pacs.008: JSON to XML', () => toXml(largeJson.messageId, largeJson.document)),
];

/** Native libxml2 on the same (generated) XSD: many files in one process, start-up measured apart and taken out. */
function xmllintBaseline(): { small?: number; large?: number; note: string } {
  const version = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { note: 'xmllint not found: install it with `apt-get install -y libxml2-utils` for the baseline' };
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-iso-'));
  try {
    const xsd = path.join(dir, 'pacs.008.001.08.xsd');
    writeFileSync(xsd, xsdFor('pacs.008.001.08'));
    const files = (name: string, content: string, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const file = path.join(dir, `${name}-${i}.xml`);
        writeFileSync(file, content);
        return file;
      });
    const run = (list: string[]) => {
      const start = performance.now();
      execFileSync('xmllint', ['--noout', '--schema', xsd, ...list], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
      return (performance.now() - start) * 1000;
    };
    /** µs per message: (time for n files - time for 1 file) / (n - 1), the best of three runs. */
    const perMessage = (list: string[]) => {
      const best = (fn: () => number) => Math.min(fn(), fn(), fn());
      return (best(() => run(list)) - best(() => run(list.slice(0, 1)))) / (list.length - 1);
    };
    progress('xmllint: 2,000 × 5 KB pacs.008');
    const smallUs = perMessage(files('small', small, 2000));
    progress('xmllint: 20 × 1,000-tx pacs.008');
    const largeUs = perMessage(files('large', large, 20));
    return { small: smallUs, large: largeUs, note: `${version.stderr.split('\n')[0]}, same generated XSD, files read from disk` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const baseline = xmllintBaseline();
const rssMb = process.resourceUsage().maxRSS / 1024;

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`\nISO 20022 engine, one core, Node ${process.version}; 5 KB message ${num(Buffer.byteLength(small))} B, 1,000-tx message ${num(Buffer.byteLength(large))} B\n`);
console.log(`${pad('measurement', 64)} ${'msg/s'.padStart(10)} ${'µs/msg'.padStart(12)}`);
for (const result of results) console.log(`${pad(result.name, 64)} ${num(result.perSecond).padStart(10)} ${num(result.microseconds, 1).padStart(12)}`);
console.log(`\npeak RSS: ${num(smallRssMb)} MB after the 5 KB runs, ${num(rssMb)} MB after the 1,000-tx runs`);
console.log(`\nbaseline: ${baseline.note}`);
if (baseline.small !== undefined && baseline.large !== undefined) {
  const ratio = (ours: number, theirs: number) => `${num(ours / theirs, 2)}×`;
  console.log(`${pad('xmllint --schema, 5 KB pacs.008', 64)} ${num(1e6 / baseline.small).padStart(10)} ${num(baseline.small, 1).padStart(12)}`);
  console.log(`${pad('xmllint --schema, 1,000-tx pacs.008', 64)} ${num(1e6 / baseline.large, 1).padStart(10)} ${num(baseline.large, 1).padStart(12)}`);
  console.log(`our XSD validation / xmllint: 5 KB ${ratio(results[0].microseconds, baseline.small)}, 1,000-tx ${ratio(results[7].microseconds, baseline.large)} (goal: within 2×)`);
}
const incoming = results[1].perSecond;
const started = performance.timeOrigin;
console.log(`validate + convert, 5 KB pacs.008: ${num(incoming)} msg/s (goal: ≥ 3,000/s) ${incoming >= 3000 ? 'met' : 'NOT met'}`);
console.log(`bench time: ${num((Date.now() - started) / 1000, 1)} s`);
