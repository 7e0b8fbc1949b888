import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXml } from '@mxflow/iso20022';
import { defaultComposeFile, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { cancellationXml, initiationXml, paymentXml, statusRequestXml } from '../../e2e/src';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { run } from '../src/cli';
import { textOf, transactionText, withParsedValues } from '../src/output';
import { answersOf, progressOf, type MessageView, type StepView } from '../src/platform';
import { cancellationSample, originalOf, returnSample, returnableOf, statusRequestSample, type OriginalPayment } from '../src/sample';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, 'packages/iso20022/tests/fixtures/messages');
/** The command as `pnpm mxflow` runs it: the launcher of the built bundle. */
const bin = path.resolve(repoRoot, 'packages/cli/bin/mxflow.mjs');

function mxflow(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: fixtures, encoding: 'utf8', input });
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
    const { stdout } = mxflow(['sample']);
    const created = /<CreDtTm>([^<]+)<\/CreDtTm>/.exec(stdout)?.[1] ?? '';
    expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(60_000);
    expect(stdout).toContain(`<IntrBkSttlmDt>${new Date().toISOString().slice(0, 10)}</IntrBkSttlmDt>`);
  });

  it('refuses a sample of a message type it has none of', () => {
    const { status, stderr } = inProcess(['sample', 'pacs.009']);
    expect(status).toBe(2);
    expect(stderr).toContain('sample takes one of pacs.008, pain.001, camt.056, pacs.004, pacs.028');
  });

  it('asks for the original of a camt.056, pacs.004 or pacs.028 sample', () => {
    const { status, stderr } = inProcess(['sample', 'pacs.004']);
    expect(status).toBe(2);
    expect(stderr).toContain('a pacs.004 sample needs --for ID');
  });

  it.each(['pacs.008', 'pain.001'])('gives a %s sample new ids on every call', (type) => {
    const ids = (xml: string) => [...xml.matchAll(/<(MsgId|PmtInfId|InstrId|EndToEndId|TxId|UETR)>([^<]+)</g)].map((match) => match[2]);
    const first = ids(inProcess(['sample', type]).stdout);
    const second = ids(inProcess(['sample', type]).stdout);
    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(new Set(first).size).toBe(first.length);
    for (const id of first) expect(second).not.toContain(id);
  });

  it('sends every transfer of the pain.001 sample from Alpha to a participant of the default seed', () => {
    const seed = JSON.parse(readFileSync(path.join(repoRoot, 'packages/local-stack/seed/participants.json'), 'utf8')) as { participants: { bic: string }[] };
    const participants = seed.participants.map((participant) => participant.bic);
    const xml = inProcess(['sample', 'pain.001']).stdout;
    const creditorAgents = [...xml.matchAll(/<CdtrAgt>\s*<FinInstnId>\s*<BICFI>([^<]+)</g)].map((match) => match[1]);
    const debtorAgents = [...xml.matchAll(/<DbtrAgt>\s*<FinInstnId>\s*<BICFI>([^<]+)</g)].map((match) => match[1]);
    expect(creditorAgents).toHaveLength(3);
    expect(participants).toEqual(expect.arrayContaining([...creditorAgents, ...debtorAgents]));
    expect(new Set(debtorAgents)).toEqual(new Set(['ALPHDEFFXXX']));
  });

  it('stops quietly when the reader of its output goes away', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" --help | head -1`], { cwd: fixtures, encoding: 'utf8' });
    expect(result.stdout).toBe('Usage: mxflow <command> [options]\n');
    expect(result.stderr).toBe('');
  });

  it('exits with 2 from the binary without a command', () => {
    const { status, stdout, stderr } = mxflow([]);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: mxflow <command>');
  });

  it.each([
    [['frobnicate'], "mxflow: unknown command 'frobnicate'\nRun 'mxflow --help' for the usage.\n"],
    [['validate', '--strict', 'x.xml'], "mxflow: validate has no option --strict\nRun 'mxflow validate --help' for the usage.\n"],
    [['convert', '--to'], "mxflow: convert: Option '--to <value>' argument missing\nRun 'mxflow convert --help' for the usage.\n"],
  ])('exits with 2 on %j, naming the mistake in one line', (args, message) => {
    const { status, stdout, stderr } = inProcess(args);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(message);
  });

  it('prints the usage on --help', () => {
    const { status, stdout } = inProcess(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('validate [--json] FILE...');
  });

  it.each([
    ['submit', ['--help'], 'submit FILE [--wait] [--idempotency-key K]'],
    ['status', ['-h'], 'status ID [--json]'],
    ['sample', ['pacs.004', '--help'], 'sample pacs.004 --for ID [--amount A]'],
    ['dlq', ['replay', 'x', '--help'], 'dlq replay ID'],
    ['admin', ['--help'], 'admin liquidity top-up|withdraw ENTITY AMOUNT CURRENCY [--reference R]'],
  ])("prints the usage of %s on %j, and only that command's", (command, args, line) => {
    const { status, stdout, stderr } = mxflow([command, ...args]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: mxflow ${command} `));
    expect(stdout).toContain(line);
    expect(stdout).not.toContain('validate [--json] FILE...');
  });
});

describe('mxflow admin and dlq', () => {
  it.each([
    [['admin'], 'admin needs entities, mappings, liquidity, threshold, audit or reconcile'],
    [['admin', 'entities', 'rename', 'x'], "admin entities needs list, show, create, update, delete, suspend or reinstate, not 'rename'"],
    [['admin', 'entities', 'create', '--id', 'ent-x', '--name', 'X'], 'admin entities create needs --bic'],
    [['admin', 'entities', 'update', 'ent-x'], 'admin entities update needs at least one of --name, --bic, --bics, --accounts, --notifications'],
    [['admin', 'entities', 'update', 'ent-x', '--notifications'], "admin entities update: Option '--notifications <value>' argument missing"],
    [['admin', 'entities', 'update', 'ent-x', '--name', 'X', '--version', 'two'], "--version must be a whole number, not 'two'"],
    [['admin', 'mappings', 'create', 'ent-x', '--client', 'c'], 'admin mappings create needs --scopes (such as payments/write,payments/read)'],
    [['admin', 'liquidity', 'top-up', 'ent-x', '125.00'], 'admin liquidity top-up takes ENTITY AMOUNT CURRENCY, got 2 arguments'],
    [['admin', 'threshold', 'set', 'ent-x', 'EUR'], 'admin threshold set takes ENTITY CURRENCY AMOUNT, got 2 arguments'],
    [['admin', 'audit', 'extra'], 'admin audit takes no arguments, got 1 argument'],
    [['admin', 'reconcile', '2026-12-01'], 'admin reconcile takes no arguments, got 1 argument'],
    [['admin', 'reconcile', '--day', '2026-12-01'], 'admin reconcile has no option --day'],
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
    expect(result.stdout).toContain('admin reconcile [--date YYYY-MM-DD]');
    expect(result.stdout).toContain('admin entities update ID [--name NAME] [--bic BIC] [--bics B1,B2] [--accounts A1,A2] [--notifications camt.054|none] [--version V]');
  });
});

describe('follow-up samples', () => {
  const now = new Date('2026-11-27T10:15:30.123Z');
  const payment = (): OriginalPayment => originalOf(inProcess(['sample', 'pacs.008']).stdout);

  it("reads a pacs.008's references from its first transfer", () => {
    const xml = inProcess(['sample', 'pacs.008']).stdout;
    const original = originalOf(xml);
    expect(original).toMatchObject({ messageNameId: 'pacs.008.001.08', senderBic: 'ALPHDEFFXXX', receiverBic: 'BETAFRPPXXX', amount: { minor: 1250000n, currency: 'EUR' } });
    for (const id of [original.msgId, original.endToEndId, original.txId, original.uetr, original.instructionId]) expect(xml).toContain(`>${String(id)}<`);
  });

  it.each([
    ['camt.056', 'camt.056.001.08', (original: OriginalPayment) => cancellationSample(original, now), ['<Assgnr>', '<Cd>DUPL</Cd>', '<BICFI>ALPHDEFFXXX</BICFI>\n          </FinInstnId>\n        </Agt>\n      </Assgnr>']],
    ['pacs.028', 'pacs.028.001.03', (original: OriginalPayment) => statusRequestSample(original, now), ['<StsReqId>', '<IntrBkSttlmAmt Ccy="EUR">12500.00</IntrBkSttlmAmt>']],
    ['pacs.004', 'pacs.004.001.09', (original: OriginalPayment) => returnSample(original, now), ['<RtrdIntrBkSttlmAmt Ccy="EUR">12500.00</RtrdIntrBkSttlmAmt>', '<InstgAgt>\n        <FinInstnId>\n          <BICFI>BETAFRPPXXX</BICFI>']],
    ['partial pacs.004', 'pacs.004.001.09', (original: OriginalPayment) => returnSample(original, now, '100.5'), ['<TtlRtrdIntrBkSttlmAmt Ccy="EUR">100.50</TtlRtrdIntrBkSttlmAmt>']],
  ])('builds a valid %s naming every reference of the original', (_type, messageId, build, excerpts) => {
    const original = payment();
    const xml = build(original);
    expect(officialXsdProblems(xml)).toEqual([]);
    const validated = inProcess(['validate', '--json', '-'], xml);
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, messageId });
    for (const id of [original.msgId, original.endToEndId, original.txId, original.uetr, original.instructionId]) expect(xml).toContain(`>${String(id)}<`);
    for (const excerpt of excerpts) expect(xml).toContain(excerpt);
  });

  it('returns by default what the Status API says is left of the payment', () => {
    const left = returnableOf({ amount: { value: '16799.85', currency: 'EUR' }, returned: { value: '799.85', currency: 'EUR' } });
    expect(left).toMatchObject({ minor: 1600000n, currency: 'EUR' });
    expect(returnSample({ ...payment(), ...(left ? { returnable: left } : {}) }, now)).toContain('<RtrdIntrBkSttlmAmt Ccy="EUR">16000.00</RtrdIntrBkSttlmAmt>');
  });

  it('refuses a returned amount that is not one in the original currency', () => {
    expect(() => returnSample(payment(), now, '12.345')).toThrow("--amount '12.345' is not an amount in EUR");
  });

  it('refuses an original that is no pacs.008', () => {
    expect(() => originalOf(inProcess(['sample', 'pain.001']).stdout)).toThrow('the original is a pain.001: name a pacs.008');
  });
});

describe('text output', () => {
  it('shows a transaction as aligned lines, then its steps as a table', () => {
    const text = transactionText({
      transactionId: 't-1',
      status: 'ANSW',
      answer: 'RJCR',
      final: true,
      amount: { value: '12.00', currency: 'EUR' },
      parties: { sender: 'ent-alpha', receiver: 'ent-beta' },
      messageIds: { uetrs: ['u-1', 'u-2'] },
      links: { self: '/v1/transactions/t-1' },
      steps: [
        { step: 'incoming#ACTC', status: 'ACTC', timestamp: '2026-11-27T10:15:30.140Z' },
        { step: 'camt056#ANSW', status: 'ANSW', timestamp: '2026-11-27T10:15:30.200Z', reasonCode: 'ARDT' },
      ],
    });
    expect(text).toBe(
      [
        'transactionId     t-1',
        'status            ANSW RJCR (final)',
        'amount.value      12.00',
        'amount.currency   EUR',
        'parties.sender    ent-alpha',
        'parties.receiver  ent-beta',
        'messageIds.uetrs  u-1,u-2',
        '',
        'steps:',
        '  step           status  timestamp                 reasonCode',
        '  incoming#ACTC  ACTC    2026-11-27T10:15:30.140Z',
        '  camt056#ANSW   ANSW    2026-11-27T10:15:30.200Z  ARDT',
        '',
      ].join('\n'),
    );
  });

  it("shows a dead letter's record value as the JSON it holds", () => {
    const page = { items: [{ id: 'incoming.pacs.008:0:7', value: '{"transactionId":"t-1","document":{"a":1}}' }, { id: 'x', value: 'not json' }] };
    expect(withParsedValues(page)).toEqual({ items: [{ id: 'incoming.pacs.008:0:7', value: { transactionId: 't-1', document: { a: 1 } } }, { id: 'x', value: 'not json' }] });
    expect(textOf(withParsedValues(page))).toContain('incoming.pacs.008:0:7  {"transactionId":"t-1","document":{"a":1}}');
    expect(textOf(withParsedValues(page.items[0]))).toBe(['id  incoming.pacs.008:0:7', '', 'value:', '  {', '    "transactionId": "t-1",', '    "document": {', '      "a": 1', '    }', '  }', ''].join('\n'));
  });
});

describe('progressOf', () => {
  it.each([
    [{ status: 'ACTC', final: false }, 'ACTC'],
    [{ status: 'ACSC', final: true }, 'ACSC (final)'],
    [{ status: 'RJCT', reasonCode: 'AM04', final: true }, 'RJCT AM04 (final)'],
    [{ status: 'ANSW', answer: 'RJCT', reasonCode: 'RC01', final: true }, 'ANSW RJCT RC01 (final)'],
    [{ status: 'ANSW', answer: 'CNCL', final: true }, 'ANSW CNCL (final)'],
  ])('shows %j as %s', (transaction, line) => {
    expect(progressOf(transaction)).toBe(line);
  });
});

describe('answersOf', () => {
  const id = '5e0d6c7a-0c3f-4b5e-9f55-1f5a2b0c9d11';
  /** A message as `GET …/messages` lists it, readable by the caller or not. */
  const message = (name: string, messageType: string, readable = true): MessageView => {
    const archiveKey = `outgoing/2026/11/27/${id}/${name}.xml`;
    return {
      direction: 'outgoing',
      messageType,
      entityId: readable ? 'ent-alpha' : 'ent-beta',
      archiveKey,
      ...(readable ? { links: { content: `/v1/transactions/${id}/messages/outgoing?${new URLSearchParams({ archiveKey })}` } } : {}),
    };
  };
  const incoming: MessageView = {
    direction: 'incoming',
    messageType: 'pain.001',
    entityId: 'ent-alpha',
    archiveKey: `incoming/2026/11/27/${id}/pain.001.xml`,
    links: { content: `/v1/transactions/${id}/messages/incoming` },
  };
  const step = (name: string, status: string, timestamp: string): StepView => ({ step: name, status, timestamp });
  const acknowledged = [
    step('incoming#RCVD', 'RCVD', '2026-11-27T10:15:30.101Z'),
    step('incoming#ACTC', 'ACTC', '2026-11-27T10:15:30.140Z'),
    step('pain001#ACSP', 'ACSP', '2026-11-27T10:15:30.310Z'),
    step('outgoing#pain.002.ack', 'ACTC', '2026-11-27T10:15:30.402Z'),
  ];
  const ack = message('pain.002.ack', 'pain.002');
  const report = message('pain.002', 'pain.002');

  it('gives the pain.002 report of an answered pain.001, not its earlier acknowledgement', () => {
    const steps = [...acknowledged, step('pain001#ANSW', 'ANSW', '2026-11-27T10:15:31.020Z'), step('outgoing#pain.002', 'RJCT', '2026-11-27T10:15:31.118Z')];
    expect(answersOf(steps, [incoming, ack, report])).toEqual([report]);
  });

  it('gives nothing while the report of an answered pain.001 is still on its way', () => {
    const steps = [...acknowledged, step('pain001#ANSW', 'ANSW', '2026-11-27T10:15:31.020Z')];
    expect(answersOf(steps, [incoming, ack])).toEqual([]);
  });

  it("gives the sender's pacs.002 of a settled payment, not the pacs.008 sent to the receiver", () => {
    const pacs002 = message('pacs.002', 'pacs.002');
    const steps = [
      step('incoming#RCVD', 'RCVD', '2026-11-27T10:15:30.101Z'),
      step('incoming#ACTC', 'ACTC', '2026-11-27T10:15:30.140Z'),
      step('pacs008#ACSC', 'ACSC', '2026-11-27T10:15:30.377Z'),
      step('outgoing#pacs.008', 'ACSC', '2026-11-27T10:15:30.455Z'),
      step('outgoing#pacs.002', 'ACSC', '2026-11-27T10:15:30.461Z'),
    ];
    expect(answersOf(steps, [incoming, message('pacs.008', 'pacs.008', false), pacs002])).toEqual([pacs002]);
  });

  it('counts an answer recorded in the same millisecond as the final status', () => {
    const camt029 = message('camt.029', 'camt.029');
    const steps = [step('incoming#ACTC', 'ACTC', '2026-11-27T10:15:30.140Z'), step('camt056#ANSW', 'ANSW', '2026-11-27T10:15:30.200Z'), step('outgoing#camt.029', 'RJCR', '2026-11-27T10:15:30.200Z')];
    expect(answersOf(steps, [camt029])).toEqual([camt029]);
  });
});

/**
 * `submit --wait` against the whole local platform. It starts every service:
 * run it under the shared lock, alone
 * (`flock /tmp/mxflow-platform.lock pnpm jest packages/cli/tests/cli.test.ts -t 'on the local platform'`).
 */
describe('mxflow submit, on the local platform', () => {
  const ALPHA = 'ALPHDEFFXXX';
  const BETA = 'BETAFRPPXXX';
  let platform: LocalPlatform;
  let flags: string[];
  const readyFile = process.env.MXFLOW_READY_FILE;

  beforeAll(async () => {
    // The flags say where and who: never the ready file of a pnpm dev that may run on this machine.
    process.env.MXFLOW_READY_FILE = path.join(os.tmpdir(), `mxflow-cli-test-no-ready-${process.pid}.json`);
    platform = await startPlatform({ namePrefix: 'mxflow-cli-submit', composeFile: defaultComposeFile, apiPort: 0, consoleDir: false });
    const { endpoints, seed } = platform.cloud;
    const alpha = seed.participants.find((participant) => participant.clientId === 'alpha-bank');
    flags = ['--api', platform.api, '--token-url', endpoints.tokenUrl, '--audience', endpoints.audience, '--client-id', 'alpha-bank', '--client-secret', alpha?.clientSecret ?? ''];
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    if (readyFile === undefined) delete process.env.MXFLOW_READY_FILE;
    else process.env.MXFLOW_READY_FILE = readyFile;
  }, 60_000);

  /** Runs `mxflow submit - [--wait]` with `xml` on stdin, as Alpha unless `as` names another client. */
  async function submit(xml: string, wait: boolean, as?: { clientId: string; secret: string }) {
    let stdout = '';
    let stderr = '';
    const started = Date.now();
    const who = as ? ['--client-id', as.clientId, '--client-secret', as.secret] : [];
    const status = await run(['submit', '-', ...(wait ? ['--wait'] : []), ...flags, ...who], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stdin: () => new TextEncoder().encode(xml),
      now: () => new Date(),
      newId: () => randomUUID(),
    });
    return { status, stdout, stderr, seconds: (Date.now() - started) / 1000 };
  }

  /** The ids of a payment the platform never saw. */
  const unknownPayment = () => ({ msgId: `NONE-${randomUUID().slice(0, 20)}`, endToEndId: `E2E-${randomUUID().slice(0, 20)}`, uetr: randomUUID() });
  // Spawned, so that the sample is dated now: the in-process runs have a fixed clock.
  const sample = (type: string) => mxflow(['sample', type]).stdout;

  it('prints only the answer JSON without --wait', async () => {
    const { status, stdout, stderr } = await submit(paymentXml({ fromBic: ALPHA, toBic: BETA, amount: '1.00' }).xml, false);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([expect.any(String), '']);
    expect(JSON.parse(stdout)).toMatchObject({ transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'ACTC' });
  });

  it.each([
    ['the pacs.008 sample', 'pacs.002.001.10', () => sample('pacs.008'), ['<TxSts>ACSC</TxSts>'], 'ACSC (final)'],
    ['the pacs.008 sample again (fresh ids)', 'pacs.002.001.10', () => sample('pacs.008'), ['<TxSts>ACSC</TxSts>'], 'ACSC (final)'],
    ['the pain.001 sample', 'pain.002.001.10', () => sample('pain.001'), ['<GrpSts>ACSC</GrpSts>'], /^ANSW ACSC/],
    [
      'a pain.001 to banks that are no participants',
      'pain.002.001.10',
      () => initiationXml({ fromBic: ALPHA, transfers: [{ toBic: 'INGBNL2AXXX', amount: '10.00' }, { toBic: 'DEUTDEFFXXX', amount: '2.50' }] }).xml,
      ['<GrpSts>RJCT</GrpSts>', '<Cd>RC01</Cd>'],
      'ANSW RJCT RC01 (final)',
    ],
    ['a camt.056 of a payment the platform never saw', 'camt.029.001.09', () => cancellationXml({ fromBic: ALPHA, toBic: BETA, original: unknownPayment() }).xml, ['<Conf>RJCR</Conf>', '<Cd>NOOR</Cd>'], 'ANSW RJCR NOOR (final)'],
    ['a pacs.028 of a payment the platform never saw', 'pacs.002.001.10', () => statusRequestXml({ fromBic: ALPHA, toBic: BETA, original: unknownPayment() }).xml, ['<TxSts>RJCT</TxSts>', '<Cd>AG09</Cd>'], 'ANSW RJCT AG09 (final)'],
  ])('waits with --wait until %s is final, then prints its %s', async (_case, responseId, xml, excerpts, finalLine) => {
    const { status, stdout, stderr, seconds } = await submit(xml(), true);

    // An error line, if any, says why before the exit code does.
    expect(stderr).not.toContain('mxflow:');
    expect(status).toBe(0);
    // Ended by the Status API's final, not by the 30 s timeout.
    expect(seconds).toBeLessThan(20);
    const [json, ...rest] = stdout.split('\n');
    expect(JSON.parse(json ?? '')).toMatchObject({ transactionId: expect.any(String), status: 'ACTC' });
    const response = rest.join('\n');
    expect(response).toContain(`xmlns="urn:iso:std:iso:20022:tech:xsd:${responseId}"`);
    expect(validateXml(response).issues).toEqual([]);
    for (const excerpt of excerpts) expect(response).toContain(excerpt);
    // The acknowledgement of a pain.001 answered its ACTC, not its end.
    expect(response).not.toContain('<GrpSts>ACTC</GrpSts>');
    // Progress on stderr: one line per status, the first the accepted one, the last the final one.
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('… ACTC');
    expect(new Set(lines).size).toBe(lines.length);
    for (const line of lines) expect(line).toMatch(/^… [A-Z]{4}/);
    expect(lines.at(-1)?.slice(2)).toMatch(finalLine);
  }, 60_000);

  /** The built command, spawned without blocking: the platform answers from this process. */
  const spawned = (args: string[], input = '', env: NodeJS.ProcessEnv = process.env) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ status: code, stdout: out, stderr: err }));
      child.stdin.end(input);
    });

  it('waits with --wait in the built command too, spawned as pnpm mxflow runs it', async () => {
    const { status, stdout, stderr } = await spawned(['submit', '-', '--wait', ...flags], sample('pacs.008'));
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('… ACSC (final)');
    expect(status).toBe(0);
    const [json, ...rest] = stdout.split('\n');
    expect(JSON.parse(json ?? '')).toMatchObject({ transactionId: expect.any(String), status: 'ACTC' });
    expect(rest.join('\n')).toContain('<TxSts>ACSC</TxSts>');
    expect(validateXml(rest.join('\n')).issues).toEqual([]);
  }, 60_000);

  it('seeds a participant into the platform\'s tables through the built command (its lazily loaded part)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mxflow-cli-seed-'));
    try {
      const readyFile = path.join(dir, 'ready.json');
      writeFileSync(readyFile, JSON.stringify({ dynamodb: platform.cloud.endpoints.dynamodb, tables: platform.cloud.tables }));
      const seedFile = path.join(dir, 'seed.json');
      const participant = { entityId: 'ent-epsilon', name: 'Epsilon Bank', bic: 'EPSIDEFFXXX', accounts: [], clientId: 'epsilon-bank', clientSecret: 's', scopes: ['payments/write'], liquidity: { EUR: '250.00' } };
      writeFileSync(seedFile, JSON.stringify({ participants: [participant] }));
      const seeded = await spawned(['seed', seedFile], '', { ...process.env, MXFLOW_READY_FILE: readyFile });
      expect(seeded).toEqual({
        status: 0,
        stdout: 'seeded ent-epsilon (EPSIDEFFXXX): 250.00 EUR\n',
        stderr: `mxflow: clients epsilon-bank get tokens once pnpm dev runs with --seed ${seedFile}\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('answers the camt.056, pacs.028 and pacs.004 samples made --for a settled payment', async () => {
    const paid = await submit(sample('pacs.008'), true);
    expect(paid.status).toBe(0);
    const transactionId = String((JSON.parse(paid.stdout.split('\n')[0] ?? '{}') as { transactionId?: string }).transactionId);
    const followUp = async (type: string, extra: string[] = []) => {
      let stdout = '';
      let stderr = '';
      const status = await run(['sample', type, '--for', transactionId, ...extra, ...flags], {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        stdin: () => new Uint8Array(),
        now: () => new Date(),
        newId: () => randomUUID(),
      });
      expect(stderr).toBe('');
      expect(status).toBe(0);
      return stdout;
    };

    const statusRequest = await submit(await followUp('pacs.028'), true);
    expect(statusRequest.stderr.trimEnd().split('\n').at(-1)).toBe('… ANSW ACSC (final)');
    expect(statusRequest.stdout).toContain('<TxSts>ACSC</TxSts>');

    // Settled already: it reached Beta, so only a return brings it back.
    const cancellation = await submit(await followUp('camt.056'), true);
    expect(cancellation.stdout).toContain('<Conf>RJCR</Conf>');
    expect(cancellation.stderr.trimEnd().split('\n').at(-1)).toBe('… ANSW RJCR PTNA (final)');

    const beta = platform.cloud.seed.participants.find((participant) => participant.clientId === 'beta-bank');
    const returned = await submit(await followUp('pacs.004', ['--amount', '100.00']), true, { clientId: 'beta-bank', secret: beta?.clientSecret ?? '' });
    expect(returned.stderr).not.toContain('mxflow:');
    expect(returned.status).toBe(0);
    expect(returned.stdout).toContain('<TxSts>ACSC</TxSts>');
    // What is left of it is what a second pacs.004 sample returns.
    expect(await followUp('pacs.004')).toContain('<RtrdIntrBkSttlmAmt Ccy="EUR">16699.85</RtrdIntrBkSttlmAmt>');
  }, 120_000);
});
