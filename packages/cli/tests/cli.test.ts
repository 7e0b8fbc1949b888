import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { run } from '../src/cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, 'packages/iso20022/tests/fixtures/messages');
const main = path.resolve(repoRoot, 'packages/cli/src/main.ts');

function mxflow(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: fixtures, encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the command in this process through its injectable I/O: the same code
 * as the binary minus process start-up, for the tables of cases. The cases
 * about exit codes and streams spawn the real binary.
 */
function inProcess(args: string[], input?: string) {
  let stdout = '';
  let stderr = '';
  const cwd = process.cwd();
  process.chdir(fixtures);
  try {
    const status = run(args, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stdin: () => new TextEncoder().encode(input ?? ''),
      now: () => new Date('2026-11-27T10:15:30.123Z'),
      newId: () => 'RSP-20261127-0001',
    });
    return { status, stdout, stderr };
  } finally {
    process.chdir(cwd);
  }
}

/** Id and time for the binary, so that its output is reproducible. */
const fixed = ['--msg-id', 'RSP-20261127-0001', '--now', '2026-11-27T10:15:30.123Z'];

describe('mxflow respond', () => {
  it.each([
    ['pacs.008.001.08/valid.xml', ['--status', 'ACSC'], 'pacs.002.001.10', '<TxSts>ACSC</TxSts>'],
    ['pacs.008.001.08/valid.xml', ['--status', 'RJCT', '--reason', 'AM04', '--info', 'Insufficient funds'], 'pacs.002.001.10', '<Cd>AM04</Cd>'],
    ['pacs.008.001.08/valid-with-apphdr.xml', ['--status', 'ACSP'], 'pacs.002.001.10', '<MsgDefIdr>pacs.002.001.10</MsgDefIdr>'],
    ['pacs.004.001.09/valid.xml', ['--status', 'ACSC'], 'pacs.002.001.10', '<OrgnlInstrId>INGB-RTR-20261128-0001</OrgnlInstrId>'],
    ['pacs.028.001.03/valid.xml', ['--status', 'ACSP'], 'pacs.002.001.10', '<OrgnlUETR>8a562c67-ca16-48ba-b074-65581be6f001</OrgnlUETR>'],
    ['camt.056.001.08/valid.xml', ['--status', 'CNCL'], 'camt.029.001.09', '<Conf>CNCL</Conf>'],
    ['camt.056.001.08/valid.xml', ['--status', 'RJCR', '--reason', 'LEGL'], 'camt.029.001.09', '<TxCxlSts>RJCR</TxCxlSts>'],
    ['camt.056.001.08/valid.xml', ['--status', 'PDCR'], 'camt.029.001.09', '<TxCxlSts>PDCR</TxCxlSts>'],
  ])('answers %s %j with a %s the official XSD accepts', (file, options, responseId, excerpt) => {
    const { status, stdout, stderr } = inProcess(['respond', file, ...options]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:${responseId}"`);
    expect(stdout).toContain(excerpt);
    expect(stdout).toContain('2026-11-27T10:15:30.123Z');
    expect(officialXsdProblems(stdout)).toEqual([]);
  });

  it.each([
    ['a status that does not exist', ['pacs.008.001.08/valid.xml', '--status', 'DONE']],
    ['a cancellation status for a pacs.008', ['pacs.008.001.08/valid.xml', '--status', 'CNCL']],
    ['a rejection without reason', ['pacs.008.001.08/valid.xml', '--status', 'RJCT']],
    ['no status', ['camt.056.001.08/valid.xml']],
    ['an unparseable --now', ['pacs.008.001.08/valid.xml', '--status', 'ACSC', '--now', 'yesterday']],
  ])('exits with 2 on %s', (_case, args) => {
    const { status, stdout, stderr } = inProcess(['respond', ...args]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^mxflow: /);
  });

  it('prints the response from the binary, with the given id and time', () => {
    const { status, stdout, stderr } = mxflow(['respond', 'pacs.008.001.08/valid.xml', '--status', 'RJCT', '--reason', 'AM04', ...fixed]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('<MsgId>RSP-20261127-0001</MsgId>');
    expect(stdout).toContain('<CreDtTm>2026-11-27T10:15:30.123Z</CreDtTm>');
    expect(officialXsdProblems(stdout)).toEqual([]);
  });

  it('exits with 2 from the binary on a status that does not fit', () => {
    const { status, stdout, stderr } = mxflow(['respond', 'camt.056.001.08/valid.xml', '--status', 'ACSC']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('a camt.056 is answered with CNCL, RJCR or PDCR, not ACSC');
  });

  it('exits with 1 for a message that gets no response', () => {
    const { status, stderr } = inProcess(['respond', 'pacs.002.001.10/valid.xml', '--status', 'ACSC']);
    expect(status).toBe(1);
    expect(stderr).toContain('a pacs.002 gets no response');
  });
});

describe('mxflow convert', () => {
  it('converts XML to the JSON form and back to XML that is still valid', () => {
    const json = mxflow(['convert', '--to', 'json', 'pacs.008.001.08/valid-with-apphdr.xml']);
    expect(json.status).toBe(0);
    const message = JSON.parse(json.stdout);
    expect(message.messageId).toBe('pacs.008.001.08');
    expect(message.appHdr.BizMsgIdr).toBe('COBA20261127093000001');
    expect(message.document.FIToFICstmrCdtTrf.CdtTrfTxInf[2].IntrBkSttlmAmt).toEqual({ value: '879.10', Ccy: 'EUR' });
    const xml = mxflow(['convert', '--to', 'xml', '-'], json.stdout);
    expect(xml.status).toBe(0);
    expect(officialXsdProblems(xml.stdout)).toEqual([]);
    expect(xml.stdout).toContain('<UETR>c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54</UETR>');
  });

  it('reads XML from stdin', () => {
    const { status, stdout } = inProcess(['convert', '--to', 'json', '-'], readFileSync(path.join(fixtures, 'camt.056.001.08/valid.xml'), 'utf8'));
    expect(status).toBe(0);
    expect(JSON.parse(stdout).document.FIToFIPmtCxlReq.Assgnmt.Id).toBe('COBA-CXL-20261127-0001');
  });

  it('refuses JSON whose XML would break the schema, naming the element by its JSON Pointer', () => {
    const message = { messageId: 'pacs.008.001.08', document: { FIToFICstmrCdtTrf: { GrpHdr: { MsgId: 'X' } } } };
    const { status, stdout, stderr } = inProcess(['convert', '--to', 'xml', '-'], JSON.stringify(message));
    expect(status).toBe(1);
    expect(stdout).toBe('');
    // The JSON Schema finds it first, at the same element.
    expect(stderr).toContain('/document/FIToFICstmrCdtTrf/GrpHdr');
  });

  it.each([
    ['XML that is not schema-valid', ['--to', 'json', 'pacs.008.001.08/invalid-date.xml'], 1],
    ['a file that does not exist', ['--to', 'json', 'nowhere.xml'], 1],
    ['text that is not JSON', ['--to', 'xml', 'pacs.008.001.08/valid.xml'], 1],
    ['no --to', ['pacs.008.001.08/valid.xml'], 2],
    ['--to yaml', ['--to', 'yaml', 'pacs.008.001.08/valid.xml'], 2],
    ['two files', ['--to', 'json', 'pacs.008.001.08/valid.xml', 'pacs.002.001.10/valid.xml'], 2],
  ])('refuses %s', (_case, args, code) => {
    const { status, stdout, stderr } = inProcess(['convert', ...(args as string[])]);
    expect(status).toBe(code);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^mxflow: /);
  });
});

describe('mxflow validate', () => {
  it('prints XSD issues with line, column and path', () => {
    const { status, stdout } = mxflow(['validate', 'pacs.008.001.08/invalid-date.xml']);
    expect(status).toBe(1);
    expect(stdout).toContain('10:7 /Document/FIToFICstmrCdtTrf/GrpHdr/IntrBkSttlmDt:');
  });

  it('prints business-rule violations with reason code and path', () => {
    const { status, stdout } = inProcess(['validate', 'pacs.008.001.08/invalid-iban.xml']);
    expect(status).toBe(1);
    expect(stdout).toContain("AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN: 'NL21INGB0001234567' fails the MOD 97-10 check digits");
  });

  it.each([
    ['text that is not XML', 'hello', 'MALFORMED_XML'],
    ['a DTD', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><d/>', 'DTD_FORBIDDEN'],
    ['a namespace that is not ISO 20022', '<Document xmlns="urn:example"/>', 'UNSUPPORTED_MESSAGE'],
  ])('reports %s as invalid input', (_case, input, code) => {
    const { status, stdout } = inProcess(['validate', '--json', '-'], input);
    expect(status).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ file: '-', valid: false, errors: [{ kind: 'input', code }] });
  });

  it('exits with 2 without files', () => {
    expect(inProcess(['validate']).status).toBe(2);
  });
});

describe('mxflow', () => {
  it('prints a sample pacs.008 that is valid', () => {
    const { status, stdout } = mxflow(['sample']);
    expect(status).toBe(0);
    expect(officialXsdProblems(stdout)).toEqual([]);
    expect(inProcess(['validate', '-'], stdout).status).toBe(0);
  });

  it.each([
    ['pacs.008', 'pacs.008.001.08'],
    ['pain.001', 'pain.001.001.09'],
  ])('prints a sample %s that is valid', (type, messageId) => {
    const { status, stdout } = inProcess(['sample', type]);
    expect(status).toBe(0);
    expect(officialXsdProblems(stdout)).toEqual([]);
    const validated = inProcess(['validate', '--json', '-'], stdout);
    expect(validated.status).toBe(0);
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, messageId });
  });

  it('dates a sample now, so that its SLA has not run out when it is submitted', () => {
    const { stdout } = inProcess(['sample']);
    const created = /<CreDtTm>([^<]+)<\/CreDtTm>/.exec(stdout)?.[1] ?? '';
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(60_000);
    expect(stdout).toContain(`<IntrBkSttlmDt>${new Date().toISOString().slice(0, 10)}</IntrBkSttlmDt>`);
  });

  it('refuses a sample of a message type it has none of', () => {
    const { status, stderr } = inProcess(['sample', 'camt.056']);
    expect(status).toBe(2);
    expect(stderr).toContain('sample takes one of pacs.008, pain.001');
  });

  it('exits with 2 from the binary without a command', () => {
    const { status, stdout, stderr } = mxflow([]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: mxflow <command>');
  });

  it.each([[['frobnicate']], [['validate', '--strict', 'x.xml']]])('exits with 2 and the usage on %j', (args) => {
    const { status, stderr } = inProcess(args);
    expect(status).toBe(2);
    expect(stderr).toContain('Usage: mxflow <command>');
  });

  it('prints the usage on --help', () => {
    const { status, stdout } = inProcess(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('validate [--json] FILE...');
  });
});

describe('mxflow admin and dlq', () => {
  it.each([
    [['admin'], 'admin needs entities, mappings, liquidity, threshold or audit'],
    [['admin', 'entities', 'rename', 'x'], "admin entities needs list, show, create, update, delete, suspend or reinstate, not 'rename'"],
    [['admin', 'entities', 'create', '--id', 'ent-x', '--name', 'X'], 'admin entities create needs --bic'],
    [['admin', 'entities', 'update', 'ent-x'], 'admin entities update needs at least one of --name, --bic, --bics, --accounts'],
    [['admin', 'entities', 'update', 'ent-x', '--name', 'X', '--version', 'two'], "--version must be a whole number, not 'two'"],
    [['admin', 'mappings', 'create', 'ent-x', '--client', 'c'], 'admin mappings create needs --scopes (such as payments/write,payments/read)'],
    [['admin', 'liquidity', 'top-up', 'ent-x', '125.00'], 'admin liquidity top-up takes ENTITY AMOUNT CURRENCY, got 2 arguments'],
    [['admin', 'threshold', 'set', 'ent-x', 'EUR'], 'admin threshold set takes ENTITY CURRENCY AMOUNT, got 2 arguments'],
    [['admin', 'audit', 'extra'], 'admin audit takes no arguments, got 1 argument'],
    [['dlq', 'show'], 'dlq show takes ID, got 0 arguments'],
    [['dlq', 'purge'], "dlq needs list, show or replay, not 'purge'"],
  ])('exits with 2 for %p, naming what is wrong', (args, message) => {
    const result = inProcess(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`mxflow: ${message}\n`);
  });

  it('lists the admin commands in the usage', () => {
    const result = inProcess(['--help']);
    expect(result.stdout).toContain('admin liquidity top-up|withdraw ENTITY AMOUNT CURRENCY [--reference R]');
    expect(result.stdout).toContain('dlq replay ID');
  });
});
