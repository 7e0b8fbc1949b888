import { decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { toJson, toXml, validateXml } from '@mxflow/iso20022';
import type { Balance, Posting, TransactionSummary } from '@mxflow/store';
import { reportRequestSample } from '../../../packages/cli/src/sample';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { officialXsdDir } from '../../../packages/iso20022/tests/support/paths';
import { existsSync } from 'node:fs';
import { bankTransactionCodeOf, decideReports, entryOf, periodOf, readBooks, reportMsgId, reportRecord, type AccountBook, type ReportFacts } from '../src/domain/reports';

const TRANSACTION_ID = '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11';
const NOW = new Date('2026-12-07T15:30:00.000Z');
const AT = '2026-12-07T15:30:01.250Z';

const posting = (transactionId: string, leg: string, minor: bigint, timestamp: string, currency = 'EUR'): Posting => ({ entityId: 'ent-alpha', currency, exponent: 2, minor, transactionId, leg, timestamp });
const balanceOf = (postings: readonly Posting[], currency = 'EUR'): Balance => ({
  entityId: 'ent-alpha',
  currency,
  exponent: 2,
  minor: postings.reduce((sum, item) => sum + item.minor, 0n),
  updatedAt: AT,
});
const payment = (transactionId: string, extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId,
  status: 'ACSC',
  messageType: 'pacs.008',
  messageIds: { msgId: `MSG-${transactionId}`, endToEndIds: [`E2E-${transactionId}`], uetrs: ['3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b'], txIds: [`TX-${transactionId}`] },
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  createdAt: '2026-12-07T09:00:00.000Z',
  updatedAt: '2026-12-07T09:00:00.500Z',
  final: true,
  ...extra,
});

const euroPostings = [
  posting('opening-ent-alpha-EUR', 'opening', 1_000_000_00n, '2026-12-01T00:00:00.000Z'),
  posting('p-yesterday', 'debit', -25_00n, '2026-12-06T17:00:00.000Z'),
  posting('p-1', 'debit', -12_34n, '2026-12-07T09:00:00.400Z'),
  posting('p-2', 'credit', 5_00n, '2026-12-07T10:00:00.400Z'),
  posting('r-1', 'credit', 2_00n, '2026-12-07T11:00:00.400Z'),
];
const books = (entries: readonly [string, AccountBook][]): ReadonlyMap<string, AccountBook> => new Map(entries);

function facts(extra: Partial<ReportFacts> = {}): ReportFacts {
  return {
    requester: 'ent-alpha',
    entity: { entityId: 'ent-alpha', name: 'Alpha Bank AG', bic: 'ALPHDEFFXXX', bics: ['ALPHDEFFXXX'], accounts: [], status: 'ACTIVE' },
    books: books([
      ['EUR', { balance: balanceOf(euroPostings), postings: euroPostings }],
      ['USD', { balance: balanceOf([posting('opening-ent-alpha-USD', 'opening', 500_00n, '2026-12-01T00:00:00.000Z', 'USD')], 'USD'), postings: [posting('opening-ent-alpha-USD', 'opening', 500_00n, '2026-12-01T00:00:00.000Z', 'USD')] }],
    ]),
    transactions: new Map([
      ['p-1', payment('p-1')],
      ['p-2', payment('p-2', { senderEntity: 'ent-beta', receiverEntity: 'ent-alpha' })],
      ['r-1', payment('r-1', { messageType: 'pacs.004' })],
    ]),
    at: AT,
    transactionId: TRANSACTION_ID,
    ...extra,
  };
}

const request = (args: { report?: string; currency?: string } = {}) => ({ document: toJson(reportRequestSample(args, NOW)).document });
type Json = Record<string, unknown>;
const bodyOf = (document: Record<string, unknown>): Json => {
  const root = (document.BkToCstmrStmt ?? document.BkToCstmrAcctRpt) as Json;
  return ((root.Stmt ?? root.Rpt) as Json[])[0];
};

describe('periodOf', () => {
  it.each([
    ['today up to the decision without a period', {}, { from: '2026-12-07T00:00:00.000Z', to: AT }],
    ['the asked period when it is over', { from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' }, { from: '2026-12-06T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' }],
    ['a period that is not over cut at the decision', { from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' }, { from: '2026-12-07T00:00:00.000Z', to: AT }],
    ['a period in the future as an empty one', { from: '2026-12-09T00:00:00.000Z', to: '2026-12-10T00:00:00.000Z' }, { from: AT, to: AT }],
  ])('gives %s', (_case, asked, expected) => {
    expect(periodOf(asked, AT)).toEqual(expected);
  });
});

describe('entryOf', () => {
  it('books a debit as DBIT with its positive amount, the transaction as AcctSvcrRef and the message ids as references', () => {
    expect(entryOf(euroPostings[2], payment('p-1'))).toEqual({
      amount: { minor: 12_34n, currency: 'EUR', exponent: 2 },
      creditDebit: 'DBIT',
      booked: '2026-12-07T09:00:00.400Z',
      valueDate: '2026-12-07',
      accountServicerRef: 'p-1',
      bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'DMCT' },
      references: { msgId: 'MSG-p-1', endToEndId: 'E2E-p-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b', txId: 'TX-p-1' },
    });
  });

  it('lists each transaction of a message of several, by their place in it, leaving out an id kind not every one has', () => {
    const batch = payment('p-3', { messageIds: { msgId: 'MSG-3', endToEndIds: ['E-1', 'E-2'], uetrs: ['3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a71', '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a72'], txIds: ['TX-1'] } });
    expect(entryOf(posting('p-3', 'debit', -30_00n, AT), batch).transactions).toEqual([
      { msgId: 'MSG-3', endToEndId: 'E-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a71' },
      { msgId: 'MSG-3', endToEndId: 'E-2', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a72' },
    ]);
    expect(entryOf(euroPostings[2], payment('p-1')).transactions).toBeUndefined();
  });

  it.each([
    ['a payment received', posting('p-2', 'credit', 5_00n, AT), payment('p-2'), { domain: 'PMNT', family: 'RCDT', subFamily: 'DMCT' }],
    ['a return received', posting('r-1', 'credit', 2_00n, AT), payment('r-1', { messageType: 'pacs.004' }), { domain: 'PMNT', family: 'RCDT', subFamily: 'RRTN' }],
    ['an opening balance', euroPostings[0], undefined, { proprietary: 'OPENING', issuer: 'MXFLOW' }],
  ])('codes %s', (_case, booked, transaction, code) => {
    expect(bankTransactionCodeOf(booked, transaction)).toEqual(code);
  });
});

describe('decideReports', () => {
  it('reports the named account: the postings of the period as entries, the earlier ones as the opening balance', () => {
    const decision = decideReports(request({ report: 'camt.052', currency: 'EUR' }), facts());
    expect(decision.kind).toBe('reports');
    if (decision.kind !== 'reports') return;
    expect(decision.reports.map((report) => [report.name, report.messageId, report.entries])).toEqual([['camt.052.EUR', 'camt.052.001.08', 3]]);
    const body = bodyOf(decision.reports[0].document);
    expect(body.Id).toBe(reportMsgId(TRANSACTION_ID, 'camt.052.001.08', 'EUR'));
    expect((body.Ntry as Json[]).map((entry) => entry.AcctSvcrRef)).toEqual(['p-1', 'p-2', 'r-1']);
    expect(decision.reports[0].closing).toEqual({ minor: 1_000_000_00n - 25_00n - 12_34n + 5_00n + 2_00n, currency: 'EUR', exponent: 2 });
  });

  it('reports every account the requester holds when the request names none, each valid', () => {
    const decision = decideReports(request({ report: 'camt.053' }), facts());
    if (decision.kind !== 'reports') throw new Error(`refused: ${JSON.stringify(decision)}`);
    expect(decision.reports.map((report) => report.name)).toEqual(['camt.053.EUR', 'camt.053.USD']);
    for (const report of decision.reports) {
      const xml = toXml(report.messageId, report.document);
      expect(validateXml(xml).issues).toEqual([]);
      if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
    }
  });

  it('takes an account id the participant registered (its IBAN) as naming its settlement accounts: the one of Acct/Ccy, else every one', () => {
    const withIban = facts({ entity: { ...facts().entity!, accounts: ['DE89370400440532013000'] } });
    const sample = reportRequestSample({ currency: 'EUR' }, NOW).replace('<Id>ent-alpha/EUR</Id>\n            <SchmeNm>\n              <Prtry>SETTLEMENT</Prtry>\n            </SchmeNm>', '<Id>DE89370400440532013000</Id>');
    const named = (xml: string) => decideReports({ document: toJson(xml).document }, withIban);
    expect(named(sample)).toMatchObject({ kind: 'reports', reports: [{ name: 'camt.052.EUR' }] });
    expect(named(sample.replace('<Ccy>EUR</Ccy>\n', ''))).toMatchObject({ kind: 'reports', reports: [{ name: 'camt.052.EUR' }, { name: 'camt.052.USD' }] });
    expect(named(sample.replace('<Ccy>EUR</Ccy>', '<Ccy>GBP</Ccy>'))).toMatchObject({ kind: 'refused', reasonCode: 'AC01' });
  });

  it('refuses an account that is not the requester’s with AC01', () => {
    const document = toJson(reportRequestSample({ currency: 'EUR', entityId: 'ent-beta' }, NOW)).document;
    expect(decideReports({ document }, facts())).toMatchObject({ kind: 'refused', reasonCode: 'AC01' });
  });

  it('refuses a currency the requester holds no account in with AC01', () => {
    expect(decideReports(request({ currency: 'GBP' }), facts())).toMatchObject({ kind: 'refused', reasonCode: 'AC01' });
  });

  it('refuses a report message it does not offer, naming those it does', () => {
    const document = toJson(reportRequestSample({}, NOW).replace('camt.052.001.08', 'camt.052.001.02')).document;
    expect(decideReports({ document }, facts())).toMatchObject({ kind: 'refused', reasonCode: 'NARR', detail: expect.stringContaining('camt.052.001.08') });
  });

  it('releases no report whose balance disagrees with its postings', () => {
    const broken = { balance: { ...balanceOf(euroPostings), minor: balanceOf(euroPostings).minor + 1n }, postings: euroPostings };
    expect(() => decideReports(request({ currency: 'EUR' }), facts({ books: books([['EUR', broken]]) }))).toThrow();
  });
});

describe('reportRecord', () => {
  it('sends a report to the requester under its own name', () => {
    const value: IncomingRecordValue = { messageId: 'camt.060.001.05', messageType: 'camt.060', transactionId: TRANSACTION_ID, requestId: 'r-1', senderEntity: 'ent-alpha', document: request().document };
    const decision = decideReports(value, facts());
    if (decision.kind !== 'reports') throw new Error('refused');
    const record = reportRecord(value, decision.reports[0]);
    expect(record.topic).toBe('outgoing.camt.052');
    expect(decodeOutgoing(record.topic, record.message.value)).toMatchObject({ receiverEntity: 'ent-alpha', name: 'camt.052.EUR', status: 'ANSW', messageType: 'camt.052' });
  });
});

describe('readBooks', () => {
  it('reads again while a balance and its postings disagree, and gives up after a few tries', async () => {
    let reads = 0;
    const ledger = {
      balances: async () => [{ ...balanceOf(euroPostings), minor: balanceOf(euroPostings).minor + (reads++ < 2 ? 1n : 0n) }],
      postings: async () => euroPostings,
    };
    const read = await readBooks(ledger, 'ent-alpha');
    expect(read.get('EUR')?.balance.minor).toBe(balanceOf(euroPostings).minor);
    expect(reads).toBe(3);
    const never = { balances: async () => [{ ...balanceOf(euroPostings), minor: 1n }], postings: async () => euroPostings };
    await expect(readBooks(never, 'ent-alpha')).rejects.toThrow('does not add up');
  });
});
