import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessage, ResponseInputError, statusReportForPaymentInitiation, toXml, validateXml, type BuiltMessage, type JsonObject, type PaymentInitiationDecision } from '../../src/index';
import { thrownBy } from '../support/thrown';
import { officialXsdProblems, plainXml } from './official-xsd';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/messages');
const pain001 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.001.001.09/valid.xml'), 'utf8')).document;
const envelope = { msgId: 'COBA-STS-20261126-0001', creationDateTime: '2026-11-26T16:06:02.518Z' };

/** Problems of a built response under the generated XSD (through the engine's writer) and the official one (through an independent writer, and the engine's). */
function problems(built: BuiltMessage): { generated: unknown[]; official: string[]; officialOfEngineXml: string[] } {
  const xml = toXml(built.messageId, built.document);
  return { generated: [...validateXml(xml).issues], official: officialXsdProblems(plainXml(built.messageId, built.document)), officialOfEngineXml: officialXsdProblems(xml) };
}
const valid = { generated: [], official: [], officialOfEngineXml: [] };

const report = (built: BuiltMessage): JsonObject => built.document.CstmrPmtStsRpt as JsonObject;

describe('statusReportForPaymentInitiation', () => {
  it.each<[string, PaymentInitiationDecision]>([
    ['ACTC for the whole message', { groupStatus: 'ACTC' }],
    ['ACCP with a note', { groupStatus: 'ACCP', additionalInfo: 'Customer profile checks passed' }],
    ['ACSC', { groupStatus: 'ACSC' }],
    ['RJCT with a reason', { groupStatus: 'RJCT', reason: 'AM04', additionalInfo: 'Insufficient funds on the debtor account' }],
    [
      'PART with one status per transfer',
      {
        groupStatus: 'PART',
        transactions: [
          { paymentInformationId: 'HANSEN-PMT-0002', endToEndId: 'RENT-2026-12', status: 'ACSP' },
          { paymentInformationId: 'HANSEN-PMT-0001', endToEndId: 'PO-88213', status: 'RJCT', reason: 'AC04', additionalInfo: 'Creditor account closed' },
          { paymentInformationId: 'HANSEN-PMT-0001', endToEndId: 'INV-2026-11-0457', status: 'ACTC' },
        ],
      },
    ],
  ])('answers %s in a pain.002 the generated and the official XSD accept', (_what, decision) => {
    const built = statusReportForPaymentInitiation(pain001, decision, envelope);
    expect(built.messageId).toBe('pain.002.001.10');
    expect(problems(built)).toEqual(valid);
  });

  it('echoes the original group with the group status and reason', () => {
    const built = statusReportForPaymentInitiation({ Document: pain001 }, { groupStatus: 'RJCT', reason: 'DT01', additionalInfo: 'Execution date in the past' }, envelope);
    expect(built.document).toEqual({
      CstmrPmtStsRpt: {
        GrpHdr: { MsgId: 'COBA-STS-20261126-0001', CreDtTm: '2026-11-26T16:06:02.518Z' },
        OrgnlGrpInfAndSts: {
          OrgnlMsgId: 'HANSEN-PAY-20261126-01',
          OrgnlMsgNmId: 'pain.001.001.09',
          OrgnlCreDtTm: '2026-11-26T16:05:41.000Z',
          OrgnlNbOfTxs: '3',
          OrgnlCtrlSum: '16920.75',
          GrpSts: 'RJCT',
          StsRsnInf: [{ Rsn: { Cd: 'DT01' }, AddtlInf: ['Execution date in the past'] }],
        },
      },
    });
  });

  it('groups the reported transfers by block, in the order of the pain.001, with their references', () => {
    const built = statusReportForPaymentInitiation(
      pain001,
      {
        groupStatus: 'PART',
        transactions: [
          { paymentInformationId: 'HANSEN-PMT-0002', endToEndId: 'RENT-2026-12', status: 'ACSP' },
          { paymentInformationId: 'HANSEN-PMT-0001', endToEndId: 'PO-88213', status: 'RJCT', reason: 'AC04' },
          { paymentInformationId: 'HANSEN-PMT-0001', endToEndId: 'INV-2026-11-0457', status: 'ACTC' },
        ],
      },
      envelope,
    );
    expect(report(built).OrgnlPmtInfAndSts).toEqual([
      {
        OrgnlPmtInfId: 'HANSEN-PMT-0001',
        OrgnlNbOfTxs: '2',
        OrgnlCtrlSum: '15920.75',
        TxInfAndSts: [
          { OrgnlEndToEndId: 'PO-88213', TxSts: 'RJCT', StsRsnInf: [{ Rsn: { Cd: 'AC04' } }] },
          { OrgnlInstrId: 'HANSEN-INSTR-0001', OrgnlEndToEndId: 'INV-2026-11-0457', OrgnlUETR: '8a562c67-ca16-48ba-b074-65581be6f001', TxSts: 'ACTC' },
        ],
      },
      {
        OrgnlPmtInfId: 'HANSEN-PMT-0002',
        OrgnlNbOfTxs: '1',
        TxInfAndSts: [{ OrgnlInstrId: 'HANSEN-INSTR-0003', OrgnlEndToEndId: 'RENT-2026-12', TxSts: 'ACSP' }],
      },
    ]);
  });

  it('names the debtor agent in the group header when every block has the same one', () => {
    const document = structuredClone(pain001);
    const blocks = (document.CstmrCdtTrfInitn as JsonObject).PmtInf as JsonObject[];
    blocks[1].DbtrAgt = structuredClone(blocks[0].DbtrAgt);
    const built = statusReportForPaymentInitiation(document, { groupStatus: 'ACTC' }, envelope);
    expect(report(built).GrpHdr).toEqual({ MsgId: envelope.msgId, CreDtTm: envelope.creationDateTime, DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } } });
    expect(problems(built)).toEqual(valid);
  });

  it.each<[string, PaymentInitiationDecision, string]>([
    ['a group rejection without reason', { groupStatus: 'RJCT' }, 'reason'],
    ['a group status not of its code list', { groupStatus: 'DONE' as 'ACTC' }, 'groupStatus'],
    ['PART for one transfer', { groupStatus: 'PART', transactions: [{ paymentInformationId: 'HANSEN-PMT-0002', endToEndId: 'RENT-2026-12', status: 'PART' as 'ACTC' }] }, 'transactions[0].status'],
    [
      'a transfer rejection without reason',
      { groupStatus: 'PART', transactions: [{ paymentInformationId: 'HANSEN-PMT-0002', endToEndId: 'RENT-2026-12', status: 'ACTC' }, { paymentInformationId: 'HANSEN-PMT-0001', endToEndId: 'PO-88213', status: 'RJCT' }] },
      'transactions[1].reason',
    ],
    ['an unknown block', { groupStatus: 'PART', transactions: [{ paymentInformationId: 'HANSEN-PMT-0009', endToEndId: 'RENT-2026-12', status: 'ACTC' }] }, 'transactions[0].paymentInformationId'],
    ['a transfer of another block', { groupStatus: 'PART', transactions: [{ paymentInformationId: 'HANSEN-PMT-0002', endToEndId: 'PO-88213', status: 'ACTC' }] }, 'transactions[0].endToEndId'],
  ])('refuses %s, naming the option', (_what, decision, option) => {
    const error = thrownBy(() => statusReportForPaymentInitiation(pain001, decision, envelope));
    expect(error).toBeInstanceOf(ResponseInputError);
    expect(error).toMatchObject({ name: 'ResponseInputError', path: option });
  });

  it('refuses an original that is not a pain.001', () => {
    const error = thrownBy(() => statusReportForPaymentInitiation({ FIToFICstmrCdtTrf: {} }, { groupStatus: 'ACTC' }, envelope));
    expect(error).toMatchObject({ name: 'ResponseInputError', path: '$.CstmrCdtTrfInitn' });
  });
});
