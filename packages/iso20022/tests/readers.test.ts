import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  creditTransfers,
  ErrorCode,
  InvalidAmountError,
  money,
  parseMessage,
  ReaderInputError,
  sumMoney,
  toXml,
  validateXml,
  type CreditTransferMessage,
  type JsonObject,
} from '../src/index';
import { pacs008 } from './rules/documents';
import { engineFixture, messageFixtures } from './support/paths';
import { thrownBy } from './support/thrown';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const documentOf = (xml: string): JsonObject => parseMessage(xml).document;
/** A deep copy of a JSON form, to change one element without touching the original. */
const copy = <T>(value: T): T => structuredClone(value);


function expectError(call: () => unknown, type: typeof ReaderInputError | typeof InvalidAmountError, path: string, message: string): void {
  const error = thrownBy(call);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ name: type.name, path, message: `${path}: ${message}` });
}

/** The pacs.008 fixture `valid.xml` (and `valid-with-apphdr.xml`, whose Document is the same) as domain values. */
const validMessage: CreditTransferMessage = {
  groupHeader: {
    msgId: 'COBA20261127093000001',
    createdAt: '2026-11-27T09:30:00.000Z',
    numberOfTransactions: '3',
    settlementMethod: 'INDA',
    settlementDate: '2026-11-27',
    totalAmount: { minor: 1679985n, currency: 'EUR', exponent: 2 },
    instructingAgentBic: 'COBADEFFXXX',
    instructedAgentBic: 'BNPAFRPPXXX',
  },
  transfers: [
    {
      instructionId: 'COBA-INSTR-0001',
      endToEndId: 'INV-2026-11-0457',
      txId: 'COBA-TX-20261127-0001',
      uetr: '8a562c67-ca16-48ba-b074-65581be6f001',
      amount: { minor: 1250000n, currency: 'EUR', exponent: 2 },
      settlementDate: '2026-11-27',
      instructingAgentBic: 'COBADEFFXXX',
      instructedAgentBic: 'BNPAFRPPXXX',
      debtorAgentBic: 'COBADEFFXXX',
      creditorAgentBic: 'BNPAFRPPXXX',
      debtorName: 'Hansen Maschinenbau GmbH',
      creditorName: 'Boulangerie Martin SAS',
      debtorAccount: 'DE89370400440532013000',
      creditorAccount: 'FR7630006000011234567890189',
    },
    {
      instructionId: 'COBA-INSTR-0002',
      endToEndId: 'PO-88213',
      txId: 'COBA-TX-20261127-0002',
      uetr: '3f1d9b42-7c0e-4a6d-9e25-b1c8d4f70a12',
      amount: { minor: 342075n, currency: 'EUR', exponent: 2 },
      settlementDate: '2026-11-27',
      instructingAgentBic: 'COBADEFFXXX',
      instructedAgentBic: 'BNPAFRPPXXX',
      debtorAgentBic: 'COBADEFFXXX',
      creditorAgentBic: 'INGBNL2AXXX',
      debtorName: 'Hansen Maschinenbau GmbH',
      creditorName: 'Van der Berg Logistiek BV',
      debtorAccount: 'DE89370400440532013000',
      creditorAccount: 'NL20INGB0001234567',
    },
    {
      instructionId: 'COBA-INSTR-0003',
      endToEndId: 'SUB-2026-Q4-19',
      txId: 'COBA-TX-20261127-0003',
      uetr: 'c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54',
      amount: { minor: 87910n, currency: 'EUR', exponent: 2 },
      settlementDate: '2026-11-27',
      instructingAgentBic: 'COBADEFFXXX',
      instructedAgentBic: 'BNPAFRPPXXX',
      debtorAgentBic: 'COBADEFFXXX',
      creditorAgentBic: 'GEBABEBBXXX',
      debtorName: 'Hansen Maschinenbau GmbH',
      creditorName: 'Atelier Dupont SPRL',
      debtorAccount: 'DE89370400440532013000',
      creditorAccount: 'BE68539007547034',
    },
  ],
};

/** The engine's pacs.008 fixture: a second transaction without InstrId, TxId or accounts. */
const engineMessage: CreditTransferMessage = {
  groupHeader: {
    msgId: 'MXF-20260301-0001',
    createdAt: '2026-03-01T09:30:00.000Z',
    numberOfTransactions: '2',
    settlementMethod: 'CLRG',
    settlementDate: '2026-03-01',
    totalAmount: { minor: 175025n, currency: 'EUR', exponent: 2 },
    instructingAgentBic: 'BANKDEFFXXX',
    instructedAgentBic: 'BANKFRPPXXX',
  },
  transfers: [
    {
      instructionId: 'INSTR-0001',
      endToEndId: 'E2E-0001',
      uetr: '8a562c67-ca16-48ba-b074-65581be6f011',
      amount: { minor: 100000n, currency: 'EUR', exponent: 2 },
      settlementDate: '2026-03-01',
      instructingAgentBic: 'BANKDEFFXXX',
      instructedAgentBic: 'BANKFRPPXXX',
      debtorAgentBic: 'BANKDEFFXXX',
      creditorAgentBic: 'BANKFRPPXXX',
      debtorName: 'Müller & Söhne GmbH',
      creditorName: 'Dupont SARL',
      debtorAccount: 'DE89370400440532013000',
      creditorAccount: 'FR1420041010050500013M02606',
    },
    {
      endToEndId: 'E2E-0002',
      uetr: '3f1a9c2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
      amount: { minor: 75025n, currency: 'EUR', exponent: 2 },
      settlementDate: '2026-03-01',
      instructingAgentBic: 'BANKDEFFXXX',
      instructedAgentBic: 'BANKFRPPXXX',
      debtorAgentBic: 'BANKDEFFXXX',
      creditorAgentBic: 'BANKFRPPXXX',
      debtorName: 'Example Trading Ltd',
      creditorName: 'Atelier Martin',
    },
  ],
};

const validPacs008 = [
  ...messageFixtures()
    .filter(({ messageId, name }) => messageId === 'pacs.008.001.08' && name.startsWith('valid'))
    .map(({ name, xml }) => ({ name: `pacs.008.001.08/${name}`, xml, expected: validMessage })),
  { name: 'engine/pacs.008.001.08.xml', xml: engineFixture('pacs.008.001.08.xml'), expected: engineMessage },
];

/** Writes a changed JSON form back as XML and checks that the XSD still accepts it, so the variant is a real message. */
function schemaValid(document: JsonObject): JsonObject {
  const xml = toXml('pacs.008.001.08', document);
  expect(validateXml(xml).issues).toEqual([]);
  return documentOf(xml);
}

describe('creditTransfers', () => {
  it('finds the valid pacs.008 fixtures', () => {
    expect(validPacs008.map(({ name }) => name)).toEqual([
      'pacs.008.001.08/valid-with-apphdr.xml',
      'pacs.008.001.08/valid.xml',
      'engine/pacs.008.001.08.xml',
    ]);
  });

  it.each(validPacs008)('reads $name into domain values', ({ xml, expected }) => {
    expect(creditTransfers(documentOf(xml))).toEqual(expected);
  });

  it.each(validPacs008)('reads as many transfers from $name as NbOfTxs says, adding up to the total', ({ xml }) => {
    const { groupHeader, transfers } = creditTransfers(documentOf(xml));
    expect(transfers).toHaveLength(Number(groupHeader.numberOfTransactions));
    expect(sumMoney(transfers.map((transfer) => transfer.amount))).toEqual(groupHeader.totalAmount);
  });

  it('reads a document still wrapped in { Document }', () => {
    expect(creditTransfers({ Document: documentOf(fixture('pacs.008.001.08/valid.xml')) })).toEqual(validMessage);
  });

  it('leaves absent elements out rather than setting them to undefined', () => {
    const [, second] = creditTransfers(documentOf(engineFixture('pacs.008.001.08.xml'))).transfers;
    expect(Object.keys(second)).not.toContain('instructionId');
    expect(Object.keys(second)).not.toContain('debtorAccount');
  });

  it('takes a transaction agent over the group header agent', () => {
    const document = copy(documentOf(fixture('pacs.008.001.08/valid.xml')));
    const message = document.FIToFICstmrCdtTrf as JsonObject & { CdtTrfTxInf: JsonObject[] };
    message.CdtTrfTxInf[1] = { ...message.CdtTrfTxInf[1], InstgAgt: { FinInstnId: { BICFI: 'DEUTDEFFXXX' } }, InstdAgt: { FinInstnId: { BICFI: 'INGBNL2AXXX' } } };
    const transfers = creditTransfers(schemaValid(document)).transfers;
    expect(transfers.map((transfer) => [transfer.instructingAgentBic, transfer.instructedAgentBic])).toEqual([
      ['COBADEFFXXX', 'BNPAFRPPXXX'],
      ['DEUTDEFFXXX', 'INGBNL2AXXX'],
      ['COBADEFFXXX', 'BNPAFRPPXXX'],
    ]);
  });

  it('reads transaction agents, dates and Othr accounts when the group header has none', () => {
    const document = copy(documentOf(engineFixture('pacs.008.001.08.xml')));
    const message = document.FIToFICstmrCdtTrf as JsonObject & { GrpHdr: JsonObject; CdtTrfTxInf: JsonObject[] };
    delete message.GrpHdr.InstgAgt;
    delete message.GrpHdr.InstdAgt;
    delete message.GrpHdr.IntrBkSttlmDt;
    const [first, second] = message.CdtTrfTxInf;
    message.CdtTrfTxInf = [
      { ...first, IntrBkSttlmDt: '2026-03-02', InstgAgt: { FinInstnId: { BICFI: 'BANKDEFFXXX' } }, InstdAgt: { FinInstnId: { BICFI: 'BANKFRPPXXX' } } },
      { ...second, DbtrAcct: { Id: { Othr: { Id: '0532013000', SchmeNm: { Cd: 'BBAN' } } } }, CdtrAcct: { Id: { Othr: { Id: 'ACC-7781' } } } },
    ];
    const read = creditTransfers(schemaValid(document));
    expect(read.groupHeader).not.toHaveProperty('instructingAgentBic');
    expect(read.groupHeader).not.toHaveProperty('settlementDate');
    expect(read.transfers.map(({ settlementDate, instructingAgentBic, instructedAgentBic, debtorAccount, creditorAccount }) => ({
      settlementDate, instructingAgentBic, instructedAgentBic, debtorAccount, creditorAccount,
    }))).toEqual([
      { settlementDate: '2026-03-02', instructingAgentBic: 'BANKDEFFXXX', instructedAgentBic: 'BANKFRPPXXX', debtorAccount: 'DE89370400440532013000', creditorAccount: 'FR1420041010050500013M02606' },
      { settlementDate: undefined, instructingAgentBic: undefined, instructedAgentBic: undefined, debtorAccount: '0532013000', creditorAccount: 'ACC-7781' },
    ]);
  });

  it('gives no BIC for a transaction agent identified otherwise, rather than the group header agent', () => {
    const document = copy(documentOf(fixture('pacs.008.001.08/valid.xml')));
    const message = document.FIToFICstmrCdtTrf as JsonObject & { CdtTrfTxInf: JsonObject[] };
    message.CdtTrfTxInf[0] = { ...message.CdtTrfTxInf[0], InstgAgt: { FinInstnId: { ClrSysMmbId: { MmbId: '37040044' } } } };
    const [first] = creditTransfers(schemaValid(document)).transfers;
    expect(first).not.toHaveProperty('instructingAgentBic');
    expect(first.instructedAgentBic).toBe('BNPAFRPPXXX');
  });

  it.each([
    ['JPY', '1500000', '1500000', '3000000', 3000000n, 0],
    ['KWD', '1000.125', '500.25', '1500.375', 1500375n, 3],
    ['BHD', '0.5', '0.005', '0.505', 505n, 3],
  ])('reads a message in %s with its exponent', (currency, first, second, total, totalMinor, exponent) => {
    const document = pacs008() as JsonObject & { FIToFICstmrCdtTrf: { GrpHdr: JsonObject; CdtTrfTxInf: JsonObject[] } };
    const message = document.FIToFICstmrCdtTrf;
    message.GrpHdr.CtrlSum = total;
    message.GrpHdr.TtlIntrBkSttlmAmt = { value: total, Ccy: currency };
    message.CdtTrfTxInf[0].IntrBkSttlmAmt = { value: first, Ccy: currency };
    message.CdtTrfTxInf[1].IntrBkSttlmAmt = { value: second, Ccy: currency };
    const read = creditTransfers(schemaValid(document));
    expect(read.groupHeader.totalAmount).toEqual({ minor: totalMinor, currency, exponent });
    expect(read.transfers.map((transfer) => transfer.amount)).toEqual([money(first, currency), money(second, currency)]);
  });

  it.each([
    ['pacs.028.001.03/valid.xml', '$.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has FIToFIPmtStsReq'],
    ['camt.056.001.08/valid.xml', '$.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has FIToFIPmtCxlReq'],
    ['pacs.004.001.09/valid.xml', '$.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has PmtRtr'],
  ])('refuses %s, which is not a pacs.008', (file, errorPath, message) => {
    const document = documentOf(fixture(file));
    expectError(() => creditTransfers(document), ReaderInputError, errorPath, message);
    expect(thrownBy(() => creditTransfers(document))).toMatchObject({ code: ErrorCode.JSON_SHAPE });
  });

  it.each([
    ['null', null, '$.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has no FIToFICstmrCdtTrf'],
    ['a string', '<Document/>', '$.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has no FIToFICstmrCdtTrf'],
    ['a wrapped pacs.002', { Document: { FIToFIPmtStsRpt: {} } }, '$.Document.FIToFICstmrCdtTrf', 'not a pacs.008 (FI to FI customer credit transfer): it has FIToFIPmtStsRpt'],
    ['a root that is not an object', { FIToFICstmrCdtTrf: 'x' }, '$.FIToFICstmrCdtTrf', 'FIToFICstmrCdtTrf must be an object'],
  ])('refuses %s', (_name, document, errorPath, message) => {
    expectError(() => creditTransfers(document), ReaderInputError, errorPath, message);
  });

  type Pacs008 = { FIToFICstmrCdtTrf: { GrpHdr: JsonObject; CdtTrfTxInf: JsonObject[] } };
  it.each<[string, (document: Pacs008) => void, string, string]>([
    ['no GrpHdr', (d) => delete (d.FIToFICstmrCdtTrf as Partial<Pacs008['FIToFICstmrCdtTrf']>).GrpHdr, '$.FIToFICstmrCdtTrf.GrpHdr', 'GrpHdr is missing'],
    ['no MsgId', (d) => delete d.FIToFICstmrCdtTrf.GrpHdr.MsgId, '$.FIToFICstmrCdtTrf.GrpHdr.MsgId', 'MsgId is missing'],
    ['no transaction', (d) => (d.FIToFICstmrCdtTrf.CdtTrfTxInf = []), '$.FIToFICstmrCdtTrf.CdtTrfTxInf', 'a pacs.008 has at least one CdtTrfTxInf'],
    ['no EndToEndId', (d) => delete (d.FIToFICstmrCdtTrf.CdtTrfTxInf[1].PmtId as JsonObject).EndToEndId, '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].PmtId.EndToEndId', 'EndToEndId is missing'],
    ['a BIC that is not text', (d) => (d.FIToFICstmrCdtTrf.CdtTrfTxInf[0].CdtrAgt = { FinInstnId: { BICFI: ['BNPAFRPP'] } }), '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].CdtrAgt.FinInstnId.BICFI', 'BICFI must be a string'],
    ['a debtor that is not an object', (d) => (d.FIToFICstmrCdtTrf.CdtTrfTxInf[0].Dbtr = 'Muster GmbH'), '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].Dbtr', 'Dbtr must be an object'],
  ])('refuses a pacs.008 with %s, naming the path', (_name, change, errorPath, message) => {
    const document = pacs008() as Pacs008;
    change(document);
    expectError(() => creditTransfers(document), ReaderInputError, errorPath, message);
  });

  it.each([
    ['invalid-currency.xml', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt.Ccy', 'XAU is not accepted for payments: gold'],
    ['invalid-decimals.xml', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt', '16799.855 EUR has 3 decimals but EUR has 2'],
  ])('refuses %s, whose amount cannot be money, naming its path', (file, errorPath, message) => {
    const document = documentOf(fixture(`pacs.008.001.08/${file}`));
    expectError(() => creditTransfers(document), InvalidAmountError, errorPath, message);
  });

  it('reads a transaction in another currency than the total, which is for the business rules to refuse', () => {
    const { groupHeader, transfers } = creditTransfers(documentOf(fixture('pacs.008.001.08/invalid-total-currency.xml')));
    expect(groupHeader.totalAmount).toEqual(money('16799.85', 'EUR'));
    expect(transfers.map((transfer) => transfer.amount)).toEqual([money('12500.00', 'EUR'), money('3420.75', 'USD'), money('879.10', 'EUR')]);
  });

  it('names the transaction of an amount that cannot be money', () => {
    const document = pacs008() as Pacs008;
    document.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt = { value: '500.255', Ccy: 'EUR' };
    expectError(() => creditTransfers(document), InvalidAmountError, '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt', '500.255 EUR has 3 decimals but EUR has 2');
  });
});
