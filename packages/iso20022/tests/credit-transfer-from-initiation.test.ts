import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BuildInputError,
  creditTransferFromInitiation,
  creditTransfers,
  parseMessage,
  ReaderInputError,
  toXml,
  validateXml,
  type InterbankEnvelope,
  type JsonObject,
} from '../src/index';
import { officialXsdProblems } from './responses/official-xsd';
import { thrownBy } from './support/thrown';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const pain001 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.001.001.09/valid.xml'), 'utf8')).document;

const envelope: InterbankEnvelope = {
  msgId: 'COBA20261127093000001',
  creationDateTime: '2026-11-27T09:30:00.000Z',
  interbankSettlementDate: '2026-11-27',
  instructingAgentBic: 'COBADEFFXXX',
  instructedAgentBic: 'BNPAFRPPXXX',
};

/** A deep copy of the pain.001 fixture with one change applied to its root. */
function changed(change: (root: JsonObject) => void): JsonObject {
  const document = structuredClone(pain001);
  change(document.CstmrCdtTrfInitn as JsonObject);
  return document;
}
const payment = (root: JsonObject, index: number): JsonObject => (root.PmtInf as JsonObject[])[index];
const transfer = (root: JsonObject, p: number, t: number): JsonObject => (payment(root, p).CdtTrfTxInf as JsonObject[])[t];

/** The XML the engine writes for a built pacs.008. */
const written = (document: object): string => toXml('pacs.008.001.08', document);

describe('creditTransferFromInitiation', () => {
  it('builds the pacs.008 of the first transfer with every element it carries', () => {
    const built = creditTransferFromInitiation(pain001, { paymentIndex: 0, transferIndex: 0 }, envelope);
    expect(built.messageId).toBe('pacs.008.001.08');
    expect(built.document).toEqual({
      FIToFICstmrCdtTrf: {
        GrpHdr: {
          MsgId: 'COBA20261127093000001',
          CreDtTm: '2026-11-27T09:30:00.000Z',
          NbOfTxs: '1',
          TtlIntrBkSttlmAmt: { value: '12500.00', Ccy: 'EUR' },
          IntrBkSttlmDt: '2026-11-27',
          SttlmInf: { SttlmMtd: 'INDA' },
          InstgAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
          InstdAgt: { FinInstnId: { BICFI: 'BNPAFRPPXXX' } },
        },
        CdtTrfTxInf: [
          {
            PmtId: { InstrId: 'HANSEN-INSTR-0001', EndToEndId: 'INV-2026-11-0457', UETR: '8a562c67-ca16-48ba-b074-65581be6f001' },
            IntrBkSttlmAmt: { value: '12500.00', Ccy: 'EUR' },
            ChrgBr: 'SLEV',
            Dbtr: {
              Nm: 'Hansen Maschinenbau GmbH',
              PstlAdr: { StrtNm: 'Industriestrasse', BldgNb: '12', PstCd: '60311', TwnNm: 'Frankfurt am Main', Ctry: 'DE' },
            },
            DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' }, Ccy: 'EUR' },
            DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
            CdtrAgt: { FinInstnId: { BICFI: 'BNPAFRPPXXX' } },
            Cdtr: { Nm: 'Boulangerie Martin SAS', PstlAdr: { TwnNm: 'Lyon', Ctry: 'FR' } },
            CdtrAcct: { Id: { IBAN: 'FR7630006000011234567890189' } },
            RmtInf: { Ustrd: ['Invoice 2026-11-0457 & delivery note 88'] },
          },
        ],
      },
    });
  });

  it.each([
    [0, 0],
    [0, 1],
    [1, 0],
  ])('builds, from PmtInf[%i].CdtTrfTxInf[%i], a pacs.008 the generated and the official XSD accept', (paymentIndex, transferIndex) => {
    const xml = written(creditTransferFromInitiation(pain001, { paymentIndex, transferIndex }, envelope).document);
    expect(validateXml(xml)).toEqual({ valid: true, messageId: 'pacs.008.001.08', messageType: 'pacs.008', issues: [] });
    expect(officialXsdProblems(xml)).toEqual([]);
  });

  it('carries what the pacs.008 reader then reads back', () => {
    const xml = written(creditTransferFromInitiation(pain001, { paymentIndex: 1, transferIndex: 0 }, envelope).document);
    expect(creditTransfers(parseMessage(xml).document).transfers).toEqual([
      {
        instructionId: 'HANSEN-INSTR-0003',
        endToEndId: 'RENT-2026-12',
        amount: { minor: 100000n, currency: 'EUR', exponent: 2 },
        settlementDate: '2026-11-27',
        instructingAgentBic: 'COBADEFFXXX',
        instructedAgentBic: 'BNPAFRPPXXX',
        debtorAgentBic: 'COBADEFF',
        creditorAgentBic: 'DEUTDEFFXXX',
        debtorName: 'Hansen Maschinenbau GmbH',
        creditorName: 'Immobilien Weber KG',
        debtorAccount: '0532013001',
        creditorAccount: '4711-0815',
      },
    ]);
  });

  it.each([
    ['the block names none and neither does the transfer', 1, 0, 'SLEV'],
    ['the block says SLEV', 0, 0, 'SLEV'],
    ['the transfer says SHAR over the block', 0, 1, 'SHAR'],
  ])('takes the charge bearer when %s', (_when, paymentIndex, transferIndex, bearer) => {
    const tx = creditTransferFromInitiation(pain001, { paymentIndex, transferIndex }, envelope).document.FIToFICstmrCdtTrf.CdtTrfTxInf as JsonObject[];
    expect(tx[0].ChrgBr).toBe(bearer);
  });

  it('takes the block charge bearer when the transfer gives none', () => {
    const document = changed((root) => (payment(root, 1).ChrgBr = 'DEBT'));
    const tx = creditTransferFromInitiation(document, { paymentIndex: 1, transferIndex: 0 }, envelope).document.FIToFICstmrCdtTrf.CdtTrfTxInf as JsonObject[];
    expect(tx[0].ChrgBr).toBe('DEBT');
  });

  it('keeps the amount text and currency as the debtor wrote them', () => {
    const document = changed((root) => (transfer(root, 1, 0).Amt = { InstdAmt: { value: '150000', Ccy: 'JPY' } }));
    const built = creditTransferFromInitiation(document, { paymentIndex: 1, transferIndex: 0 }, envelope);
    const tx = built.document.FIToFICstmrCdtTrf.CdtTrfTxInf as JsonObject[];
    expect(tx[0].IntrBkSttlmAmt).toEqual({ value: '150000', Ccy: 'JPY' });
    expect(officialXsdProblems(written(built.document))).toEqual([]);
  });

  it('leaves out what the transfer does not give', () => {
    const tx = creditTransferFromInitiation(pain001, { paymentIndex: 0, transferIndex: 1 }, envelope).document.FIToFICstmrCdtTrf.CdtTrfTxInf as JsonObject[];
    expect(tx[0].PmtId).toEqual({ EndToEndId: 'PO-88213' });
  });

  it.each([
    ['a payment index past the end', { paymentIndex: 2, transferIndex: 0 }, 'paymentIndex'],
    ['a negative transfer index', { paymentIndex: 0, transferIndex: -1 }, 'transferIndex'],
    ['a transfer index past the end', { paymentIndex: 1, transferIndex: 1 }, 'transferIndex'],
  ])('refuses %s, naming the option', (_what, position, option) => {
    const error = thrownBy(() => creditTransferFromInitiation(pain001, position, envelope));
    expect(error).toBeInstanceOf(BuildInputError);
    expect(error).toMatchObject({ name: 'BuildInputError', path: option });
  });

  it.each([
    ['msgId', { msgId: 'M'.repeat(36) }],
    ['creationDateTime', { creationDateTime: '2026-11-27T09:30:00Z' }],
    ['interbankSettlementDate', { interbankSettlementDate: '2026-02-30' }],
    ['instructingAgentBic', { instructingAgentBic: 'COBAZZFFXXX' }],
    ['instructedAgentBic', { instructedAgentBic: 'bnpafrpp' }],
  ])('refuses an invalid %s', (option, change) => {
    const error = thrownBy(() => creditTransferFromInitiation(pain001, { paymentIndex: 0, transferIndex: 0 }, { ...envelope, ...change }));
    expect(error).toMatchObject({ name: 'BuildInputError', path: option });
  });

  it.each([
    ['creditor', (root: JsonObject) => delete transfer(root, 0, 0).Cdtr, '$.CstmrCdtTrfInitn.PmtInf[0].CdtTrfTxInf[0].Cdtr'],
    ['creditor agent', (root: JsonObject) => delete transfer(root, 0, 0).CdtrAgt, '$.CstmrCdtTrfInitn.PmtInf[0].CdtTrfTxInf[0].CdtrAgt'],
  ])('refuses a transfer without %s, which a pacs.008 requires', (_what, change, path) => {
    const error = thrownBy(() => creditTransferFromInitiation(changed(change), { paymentIndex: 0, transferIndex: 0 }, envelope));
    expect(error).toMatchObject({ name: 'BuildInputError', path });
  });

  it('refuses a transfer with only an equivalent amount, naming its path', () => {
    const document = changed((root) => (transfer(root, 0, 0).Amt = { EqvtAmt: { Amt: { value: '3000.00', Ccy: 'USD' }, CcyOfTrf: 'EUR' } }));
    const error = thrownBy(() => creditTransferFromInitiation(document, { paymentIndex: 0, transferIndex: 0 }, envelope));
    expect(error).toBeInstanceOf(ReaderInputError);
    expect(error).toMatchObject({ path: '$.CstmrCdtTrfInitn.PmtInf[0].CdtTrfTxInf[0].Amt.EqvtAmt' });
  });

  it('builds from one transfer even when another cannot be read', () => {
    const document = changed((root) => (transfer(root, 0, 1).Amt = { EqvtAmt: { Amt: { value: '3000.00', Ccy: 'USD' }, CcyOfTrf: 'EUR' } }));
    expect(validateXml(written(creditTransferFromInitiation(document, { paymentIndex: 0, transferIndex: 0 }, envelope).document)).valid).toBe(true);
  });
});
