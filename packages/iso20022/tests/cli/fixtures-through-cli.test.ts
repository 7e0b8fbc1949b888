import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixtures = path.resolve(repoRoot, 'packages/iso20022/tests/fixtures/messages');
/** The `mxflow` command as `pnpm mxflow` runs it. */
const bin = path.resolve(repoRoot, 'packages/cli/bin/mxflow.mjs');

interface Line {
  file: string;
  valid: boolean;
  messageId?: string;
  errors: { kind: string; code?: string; path: string }[];
}

/** Every fixture, the message it holds, and what `mxflow validate` must find: nothing, a rule's reason code, or an XSD issue at a path. */
const table: [string, string, string[]][] = [
  ['pacs.008.001.08/valid.xml', 'pacs.008.001.08', []],
  ['pacs.008.001.08/valid-with-apphdr.xml', 'pacs.008.001.08', []],
  ['pacs.002.001.10/valid.xml', 'pacs.002.001.10', []],
  ['pacs.004.001.09/valid.xml', 'pacs.004.001.09', []],
  ['pacs.028.001.03/valid.xml', 'pacs.028.001.03', []],
  ['camt.060.001.05/valid.xml', 'camt.060.001.05', []],
  ['camt.052.001.08/valid.xml', 'camt.052.001.08', []],
  ['camt.053.001.08/valid.xml', 'camt.053.001.08', []],
  ['camt.054.001.08/valid.xml', 'camt.054.001.08', []],
  ['camt.056.001.08/valid.xml', 'camt.056.001.08', []],
  ['camt.029.001.09/valid.xml', 'camt.029.001.09', []],
  ['pain.001.001.09/valid.xml', 'pain.001.001.09', []],
  ['pain.002.001.10/valid.xml', 'pain.002.001.10', []],
  ['pain.013.001.07/valid.xml', 'pain.013.001.07', []],
  ['pain.014.001.07/valid.xml', 'pain.014.001.07', []],
  ['head.001.001.02/valid.xml', 'pacs.002.001.10', []],
  ['pacs.008.001.08/invalid-bic.xml', 'pacs.008.001.08', ['rule RC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[2].CdtrAgt.FinInstnId.BICFI']],
  ['pacs.008.001.08/invalid-iban.xml', 'pacs.008.001.08', ['rule AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN']],
  [
    'pacs.008.001.08/invalid-currency.xml',
    'pacs.008.001.08',
    [
      'rule AM03 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt.Ccy',
      'rule AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.Ccy',
      'rule AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].InstdAmt.Ccy',
      'rule AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt.Ccy',
      'rule AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[2].IntrBkSttlmAmt.Ccy',
    ],
  ],
  ['pacs.008.001.08/invalid-decimals.xml', 'pacs.008.001.08', ['rule AM12 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt', 'rule AM12 $.FIToFICstmrCdtTrf.CdtTrfTxInf[2].IntrBkSttlmAmt']],
  ['pacs.008.001.08/invalid-zero-amount.xml', 'pacs.008.001.08', ['rule AM01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[2].IntrBkSttlmAmt']],
  // xs:decimal allows the sign, so only the amount-format rule refuses it, as settlement would.
  ['pacs.008.001.08/invalid-signed-amount.xml', 'pacs.008.001.08', ['rule AM12 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt']],
  ['pacs.008.001.08/invalid-nboftxs.xml', 'pacs.008.001.08', ['rule AM19 $.FIToFICstmrCdtTrf.GrpHdr.NbOfTxs']],
  ['pacs.008.001.08/invalid-ctrlsum.xml', 'pacs.008.001.08', ['rule AM16 $.FIToFICstmrCdtTrf.GrpHdr.CtrlSum']],
  ['pacs.008.001.08/invalid-total.xml', 'pacs.008.001.08', ['rule AM10 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt']],
  ['pacs.008.001.08/invalid-total-currency.xml', 'pacs.008.001.08', ['rule AM11 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt.Ccy']],
  // The XSD already refuses these two, so the schema issue is what the file gets.
  ['pacs.008.001.08/invalid-uetr.xml', 'pacs.008.001.08', ['schema /Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/PmtId/UETR']],
  ['pacs.008.001.08/invalid-date.xml', 'pacs.008.001.08', ['schema /Document/FIToFICstmrCdtTrf/GrpHdr/IntrBkSttlmDt']],
  ['pacs.002.001.10/invalid-bic.xml', 'pacs.002.001.10', ['rule RC01 $.FIToFIPmtStsRpt.GrpHdr.InstgAgt.FinInstnId.BICFI']],
  ['pacs.004.001.09/invalid-total.xml', 'pacs.004.001.09', ['rule AM10 $.PmtRtr.GrpHdr.TtlRtrdIntrBkSttlmAmt']],
  ['pacs.028.001.03/invalid-currency.xml', 'pacs.028.001.03', ['rule AM03 $.FIToFIPmtStsReq.TxInf[0].OrgnlTxRef.IntrBkSttlmAmt.Ccy']],
  ['camt.056.001.08/invalid-nboftxs.xml', 'camt.056.001.08', ['rule AM19 $.FIToFIPmtCxlReq.CtrlData.NbOfTxs']],
  ['camt.029.001.09/invalid-decimals.xml', 'camt.029.001.09', ['rule AM12 $.RsltnOfInvstgtn.CxlDtls[0].TxInfAndSts[0].OrgnlIntrBkSttlmAmt']],
  ['pain.001.001.09/invalid-bic.xml', 'pain.001.001.09', ['rule RC01 $.CstmrCdtTrfInitn.PmtInf[1].CdtTrfTxInf[0].CdtrAgt.FinInstnId.BICFI']],
  ['pain.002.001.10/invalid-bic.xml', 'pain.002.001.10', ['rule RC01 $.CstmrPmtStsRpt.GrpHdr.DbtrAgt.FinInstnId.BICFI']],
  ['head.001.001.02/invalid-bic.xml', 'pacs.002.001.10', ['rule RC01 $.AppHdr.Fr.FIId.FinInstnId.BICFI']],
];

describe('mxflow validate over the message fixtures', () => {
  // One process for all files keeps the run short; each line of --json output is one file's verdict.
  const run = spawnSync(process.execPath, [bin, 'validate', '--json', ...table.map(([file]) => file)], { cwd: fixtures, encoding: 'utf8' });
  const lines = new Map<string, Line>(
    run.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line)
      .map((line) => [line.file, line]),
  );

  it('lists every fixture in the table', () => {
    const files = readdirSync(fixtures).flatMap((dir) => readdirSync(path.join(fixtures, dir)).map((file) => `${dir}/${file}`));
    expect(files.sort()).toEqual(table.map(([file]) => file).sort());
  });

  it('exits with 1 because some files are invalid, and writes nothing to stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });

  it.each(table)('%s is a %s with findings %j', (file, messageId, expected) => {
    const line = lines.get(file);
    expect(line).toBeDefined();
    expect(line?.messageId).toBe(messageId);
    expect(line?.valid).toBe(expected.length === 0);
    expect(line?.errors.map((error) => [error.kind, error.code, error.path].filter(Boolean).join(' '))).toEqual(expected);
  });

  it('exits with 0 when every file is valid', () => {
    const valid = table.filter(([, , expected]) => expected.length === 0).map(([file]) => file);
    const result = spawnSync(process.execPath, [bin, 'validate', ...valid], { cwd: fixtures, encoding: 'utf8' });
    expect(result.stdout.trim().split('\n')).toHaveLength(valid.length);
    expect(result.status).toBe(0);
  });
});
