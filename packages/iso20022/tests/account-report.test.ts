import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  accountReport,
  accountReportRequests,
  CurrencyMismatchError,
  Iso20022Error,
  money,
  parseMessage,
  ReportCurrencyMismatchError,
  ReportImbalanceError,
  ReportInputError,
  ReportValueLengthError,
  toXml,
  validateXml,
  type AccountReportInput,
  type Money,
  type ReportEntry,
} from '@mxflow/iso20022';
import { officialXsdProblems, plainXml } from './responses/official-xsd';
import { officialXsdDir } from './support/paths';
import { thrownBy } from './support/thrown';

// The official XSDs live beside the repository, not in it: without them the check against them is skipped.
const present = existsSync(officialXsdDir);
const describeOfficial = present ? describe : describe.skip;
if (!present) console.warn(`official ISO 20022 XSDs not found (${path.basename(officialXsdDir)} beside the repository): built camt.052 and camt.053 are not checked against them`);

const eur = (decimal: string): Money => money(decimal, 'EUR');

const payment: ReportEntry = {
  amount: eur('12500'),
  creditDebit: 'DBIT',
  booked: '2026-11-27T09:30:01.117Z',
  valueDate: '2026-11-27',
  accountServicerRef: '3f2c1a9e5b7d4c119a0e2d6b8f4e7a10',
  bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'ESCT' },
  references: { msgId: 'ALPH20261127093000001', endToEndId: 'INV-2026-11-0457', uetr: '8a562c67-ca16-48ba-b074-65581be6f001', instructionId: 'HANSEN-INSTR-0001', txId: 'TX-0001' },
};

const returned: ReportEntry = {
  amount: eur('4420.75'),
  creditDebit: 'CRDT',
  booked: '2026-11-27T14:02:44.905Z',
  valueDate: '2026-11-27',
  accountServicerRef: 'b71e04d29c3a4f588e216a0d5c9b3f44',
  bankTransactionCode: { proprietary: 'RETURN', issuer: 'MXFL' },
  references: { endToEndId: 'PO-88213' },
};

const fee: ReportEntry = {
  amount: eur('0.35'),
  creditDebit: 'DBIT',
  booked: '2026-11-27T23:59:59.999Z',
  valueDate: '2026-11-28',
  accountServicerRef: 'FEE-20261127',
  bankTransactionCode: { proprietary: 'FEE' },
};

function input(overrides: Partial<AccountReportInput> = {}): AccountReportInput {
  return {
    messageId: 'camt.053.001.08',
    msgId: 'MXFL-STMT-20261128-0001',
    creationDateTime: '2026-11-28T07:45:13.204Z',
    query: { msgId: 'ALPH-RPTREQ-20261128-01', messageName: 'camt.060.001.05', creationDateTime: '2026-11-28T08:45:12+01:00' },
    reportId: 'STMT-20261127-ALPH-EUR',
    from: '2026-11-27T00:00:00.000Z',
    to: '2026-11-28T00:00:00.000Z',
    account: { id: 'SETTLEMENT-ALPHDEFFXXX-EUR', scheme: 'MXFL', currency: 'EUR', ownerBic: 'ALPHDEFFXXX', ownerName: 'Alpha Bank AG', servicerBic: 'MXFLDEFFXXX' },
    opening: eur('250000'),
    entries: [payment, returned, fee],
    ...overrides,
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const statementOf = (built: { document: Record<string, unknown> }): Json => (built.document.BkToCstmrStmt as Json).Stmt[0] as Json;
const reportOf = (built: { document: Record<string, unknown> }): Json => (built.document.BkToCstmrAcctRpt as Json).Rpt[0] as Json;

describe('accountReport', () => {
  it('writes one booked entry per posting, with its amount, direction, dates, code and references', () => {
    const statement = statementOf(accountReport(input()));
    expect(statement.Ntry).toHaveLength(3);
    expect(statement.Ntry[0]).toEqual({
      Amt: { value: '12500.00', Ccy: 'EUR' },
      CdtDbtInd: 'DBIT',
      Sts: { Cd: 'BOOK' },
      BookgDt: { DtTm: '2026-11-27T09:30:01.117Z' },
      ValDt: { Dt: '2026-11-27' },
      AcctSvcrRef: '3f2c1a9e5b7d4c119a0e2d6b8f4e7a10',
      BkTxCd: { Domn: { Cd: 'PMNT', Fmly: { Cd: 'ICDT', SubFmlyCd: 'ESCT' } } },
      NtryDtls: [
        {
          TxDtls: [
            {
              Refs: {
                MsgId: 'ALPH20261127093000001',
                AcctSvcrRef: '3f2c1a9e5b7d4c119a0e2d6b8f4e7a10',
                InstrId: 'HANSEN-INSTR-0001',
                EndToEndId: 'INV-2026-11-0457',
                UETR: '8a562c67-ca16-48ba-b074-65581be6f001',
                TxId: 'TX-0001',
              },
              Amt: { value: '12500.00', Ccy: 'EUR' },
              CdtDbtInd: 'DBIT',
            },
          ],
        },
      ],
    });
    expect(Object.keys(statement.Ntry[0].NtryDtls[0].TxDtls[0].Refs)).toEqual(['MsgId', 'AcctSvcrRef', 'InstrId', 'EndToEndId', 'UETR', 'TxId']);
    expect(statement.Ntry[1].CdtDbtInd).toBe('CRDT');
    expect(statement.Ntry[1].BkTxCd).toEqual({ Prtry: { Cd: 'RETURN', Issr: 'MXFL' } });
    expect(statement.Ntry[1].NtryDtls[0].TxDtls[0].Refs).toEqual({ AcctSvcrRef: 'b71e04d29c3a4f588e216a0d5c9b3f44', EndToEndId: 'PO-88213' });
    expect(statement.Ntry[2].BkTxCd).toEqual({ Prtry: { Cd: 'FEE' } });
    expect(statement.Ntry[2].NtryDtls[0].TxDtls[0].Refs).toEqual({ AcctSvcrRef: 'FEE-20261127' });
  });

  it('gives a statement the opening and closing booked balances, and computes the closing one', () => {
    const built = accountReport(input());
    // 250000.00 - 12500.00 + 4420.75 - 0.35
    expect(built.closing).toEqual(eur('241920.40'));
    expect(statementOf(built).Bal).toEqual([
      { Tp: { CdOrPrtry: { Cd: 'OPBD' } }, Amt: { value: '250000.00', Ccy: 'EUR' }, CdtDbtInd: 'CRDT', Dt: { DtTm: '2026-11-27T00:00:00.000Z' } },
      { Tp: { CdOrPrtry: { Cd: 'CLBD' } }, Amt: { value: '241920.40', Ccy: 'EUR' }, CdtDbtInd: 'CRDT', Dt: { DtTm: '2026-11-28T00:00:00.000Z' } },
    ]);
  });

  it('gives an account report the opening and interim booked balances', () => {
    const built = accountReport(input({ messageId: 'camt.052.001.08', to: '2026-11-27T12:00:00.000Z', entries: [payment] }));
    expect(built.messageId).toBe('camt.052.001.08');
    expect(Object.keys(built.document)).toEqual(['BkToCstmrAcctRpt']);
    expect(reportOf(built).Bal.map((balance: Json) => [balance.Tp.CdOrPrtry.Cd, balance.Amt.value, balance.Dt.DtTm])).toEqual([
      ['OPBD', '250000.00', '2026-11-27T00:00:00.000Z'],
      ['ITBD', '237500.00', '2026-11-27T12:00:00.000Z'],
    ]);
  });

  it('sums the entries: all, credits and debits, with the net movement', () => {
    expect(statementOf(accountReport(input())).TxsSummry).toEqual({
      TtlNtries: { NbOfNtries: '3', Sum: '16921.10', TtlNetNtry: { Amt: '8079.60', CdtDbtInd: 'DBIT' } },
      TtlCdtNtries: { NbOfNtries: '1', Sum: '4420.75' },
      TtlDbtNtries: { NbOfNtries: '2', Sum: '12500.35' },
    });
  });

  it('writes a negative balance as a debit balance of its magnitude', () => {
    const built = accountReport(input({ opening: eur('100'), entries: [payment] }));
    expect(built.closing.minor).toBe(-1240000n);
    const closing = statementOf(built).Bal[1];
    expect([closing.Amt.value, closing.CdtDbtInd]).toEqual(['12400.00', 'DBIT']);
    const negativeOpening = accountReport(input({ opening: Object.freeze({ minor: -500n, currency: 'EUR', exponent: 2 }), entries: [] }));
    expect(statementOf(negativeOpening).Bal.map((balance: Json) => [balance.Amt.value, balance.CdtDbtInd])).toEqual([
      ['5.00', 'DBIT'],
      ['5.00', 'DBIT'],
    ]);
  });

  it('reports a period without entries: no Ntry, zero totals, closing = opening', () => {
    const built = accountReport(input({ entries: [] }));
    const statement = statementOf(built);
    expect(statement.Ntry).toBeUndefined();
    expect(statement.TxsSummry.TtlNtries).toEqual({ NbOfNtries: '0', Sum: '0.00', TtlNetNtry: { Amt: '0.00', CdtDbtInd: 'CRDT' } });
    expect(built.closing).toEqual(eur('250000'));
  });

  it('writes amounts with the exponent of the account currency (JPY has none, KWD three)', () => {
    const jpy = accountReport(
      input({
        account: { id: 'ACC-JPY', currency: 'JPY' },
        opening: money('1500000', 'JPY'),
        entries: [{ ...fee, amount: money('250', 'JPY') }],
      }),
    );
    expect(statementOf(jpy).Bal[1].Amt).toEqual({ value: '1499750', Ccy: 'JPY' });
    const kwd = accountReport(input({ account: { id: 'ACC-KWD', currency: 'KWD' }, opening: money('1.5', 'KWD'), entries: [{ ...fee, amount: money('0.001', 'KWD') }] }));
    expect(statementOf(kwd).Bal[1].Amt).toEqual({ value: '1.499', Ccy: 'KWD' });
  });

  it('echoes the query and writes the account with its owner and servicer', () => {
    const built = accountReport(input());
    expect((built.document.BkToCstmrStmt as Json).GrpHdr).toEqual({
      MsgId: 'MXFL-STMT-20261128-0001',
      CreDtTm: '2026-11-28T07:45:13.204Z',
      OrgnlBizQry: { MsgId: 'ALPH-RPTREQ-20261128-01', MsgNmId: 'camt.060.001.05', CreDtTm: '2026-11-28T08:45:12+01:00' },
    });
    expect(statementOf(built).Acct).toEqual({
      Id: { Othr: { Id: 'SETTLEMENT-ALPHDEFFXXX-EUR', SchmeNm: { Prtry: 'MXFL' } } },
      Ccy: 'EUR',
      Ownr: { Nm: 'Alpha Bank AG', Id: { OrgId: { AnyBIC: 'ALPHDEFFXXX' } } },
      Svcr: { FinInstnId: { BICFI: 'MXFLDEFFXXX' } },
    });
    const iban = accountReport(input({ account: { id: 'DE89370400440532013000', scheme: 'IBAN', currency: 'EUR' }, query: undefined }));
    expect(statementOf(iban).Acct).toEqual({ Id: { IBAN: 'DE89370400440532013000' }, Ccy: 'EUR' });
    expect((iban.document.BkToCstmrStmt as Json).GrpHdr.OrgnlBizQry).toBeUndefined();
  });

  it('accepts a closing balance that matches, and refuses one that does not, building nothing', () => {
    expect(accountReport(input({ closing: eur('241920.40') })).closing).toEqual(eur('241920.40'));
    const error = thrownBy(() => accountReport(input({ closing: eur('241920.41') })));
    expect(error).toBeInstanceOf(ReportImbalanceError);
    expect(error).toBeInstanceOf(Iso20022Error);
    expect(error).toMatchObject({ code: 'REPORT_IMBALANCE', given: '241920.41', computed: '241920.40', currency: 'EUR' });
  });

  it.each([
    ['an entry in another currency', input({ entries: [payment, { ...returned, amount: money('4420.75', 'USD') }] }), 'entries[1].amount', 'USD'],
    ['an opening balance in another currency', input({ opening: money('250000', 'CHF') }), 'opening', 'CHF'],
    ['a closing balance in another currency', input({ closing: money('241920.40', 'USD') }), 'closing', 'USD'],
    ['an amount with the wrong exponent', input({ entries: [{ ...fee, amount: Object.freeze({ minor: 350n, currency: 'EUR', exponent: 3 }) }] }), 'entries[0].amount', 'EUR'],
  ])('refuses %s before any arithmetic', (_what, given, where, actual) => {
    const error = thrownBy(() => accountReport(given));
    expect(error).toBeInstanceOf(ReportCurrencyMismatchError);
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(error).toMatchObject({ code: 'CURRENCY_MISMATCH', path: where, expected: 'EUR', actual });
  });

  it.each([
    ['msgId', input({ msgId: 'M'.repeat(36) }), 35],
    ['reportId', input({ reportId: 'R'.repeat(36) }), 35],
    ['reportId', input({ reportId: '' }), 35],
    ['query.msgId', input({ query: { msgId: 'Q'.repeat(36), messageName: 'camt.060.001.05' } }), 35],
    ['account.id', input({ account: { id: 'A'.repeat(35), currency: 'EUR' } }), 34],
    ['account.ownerName', input({ account: { id: 'A', currency: 'EUR', ownerName: 'N'.repeat(141) } }), 140],
    ['entries[0].accountServicerRef', input({ entries: [{ ...fee, accountServicerRef: 'S'.repeat(36) }] }), 35],
    ['entries[0].references.endToEndId', input({ entries: [{ ...fee, references: { endToEndId: 'E'.repeat(36) } }] }), 35],
    ['entries[0].bankTransactionCode.family', input({ entries: [{ ...fee, bankTransactionCode: { domain: 'PMNT', family: 'ICDTX', subFamily: 'ESCT' } }] }), 4],
    ['entries[0].bankTransactionCode.proprietary', input({ entries: [{ ...fee, bankTransactionCode: { proprietary: 'P'.repeat(36) } }] }), 35],
  ])('refuses %s of the wrong length', (where, given, maxLength) => {
    const error = thrownBy(() => accountReport(given));
    expect(error).toBeInstanceOf(ReportValueLengthError);
    expect(error).toBeInstanceOf(ReportInputError);
    expect(error).toMatchObject({ code: 'REPORT_INPUT', path: where, maxLength });
  });

  it('says how a hyphenated UUID fits an AcctSvcrRef', () => {
    const error = thrownBy(() => accountReport(input({ entries: [{ ...fee, accountServicerRef: '3f2c1a9e-5b7d-4c11-9a0e-2d6b8f4e7a10' }] })));
    expect(error).toBeInstanceOf(ReportValueLengthError);
    expect((error as Error).message).toContain('without its hyphens');
  });

  it.each([
    ['messageId', input({ messageId: 'camt.055.001.08' as AccountReportInput['messageId'] })],
    ['creationDateTime', input({ creationDateTime: '2026-11-28T07:45:13Z' })],
    ['from', input({ from: '2026-02-30T00:00:00.000Z' })],
    ['to', input({ to: '2026-11-27T00:00:00.000Z' })],
    ['query.creationDateTime', input({ query: { msgId: 'Q', messageName: 'camt.060.001.05', creationDateTime: 'yesterday' } })],
    ['account.currency', input({ account: { id: 'A', currency: 'XAU' } })],
    ['account.id', input({ account: { id: 'DE89370400440532013001', scheme: 'IBAN', currency: 'EUR' } })],
    ['account.ownerBic', input({ account: { id: 'A', currency: 'EUR', ownerBic: 'ALPHXXFF' } })],
    ['account.servicerBic', input({ account: { id: 'A', currency: 'EUR', servicerBic: 'mxfldeff' } })],
    ['entries[0].amount', input({ entries: [{ ...fee, amount: eur('0') }] })],
    ['entries[0].creditDebit', input({ entries: [{ ...fee, creditDebit: 'CRED' as ReportEntry['creditDebit'] }] })],
    ['entries[0].booked', input({ entries: [{ ...fee, booked: '2026-11-28T00:00:00.000Z' }] })],
    ['entries[0].booked', input({ entries: [{ ...fee, booked: '2026-11-26T23:59:59.999Z' }] })],
    ['entries[0].valueDate', input({ entries: [{ ...fee, valueDate: '2026-11-31' }] })],
    ['entries[0].references.uetr', input({ entries: [{ ...fee, references: { uetr: '8A562C67-CA16-48BA-B074-65581BE6F001' } }] })],
  ])('refuses an invalid %s, naming it', (where, given) => {
    const error = thrownBy(() => accountReport(given));
    expect(error).toBeInstanceOf(ReportInputError);
    expect(error).toMatchObject({ code: 'REPORT_INPUT', path: where });
  });
});

describe('built account reports as XML', () => {
  const cases: [string, AccountReportInput][] = [
    ['a camt.053 with three entries of both code kinds', input()],
    ['a camt.053 without entries, on an IBAN, without query', input({ entries: [], query: undefined, account: { id: 'DE89370400440532013000', scheme: 'IBAN', currency: 'EUR' } })],
    ['a camt.053 ending in debit', input({ opening: eur('0'), entries: [payment] })],
    ['a camt.052 with one entry', input({ messageId: 'camt.052.001.08', to: '2026-11-27T12:00:00.000Z', entries: [payment] })],
    [
      'a camt.053 whose entry posts a message of three transactions (a batch, and the references of each)',
      input({
        entries: [
          {
            ...payment,
            transactions: [
              { msgId: 'ALPH20261127093000001', endToEndId: 'INV-1', uetr: '8a562c67-ca16-48ba-b074-65581be6f001', txId: 'TX-1' },
              { msgId: 'ALPH20261127093000001', endToEndId: 'INV-2', uetr: '8a562c67-ca16-48ba-b074-65581be6f002', txId: 'TX-2' },
              { msgId: 'ALPH20261127093000001', endToEndId: 'INV-3', uetr: '8a562c67-ca16-48ba-b074-65581be6f003', txId: 'TX-3' },
            ],
          },
        ],
      }),
    ],
    ['a camt.054 notifying one debit, without balances', input({ messageId: 'camt.054.001.08', query: undefined, to: '2026-11-27T12:00:00.000Z', entries: [payment] })],
    ['a camt.052 in JPY without owner or servicer', input({ messageId: 'camt.052.001.08', account: { id: 'ACC-JPY', currency: 'JPY' }, opening: money('1500000', 'JPY'), entries: [{ ...fee, amount: money('250', 'JPY') }] })],
  ];

  it.each(cases)('%s passes the package validation, and reads back into the same document', (_name, given) => {
    const built = accountReport(given);
    const xml = toXml(built.messageId, built.document);
    expect(validateXml(xml).issues).toEqual([]);
    const parsed = parseMessage(xml);
    expect(parsed.messageId).toBe(given.messageId);
    expect(parsed.document).toEqual(built.document);
  });

  describeOfficial('against the official XSDs', () => {
    it.each(cases)('%s is valid against the official XSD, as toXml writes it and in its own key order', (_name, given) => {
      const built = accountReport(given);
      expect(officialXsdProblems(toXml(built.messageId, built.document))).toEqual([]);
      // An independent writer that keeps the builder's key order: the builder itself follows the schema order.
      expect(officialXsdProblems(plainXml(built.messageId, built.document))).toEqual([]);
    });

    it('refuses, as the official XSD does, a statement whose MsgId is too long', () => {
      const built = accountReport(input());
      const xml = toXml(built.messageId, built.document).replace('MXFL-STMT-20261128-0001', 'M'.repeat(36));
      expect(officialXsdProblems(xml)).not.toEqual([]);
      expect(validateXml(xml).valid).toBe(false);
    });
  });

  it('answers a read camt.060: its request, period and query make the statement', () => {
    const camt060 = {
      AcctRptgReq: {
        GrpHdr: { MsgId: 'ALPH-RPTREQ-1', CreDtTm: '2026-11-28T07:45:12.000Z' },
        RptgReq: [
          {
            ReqdMsgNmId: 'camt.053.001.08',
            Acct: { Id: { Othr: { Id: 'SETTLEMENT-ALPHDEFFXXX-EUR' } }, Ccy: 'EUR' },
            AcctOwnr: { Agt: { FinInstnId: { BICFI: 'ALPHDEFFXXX' } } },
            RptgPrd: { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, Tp: 'ALLL' },
          },
        ],
      },
    };
    const read = accountReportRequests(camt060);
    const [request] = read.requests;
    const built = accountReport(
      input({
        messageId: request.requestedMessage as AccountReportInput['messageId'],
        query: { msgId: read.msgId, messageName: 'camt.060.001.05', creationDateTime: read.creationDateTime },
        from: request.from as string,
        to: request.to as string,
        account: { id: request.accountId as string, currency: request.accountCurrency as string },
      }),
    );
    expect(statementOf(built).FrToDt).toEqual({ FrDtTm: '2026-11-27T00:00:00.000Z', ToDtTm: '2026-11-28T00:00:00.000Z' });
    expect(validateXml(toXml(built.messageId, built.document)).issues).toEqual([]);
  });
});
