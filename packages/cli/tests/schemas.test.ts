import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { xsdFor } from '@mxflow/iso20022';
import { run } from '../src/cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, 'packages/iso20022/tests/fixtures/messages');
const officialDir = path.resolve(repoRoot, '../shared/iso20022/xsd');
const bin = path.resolve(repoRoot, 'packages/cli/bin/mxflow.mjs');
const haveOfficial = existsSync(officialDir);
const itWithOfficial = haveOfficial ? it : it.skip;
if (!haveOfficial) console.warn('official ISO 20022 XSDs not found beside the repository: the --schemas cases with official versions are skipped');

/** Runs the command in this process; `env` stands for the process environment. */
async function mxflow(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: () => new Uint8Array(),
    now: () => new Date('2026-11-27T10:15:30.123Z'),
    newId: () => 'RSP-20261127-0001',
    env,
  });
  return { status, stdout, stderr };
}

const pacs008 = readFileSync(path.join(fixtures, 'pacs.008.001.08/valid.xml'), 'utf8');

describe('mxflow --schemas and MXFLOW_SCHEMAS_DIR', () => {
  let dir: string;
  let messages: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mxflow-schemas-'));
    messages = mkdtempSync(path.join(tmpdir(), 'mxflow-messages-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(messages, { recursive: true, force: true });
  });

  const message = (name: string, xml: string): string => {
    const file = path.join(messages, name);
    writeFileSync(file, xml);
    return file;
  };

  it('lists the built-in catalogue without a folder', async () => {
    const { status, stdout } = await mxflow(['schemas']);
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^namespace\s+origin\s+root$/);
    expect(stdout).toMatch(/urn:iso:std:iso:20022:tech:xsd:pacs\.008\.001\.08\s+built-in\s+Document/);
    expect(stdout).toMatch(/urn:iso:std:iso:20022:tech:xsd:head\.001\.001\.02\s+built-in\s+AppHdr/);
  });

  itWithOfficial('adds official versions and replaces a built-in one, listed with the file they came from', async () => {
    for (const file of ['pacs.008.001.09.xsd', 'pain.001.001.03.xsd', 'pacs.008.001.08.xsd']) copyFileSync(path.join(officialDir, file), path.join(dir, file));
    const { status, stdout } = await mxflow(['schemas', '--schemas', dir, '--json']);
    expect(status).toBe(0);
    const rows = stdout.trim().split('\n').map((line) => JSON.parse(line) as { namespace: string; origin: string; rootElement: string });
    expect(rows).toContainEqual({ namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03', origin: path.join(dir, 'pain.001.001.03.xsd'), rootElement: 'Document' });
    expect(rows).toContainEqual({ namespace: 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08', origin: path.join(dir, 'pacs.008.001.08.xsd'), rootElement: 'Document' });
    expect(rows).toContainEqual({ namespace: 'urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10', origin: 'built-in', rootElement: 'Document' });
  });

  itWithOfficial('validates, converts and answers a version the built-in catalogue does not have', async () => {
    copyFileSync(path.join(officialDir, 'pacs.008.001.09.xsd'), path.join(dir, 'pacs.008.001.09.xsd'));
    const file = message('v09.xml', pacs008.replace('pacs.008.001.08', 'pacs.008.001.09'));

    const without = await mxflow(['validate', '--json', file]);
    expect(without.status).toBe(1);
    expect(JSON.parse(without.stdout).errors[0].code).toBe('UNSUPPORTED_MESSAGE');

    const flag = await mxflow(['validate', '--json', '--schemas', dir, file]);
    expect(JSON.parse(flag.stdout)).toMatchObject({ valid: true, messageId: 'pacs.008.001.09' });
    const fromEnv = await mxflow(['validate', '--json', file], { MXFLOW_SCHEMAS_DIR: dir });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ valid: true, messageId: 'pacs.008.001.09' });

    const json = await mxflow(['convert', '--to', 'json', '--schemas', dir, file]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).messageId).toBe('pacs.008.001.09');
    const back = await mxflow(['convert', '--to', 'xml', '--schemas', dir, message('v09.json', json.stdout)]);
    expect(back.status).toBe(0);
    expect(back.stdout).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"');
  });

  itWithOfficial('answers a message validated against an operator copy of a built-in version', async () => {
    copyFileSync(path.join(officialDir, 'pacs.008.001.08.xsd'), path.join(dir, 'pacs.008.001.08.xsd'));
    const { status, stdout, stderr } = await mxflow(['respond', path.join(fixtures, 'pacs.008.001.08/valid.xml'), '--status', 'ACSC', '--schemas', dir]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('<TxSts>ACSC</TxSts>');
  });

  it('applies a usage guideline that restricts a built-in version', async () => {
    const restricted = xsdFor('pacs.008.001.08').replace(/(<xs:simpleType name="Max35Text">[\s\S]*?<xs:maxLength value=")35("\/>)/, '$116$2');
    writeFileSync(path.join(dir, 'pacs.008.001.08.xsd'), restricted);
    const file = path.join(fixtures, 'pacs.008.001.08/valid.xml');
    expect((await mxflow(['validate', file])).status).toBe(0);
    const { status, stdout } = await mxflow(['validate', file], { MXFLOW_SCHEMAS_DIR: dir });
    expect(status).toBe(1);
    expect(stdout).toContain("[facet 'maxLength']");
  });

  it.each([
    ['an XSD the engine cannot read', 'broken.xsd', xsdFor('pacs.008.001.08').replace('<xs:element name="Document"', '<xs:include schemaLocation="other.xsd"/><xs:element name="Document"'), 'top-level xs:include'],
    ['a file that is not XML', 'garbage.xsd', 'not xml at all', 'text outside the root element'],
  ])('stops on %s, naming the file and the reason', async (_what, name, content, reason) => {
    writeFileSync(path.join(dir, name), content);
    for (const args of [['validate', path.join(fixtures, 'pacs.008.001.08/valid.xml')], ['convert', '--to', 'json', path.join(fixtures, 'pacs.008.001.08/valid.xml')], ['schemas']]) {
      const { status, stdout, stderr } = await mxflow([...args, '--schemas', dir]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(name);
      expect(stderr).toContain(reason);
    }
  });

  it('stops on a folder that does not exist', async () => {
    const { status, stderr } = await mxflow(['schemas'], { MXFLOW_SCHEMAS_DIR: path.join(dir, 'missing') });
    expect(status).toBe(2);
    expect(stderr).toContain('no such folder');
  });

  it('reads MXFLOW_SCHEMAS_DIR from the environment of the binary', () => {
    writeFileSync(path.join(dir, 'broken.xsd'), '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>');
    const result = spawnSync(process.execPath, [bin, 'schemas'], { encoding: 'utf8', env: { ...process.env, MXFLOW_SCHEMAS_DIR: dir } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/broken\.xsd: .*not an ISO 20022 message namespace/);
  });
});
