import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidAmountError, parseMessage, paymentInitiations, ReaderInputError, type JsonObject, type PaymentInitiation } from '../src/index';
import { thrownBy } from './support/thrown';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const pain001 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.001.001.09/valid.xml'), 'utf8')).document;

/** A deep copy of the pain.001 fixture with one change applied to its root. */
function changed(change: (root: JsonObject) => void): JsonObject {
  const document = structuredClone(pain001);
  change(document.CstmrCdtTrfInitn as JsonObject);
  return document;
}
const payment = (root: JsonObject, index: number): JsonObject => (root.PmtInf as JsonObject[])[index];
const transfer = (root: JsonObject, p: number, t: number): JsonObject => (payment(root, p).CdtTrfTxInf as JsonObject[])[t];

function expectError(call: () => unknown, type: typeof ReaderInputError | typeof InvalidAmountError, path: string): void {
  const error = thrownBy(call);
  expect(error).toBeInstanceOf(type);
  expect(error).toMatchObject({ name: type.name, path });
}

/** The pain.001 fixture `valid.xml` as domain values. */
const expected: PaymentInitiation = {
  groupHeader: {
    msgId: 'HANSEN-PAY-20261126-01',
    creationDateTime: '2026-11-26T16:05:41.000Z',
    numberOfTransactions: '3',
    controlSum: '16920.75',
    initiatingPartyName: 'Hansen Maschinenbau GmbH',
  },
  payments: [
    {
      paymentInformationId: 'HANSEN-PMT-0001',
      requestedExecutionDate: '2026-11-27',
      debtorName: 'Hansen Maschinenbau GmbH',
      debtorAccount: 'DE89370400440532013000',
      debtorAgentBic: 'COBADEFFXXX',
      chargeBearer: 'SLEV',
      transfers: [
        {
          instructionId: 'HANSEN-INSTR-0001',
          endToEndId: 'INV-2026-11-0457',
          uetr: '8a562c67-ca16-48ba-b074-65581be6f001',
          amount: { minor: 1250000n, currency: 'EUR', exponent: 2 },
          chargeBearer: 'SLEV',
          creditorAgentBic: 'BNPAFRPPXXX',
          creditorName: 'Boulangerie Martin SAS',
          creditorAccount: 'FR7630006000011234567890189',
        },
        {
          endToEndId: 'PO-88213',
          amount: { minor: 342075n, currency: 'EUR', exponent: 2 },
          chargeBearer: 'SHAR',
          creditorAgentBic: 'INGBNL2AXXX',
          creditorName: 'Van Dijk Logistiek B.V.',
          creditorAccount: 'NL91ABNA0417164300',
        },
      ],
    },
    {
      paymentInformationId: 'HANSEN-PMT-0002',
      requestedExecutionDate: '2026-11-30T08:00:00.000Z',
      debtorName: 'Hansen Maschinenbau GmbH',
      debtorAccount: '0532013001',
      debtorAgentBic: 'COBADEFF',
      transfers: [
        {
          instructionId: 'HANSEN-INSTR-0003',
          endToEndId: 'RENT-2026-12',
          amount: { minor: 100000n, currency: 'EUR', exponent: 2 },
          creditorAgentBic: 'DEUTDEFFXXX',
          creditorName: 'Immobilien Weber KG',
          creditorAccount: '4711-0815',
        },
      ],
    },
  ],
};

describe('paymentInitiations', () => {
  it('reads the group header, each payment information block and its transfers', () => {
    expect(paymentInitiations(pain001)).toEqual(expected);
  });

  it('reads a document wrapped in { Document }', () => {
    expect(paymentInitiations({ Document: pain001 })).toEqual(expected);
  });

  it('leaves absent elements out rather than undefined', () => {
    const second = paymentInitiations(pain001).payments[1];
    expect(Object.keys(second)).not.toContain('chargeBearer');
    expect(Object.keys(second.transfers[0])).not.toContain('uetr');
  });

  it('gives the transfer its own charge bearer over the block', () => {
    expect(paymentInitiations(pain001).payments[0].transfers.map((t) => t.chargeBearer)).toEqual(['SLEV', 'SHAR']);
  });

  it('reads an amount in a currency without decimals', () => {
    const document = changed((root) => (transfer(root, 1, 0).Amt = { InstdAmt: { value: '150000', Ccy: 'JPY' } }));
    expect(paymentInitiations(document).payments[1].transfers[0].amount).toEqual({ minor: 150000n, currency: 'JPY', exponent: 0 });
  });

  it('refuses a transfer that gives only an equivalent amount, naming its path', () => {
    const document = changed((root) => (transfer(root, 0, 1).Amt = { EqvtAmt: { Amt: { value: '3000.00', Ccy: 'USD' }, CcyOfTrf: 'EUR' } }));
    expectError(() => paymentInitiations(document), ReaderInputError, '$.CstmrCdtTrfInitn.PmtInf[0].CdtTrfTxInf[1].Amt.EqvtAmt');
  });

  it('refuses an amount that cannot be money, naming its path', () => {
    const document = changed((root) => (transfer(root, 1, 0).Amt = { InstdAmt: { value: '10.00', Ccy: 'XAU' } }));
    expectError(() => paymentInitiations(document), InvalidAmountError, '$.CstmrCdtTrfInitn.PmtInf[1].CdtTrfTxInf[0].Amt.InstdAmt.Ccy');
  });

  it.each([
    ['a missing EndToEndId', (root: JsonObject) => delete (transfer(root, 0, 0).PmtId as JsonObject).EndToEndId, '$.CstmrCdtTrfInitn.PmtInf[0].CdtTrfTxInf[0].PmtId.EndToEndId'],
    ['a missing PmtInfId', (root: JsonObject) => delete payment(root, 1).PmtInfId, '$.CstmrCdtTrfInitn.PmtInf[1].PmtInfId'],
    ['a missing requested execution date', (root: JsonObject) => (payment(root, 0).ReqdExctnDt = {}), '$.CstmrCdtTrfInitn.PmtInf[0].ReqdExctnDt.DtTm'],
    ['a block without transfers', (root: JsonObject) => (payment(root, 1).CdtTrfTxInf = []), '$.CstmrCdtTrfInitn.PmtInf[1].CdtTrfTxInf'],
    ['a message without blocks', (root: JsonObject) => delete root.PmtInf, '$.CstmrCdtTrfInitn.PmtInf'],
    ['a missing group header', (root: JsonObject) => delete root.GrpHdr, '$.CstmrCdtTrfInitn.GrpHdr'],
    ['a name that is not text', (root: JsonObject) => (payment(root, 0).Dbtr = { Nm: { value: 'x' } }), '$.CstmrCdtTrfInitn.PmtInf[0].Dbtr.Nm'],
  ])('refuses %s, naming its path', (_what, change, path) => {
    expectError(() => paymentInitiations(changed(change)), ReaderInputError, path);
  });

  it('refuses a document that is not a pain.001 and says what it has', () => {
    const error = thrownBy(() => paymentInitiations({ FIToFICstmrCdtTrf: {} }));
    expect(error).toBeInstanceOf(ReaderInputError);
    expect((error as Error).message).toBe('$.CstmrCdtTrfInitn: not a pain.001 (customer credit transfer initiation): it has FIToFICstmrCdtTrf');
  });
});
