import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BuildInputError,
  Iso20022Error,
  NotAPaymentRequestError,
  parseMessage,
  paymentRequestAnswers,
  paymentRequests,
  paymentRequestStatusReport,
  toXml,
  validateXml,
  type JsonObject,
  type PaymentRequestDecision,
  type PaymentRequestReportEnvelope,
} from '@mxflow/iso20022';
import { officialXsdProblems, plainXml } from './responses/official-xsd';
import { officialXsdDir } from './support/paths';
import { thrownBy } from './support/thrown';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const pain013 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.013.001.07/valid.xml'), 'utf8')).document;
const pain001 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.001.001.09/valid.xml'), 'utf8')).document;
const envelope: PaymentRequestReportEnvelope = { msgId: 'MXFL-RTPSTS-20261130-0001', creationDateTime: '2026-11-30T00:00:00.412Z' };

// The official XSDs live beside the repository, not in it: without them the check against them is skipped.
const present = existsSync(officialXsdDir);
const describeOfficial = present ? describe : describe.skip;
if (!present) console.warn(`official ISO 20022 XSDs not found (${path.basename(officialXsdDir)} beside the repository): the built pain.014 is not checked against pain.014.001.07.xsd`);

/** A deep copy of the pain.013 sample with one change applied to its root. */
function request(change: (root: JsonObject) => void): JsonObject {
  const document = structuredClone(pain013);
  change(document.CdtrPmtActvtnReq as JsonObject);
  return document;
}
const block = (root: JsonObject, index = 0): JsonObject => (root.PmtInf as JsonObject[])[index];
const transfer = (root: JsonObject, index: number): JsonObject => (block(root).CdtTrfTx as JsonObject[])[index];

/** The sample with a second block, for another debtor at another debtor agent. */
const twoDebtorAgents = request((root) => {
  const other = structuredClone(block(root));
  other.PmtInfId = 'MARTIN-RTP-0043';
  other.DbtrAgt = { FinInstnId: { BICFI: 'DEUTDEFFXXX' } };
  other.CdtTrfTx = [transfer(root, 1)];
  (root.PmtInf as JsonObject[]).push(other);
});

const decisions: [string, PaymentRequestDecision][] = [
  ['ACCP', { status: 'ACCP' }],
  ['ACTC', { status: 'ACTC' }],
  ['PDNG with a note', { status: 'PDNG', additionalInfo: 'Waiting for the debtor to confirm in the banking app' }],
  ['RJCT AB05 for an expired request', { status: 'RJCT', reason: 'AB05', additionalInfo: 'Request expired before the debtor answered' }],
  ['RJCT RC01 for a wrong debtor agent', { status: 'RJCT', reason: 'RC01' }],
];

describe('paymentRequestStatusReport', () => {
  it('answers every transfer of the pain.013 sample with RJCT AB05', () => {
    const built = paymentRequestStatusReport(pain013, { status: 'RJCT', reason: 'AB05', additionalInfo: 'Request expired' }, envelope);
    const reason = [{ Rsn: { Cd: 'AB05' }, AddtlInf: ['Request expired'] }];
    expect(built).toEqual({
      messageId: 'pain.014.001.07',
      document: {
        CdtrPmtActvtnReqStsRpt: {
          GrpHdr: {
            MsgId: 'MXFL-RTPSTS-20261130-0001',
            CreDtTm: '2026-11-30T00:00:00.412Z',
            InitgPty: { Id: { OrgId: { AnyBIC: 'COBADEFFXXX' } } },
            DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
            CdtrAgt: { FinInstnId: { BICFI: 'BNPAFRPPXXX' } },
          },
          OrgnlGrpInfAndSts: {
            OrgnlMsgId: 'BNPA-RTP-20261127-0042',
            OrgnlMsgNmId: 'pain.013.001.07',
            OrgnlCreDtTm: '2026-11-27T08:15:30.250Z',
            OrgnlNbOfTxs: '2',
            OrgnlCtrlSum: '1389.90',
            GrpSts: 'RJCT',
          },
          OrgnlPmtInfAndSts: [
            {
              OrgnlPmtInfId: 'MARTIN-RTP-0042',
              PmtInfSts: 'RJCT',
              TxInfAndSts: [
                {
                  OrgnlInstrId: 'MARTIN-INSTR-0042-1',
                  OrgnlEndToEndId: 'INV-2026-11-0811',
                  OrgnlUETR: '3d2f8e41-7c0a-4b5e-9a61-0c4e2f7b9d13',
                  TxSts: 'RJCT',
                  StsRsnInf: reason,
                },
                { OrgnlEndToEndId: 'INV-2026-11-0812', OrgnlUETR: 'b6a0c3d9-58e2-4f17-8c24-91e7d05a6f38', TxSts: 'RJCT', StsRsnInf: reason },
              ],
            },
          ],
        },
      },
    });
  });

  it.each(decisions)('answers %s in a pain.014 the package validation accepts', (_what, decision) => {
    const built = paymentRequestStatusReport(pain013, decision, envelope);
    const xml = toXml(built.messageId, built.document);
    expect(validateXml(xml)).toMatchObject({ valid: true, messageId: 'pain.014.001.07', issues: [] });
  });

  describeOfficial('against the official pain.014.001.07 XSD', () => {
    it.each(decisions)('answers %s in a pain.014 it accepts, written by the engine and by an independent writer', (_what, decision) => {
      const built = paymentRequestStatusReport(pain013, decision, envelope);
      expect(officialXsdProblems(toXml(built.messageId, built.document))).toEqual([]);
      expect(officialXsdProblems(plainXml(built.messageId, built.document))).toEqual([]);
    });

    it('answers a request with two debtor agents in a pain.014 it accepts', () => {
      const built = paymentRequestStatusReport(twoDebtorAgents, { status: 'RJCT', reason: 'RC01' }, { ...envelope, initiatingPartyBic: 'MXFLDEFFXXX' });
      expect(officialXsdProblems(toXml(built.messageId, built.document))).toEqual([]);
    });
  });

  it.each(decisions)('gives %s to every request the pain.013 holds, as the answer reader reads it back', (_what, decision) => {
    const built = paymentRequestStatusReport(twoDebtorAgents, decision, { ...envelope, initiatingPartyBic: 'MXFLDEFFXXX' });
    const read = paymentRequestAnswers(parseMessage(toXml(built.messageId, built.document)).document);
    expect(read.originalMsgId).toBe('BNPA-RTP-20261127-0042');
    expect(read.groupStatus).toBe(decision.status);
    expect(read.answers).toEqual(
      paymentRequests(twoDebtorAgents).requests.map((asked) =>
        Object.fromEntries(
          Object.entries({
            originalPaymentInformationId: asked.paymentInformationId,
            originalInstructionId: asked.instructionId,
            originalEndToEndId: asked.endToEndId,
            originalUetr: asked.uetr,
            status: decision.status,
            reasonCode: decision.reason,
            additionalInfo: decision.additionalInfo,
          }).filter(([, value]) => value !== undefined),
        ),
      ),
    );
  });

  it('names no agent in the header when the blocks name different debtor agents, and is sent for the BIC given', () => {
    const header = (paymentRequestStatusReport(twoDebtorAgents, { status: 'ACTC' }, { ...envelope, initiatingPartyBic: 'MXFLDEFFXXX' }).document.CdtrPmtActvtnReqStsRpt as JsonObject)
      .GrpHdr as JsonObject;
    expect(header).toEqual({
      MsgId: 'MXFL-RTPSTS-20261130-0001',
      CreDtTm: '2026-11-30T00:00:00.412Z',
      InitgPty: { Id: { OrgId: { AnyBIC: 'MXFLDEFFXXX' } } },
      CdtrAgt: { FinInstnId: { BICFI: 'BNPAFRPPXXX' } },
    });
  });

  it('answers a request whose amounts cannot be read: it does not read amounts', () => {
    const unreadable = request((root) => {
      transfer(root, 1).Amt = { EqvtAmt: { Amt: { value: '150.00', Ccy: 'USD' }, CcyOfTrf: 'EUR' } };
      transfer(root, 0).Amt = { InstdAmt: { value: '1250.00', Ccy: 'XXX' } };
    });
    const built = paymentRequestStatusReport(unreadable, { status: 'RJCT', reason: 'AM03' }, envelope);
    expect(validateXml(toXml(built.messageId, built.document)).valid).toBe(true);
    expect(paymentRequestAnswers(built.document).answers.map((read) => [read.originalEndToEndId, read.status, read.reasonCode])).toEqual([
      ['INV-2026-11-0811', 'RJCT', 'AM03'],
      ['INV-2026-11-0812', 'RJCT', 'AM03'],
    ]);
  });

  it.each<[string, unknown, PaymentRequestDecision, PaymentRequestReportEnvelope, string]>([
    ['a status it does not give', pain013, { status: 'ACSC' as PaymentRequestDecision['status'] }, envelope, 'status'],
    ['RJCT without a reason', pain013, { status: 'RJCT' }, envelope, 'reason'],
    ['a reason that is not a code', pain013, { status: 'RJCT', reason: 'expired' }, envelope, 'reason'],
    ['additional information over 105 characters', pain013, { status: 'ACCP', additionalInfo: 'x'.repeat(106) }, envelope, 'additionalInfo'],
    ['empty additional information', pain013, { status: 'ACCP', additionalInfo: '' }, envelope, 'additionalInfo'],
    ['a MsgId over 35 characters', pain013, { status: 'ACCP' }, { ...envelope, msgId: 'M'.repeat(36) }, 'msgId'],
    ['a creation time without milliseconds', pain013, { status: 'ACCP' }, { ...envelope, creationDateTime: '2026-11-30T00:00:00Z' }, 'creationDateTime'],
    ['an initiating party that is not a BIC', pain013, { status: 'ACCP' }, { ...envelope, initiatingPartyBic: 'MXFL-DE' }, 'initiatingPartyBic'],
    ['two debtor agents and no initiating party', twoDebtorAgents, { status: 'ACCP' }, envelope, 'initiatingPartyBic'],
    ['a request without GrpHdr', request((root) => delete root.GrpHdr), { status: 'ACCP' }, envelope, '$.CdtrPmtActvtnReq.GrpHdr'],
    ['a request without MsgId', request((root) => delete (root.GrpHdr as JsonObject).MsgId), { status: 'ACCP' }, envelope, '$.CdtrPmtActvtnReq.GrpHdr.MsgId'],
    ['a request without PmtInf', request((root) => delete root.PmtInf), { status: 'ACCP' }, envelope, '$.CdtrPmtActvtnReq.PmtInf'],
    ['a block without PmtInfId', request((root) => delete block(root).PmtInfId), { status: 'RJCT', reason: 'AB05' }, envelope, '$.CdtrPmtActvtnReq.PmtInf[0].PmtInfId'],
    ['a block without transfers', request((root) => delete block(root).CdtTrfTx), { status: 'ACCP' }, envelope, '$.CdtrPmtActvtnReq.PmtInf[0].CdtTrfTx'],
    [
      'a transfer without EndToEndId',
      request((root) => delete (transfer(root, 1).PmtId as JsonObject).EndToEndId),
      { status: 'ACCP' },
      envelope,
      '$.CdtrPmtActvtnReq.PmtInf[0].CdtTrfTx[1].PmtId.EndToEndId',
    ],
  ])('refuses %s, naming it', (_what, original, decision, given, where) => {
    const error = thrownBy(() => paymentRequestStatusReport(original, decision, given));
    expect(error).toBeInstanceOf(BuildInputError);
    expect(error).toBeInstanceOf(Iso20022Error);
    expect(error).toMatchObject({ name: 'BuildInputError', path: where });
  });

  it.each<[string, unknown, string]>([
    ['a pain.001', pain001, '$.CdtrPmtActvtnReq'],
    ['a wrapped pain.001', { Document: pain001 }, '$.Document.CdtrPmtActvtnReq'],
  ])('refuses %s as the original, naming the path', (_what, original, where) => {
    const error = thrownBy(() => paymentRequestStatusReport(original, { status: 'RJCT', reason: 'AB05' }, envelope));
    expect(error).toBeInstanceOf(NotAPaymentRequestError);
    expect(error).toMatchObject({ name: 'NotAPaymentRequestError', path: where });
  });
});
