import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '@mxflow/program-cache';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, 'packages/iso20022/tests/fixtures/messages');
const bin = path.resolve(repoRoot, 'packages/cli/bin/mxflow.mjs');
const sources = path.resolve(repoRoot, 'packages/cli/src/main.ts');

const readManifest = (cacheDir: string): Manifest => JSON.parse(readFileSync(path.join(cacheDir, 'manifest.json'), 'utf8')) as Manifest;

/** Runs `node args` in the fixtures folder. */
function node(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, args, { cwd: fixtures, encoding: 'utf8', input, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built mxflow', () => {
  let cacheDir: string;
  const built = (args: string[], input?: string) => node([bin, ...args], { MXFLOW_CLI_CACHE: cacheDir }, input);
  const fromSources = (args: string[], input?: string) => node(['--import', 'tsx', sources, ...args], {}, input);
  /** A sample without what differs from call to call: its ids and times. */
  const withoutIds = (xml: string) => xml.replace(/<(MsgId|PmtInfId|InstrId|EndToEndId|TxId|UETR|CreDtTm|IntrBkSttlmDt)>[^<]*</g, '<$1>…<');

  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'mxflow-built-cache-'));
  });

  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('builds on its first call into the cache, then runs the same bundle', () => {
    expect(built(['--help']).status).toBe(0);
    const manifest = readManifest(cacheDir);
    const bundle = path.join(cacheDir, manifest.dir, manifest.outputs.main);
    expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining([sources, path.resolve(repoRoot, 'packages/cli/src/sample.ts')]));
    // libxml2-wasm's WebAssembly beside the bundle, not inside it.
    expect(readdirSync(path.dirname(bundle)).filter((file) => file.endsWith('.wasm'))).toHaveLength(1);
    const { mtimeMs } = statSync(bundle);

    expect(built(['--help']).status).toBe(0);
    expect(readManifest(cacheDir).dir).toBe(manifest.dir);
    expect(statSync(bundle).mtimeMs).toBe(mtimeMs);
  }, 120_000);

  it.each([
    ['--help', ['--help']],
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['validate --json of valid and invalid files', ['validate', '--json', 'pacs.008.001.08/valid.xml', 'pacs.008.001.08/invalid-iban.xml', 'camt.056.001.08/valid.xml']],
    ['validate of a file that does not exist', ['validate', 'nowhere.xml']],
    ['convert --to json', ['convert', '--to', 'json', 'pacs.008.001.08/valid-with-apphdr.xml']],
    ['respond', ['respond', 'pacs.008.001.08/valid.xml', '--status', 'RJCT', '--reason', 'AM04', '--msg-id', 'RSP-1', '--now', '2026-11-27T10:15:30.123Z']],
    ['schemas --json', ['schemas', '--json']],
    ['sample --help', ['sample', '--help']],
  ])('prints what the sources print, with their exit code: %s', (_case, args) => {
    expect(built(args)).toEqual(fromSources(args));
  }, 120_000);

  it('prints the sample the sources print, from the templates beside them, and finds it valid', () => {
    const sample = built(['sample', 'pacs.008']);
    expect(sample.status).toBe(0);
    expect(withoutIds(sample.stdout)).toBe(withoutIds(fromSources(['sample', 'pacs.008']).stdout));
    expect(built(['validate', '-'], sample.stdout)).toEqual({ status: 0, stdout: '-: valid pacs.008.001.08\n', stderr: '' });
    expect(fromSources(['validate', '-'], sample.stdout).status).toBe(0);
  }, 120_000);

  it('stops quietly when the reader of its output goes away', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" sample pacs.008 | head -c 5`], { encoding: 'utf8', env: { ...process.env, MXFLOW_CLI_CACHE: cacheDir } });
    expect(result.stdout).toBe('<?xml');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
