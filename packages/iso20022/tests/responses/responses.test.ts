import {
  buildResponse,
  resolutionOfCancellation,
  ResponseInputError,
  statusReportForCreditTransfer,
  statusReportForReturn,
  statusReportForStatusRequest,
  type BuiltMessage,
} from '../../src/responses';
import { toXml } from '../../src/index';
import { camt056, pacs004, pacs008, uetr } from '../rules/documents';
import { officialXsdProblems, plainXml } from './official-xsd';

const envelope = { msgId: 'RSP-20261127-0001', creationDateTime: '2026-11-27T10:15:30.123Z' };

function pacs028(): Record<string, unknown> {
  return {
    FIToFIPmtStsReq: {
      GrpHdr: {
        MsgId: 'STSREQ-1',
        CreDtTm: '2026-11-27T12:00:00.000Z',
        InstgAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
        InstdAgt: { FinInstnId: { BICFI: 'BNPAFRPP' } },
      },
      OrgnlGrpInf: [{ OrgnlMsgId: 'MSG-20261127-0001', OrgnlMsgNmId: 'pacs.008.001.08', OrgnlCreDtTm: '2026-11-27T09:30:00.000Z' }],
      TxInf: [{ StsReqId: 'STSREQ-1-1', OrgnlInstrId: 'INSTR-1', OrgnlEndToEndId: 'E2E-1', OrgnlTxId: 'TX-1', OrgnlUETR: uetr }],
    },
  };
}

const valid = (built: BuiltMessage) => officialXsdProblems(plainXml(built.messageId, built.document));

describe('the official XSD check', () => {
  it('refuses a pacs.002 whose elements are out of order', () => {
    const { document } = statusReportForCreditTransfer(pacs008(), { status: 'ACSC' }, envelope);
    const report = document.FIToFIPmtStsRpt as Record<string, unknown>;
    const swapped = { FIToFIPmtStsRpt: { OrgnlGrpInfAndSts: report.OrgnlGrpInfAndSts, GrpHdr: report.GrpHdr } };
    expect(officialXsdProblems(plainXml('pacs.002.001.10', swapped))).not.toEqual([]);
  });
});

describe('statusReportForCreditTransfer', () => {
  it.each([
    ['ACSC', undefined, undefined],
    ['ACSP', undefined, undefined],
    ['RJCT', 'AM04', 'Insufficient funds on the debtor account'],
  ] as const)('answers a pacs.008 with %s in a pacs.002 the official XSD accepts', (status, reason, additionalInfo) => {
    const built = statusReportForCreditTransfer(pacs008(), { status, reason, additionalInfo }, envelope);
    expect(built.messageId).toBe('pacs.002.001.10');
    expect(valid(built)).toEqual([]);
  });

  it('echoes the original group and every transaction reference', () => {
    const { document } = statusReportForCreditTransfer(pacs008(), { status: 'RJCT', reason: 'AM04', additionalInfo: 'Insufficient funds' }, envelope);
    expect(document).toEqual({
      FIToFIPmtStsRpt: {
        GrpHdr: {
          MsgId: 'RSP-20261127-0001',
          CreDtTm: '2026-11-27T10:15:30.123Z',
          InstgAgt: { FinInstnId: { BICFI: 'BNPAFRPP' } },
          InstdAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
        },
        OrgnlGrpInfAndSts: [{ OrgnlMsgId: 'MSG-20261127-0001', OrgnlMsgNmId: 'pacs.008.001.08', OrgnlCreDtTm: '2026-11-27T09:30:00.000Z' }],
        TxInfAndSts: [
          {
            OrgnlInstrId: 'INSTR-1',
            OrgnlEndToEndId: 'E2E-1',
            OrgnlTxId: 'TX-1',
            OrgnlUETR: uetr,
            TxSts: 'RJCT',
            StsRsnInf: [{ Rsn: { Cd: 'AM04' }, AddtlInf: ['Insufficient funds'] }],
          },
          {
            OrgnlEndToEndId: 'E2E-2',
            OrgnlUETR: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
            TxSts: 'RJCT',
            StsRsnInf: [{ Rsn: { Cd: 'AM04' }, AddtlInf: ['Insufficient funds'] }],
          },
        ],
      },
    });
  });

  it('returns the same response for the same inputs', () => {
    const decision = { status: 'ACSC' } as const;
    expect(statusReportForCreditTransfer(pacs008(), decision, envelope)).toEqual(statusReportForCreditTransfer(pacs008(), decision, envelope));
  });

  it.each<[string, () => unknown]>([
    ['a rejection without reason code', () => statusReportForCreditTransfer(pacs008(), { status: 'RJCT' }, envelope)],
    ['a reason that is not a code', () => statusReportForCreditTransfer(pacs008(), { status: 'RJCT', reason: 'no money' }, envelope)],
    ['additional information over 105 characters', () => statusReportForCreditTransfer(pacs008(), { status: 'RJCT', reason: 'AM04', additionalInfo: 'x'.repeat(106) }, envelope)],
    ['a creation time without milliseconds', () => statusReportForCreditTransfer(pacs008(), { status: 'ACSC' }, { ...envelope, creationDateTime: '2026-11-27T10:15:30Z' })],
    ['a MsgId over 35 characters', () => statusReportForCreditTransfer(pacs008(), { status: 'ACSC' }, { ...envelope, msgId: 'M'.repeat(36) })],
    ['an original that is not a pacs.008', () => statusReportForCreditTransfer(pacs004(), { status: 'ACSC' }, envelope)],
  ])('refuses %s', (_case, build) => {
    expect(build).toThrow(ResponseInputError);
  });
});

describe('statusReportForReturn', () => {
  it.each([['ACSC'], ['RJCT']] as const)('answers a pacs.004 with %s in a pacs.002 the official XSD accepts', (status) => {
    const built = statusReportForReturn(pacs004(), { status, reason: status === 'RJCT' ? 'AC04' : undefined }, envelope);
    expect(valid(built)).toEqual([]);
    expect(built.document.FIToFIPmtStsRpt).toMatchObject({
      OrgnlGrpInfAndSts: [{ OrgnlMsgId: 'RTR-1', OrgnlMsgNmId: 'pacs.004.001.09' }],
      TxInfAndSts: [{ OrgnlInstrId: 'RTR-1-1', OrgnlEndToEndId: 'E2E-1', OrgnlUETR: uetr, TxSts: status }],
    });
  });
});

describe('statusReportForStatusRequest', () => {
  it('reports the current status of the asked transaction', () => {
    const built = statusReportForStatusRequest(pacs028(), { status: 'ACSP' }, envelope);
    expect(valid(built)).toEqual([]);
    expect(built.document.FIToFIPmtStsRpt).toMatchObject({
      GrpHdr: { InstgAgt: { FinInstnId: { BICFI: 'BNPAFRPP' } } },
      OrgnlGrpInfAndSts: [{ OrgnlMsgId: 'MSG-20261127-0001', OrgnlMsgNmId: 'pacs.008.001.08' }],
      TxInfAndSts: [{ OrgnlInstrId: 'INSTR-1', OrgnlEndToEndId: 'E2E-1', OrgnlTxId: 'TX-1', OrgnlUETR: uetr, TxSts: 'ACSP' }],
    });
  });

  it('reports at group level when the request names only the group', () => {
    const request = pacs028();
    delete (request.FIToFIPmtStsReq as Record<string, unknown>).TxInf;
    const built = statusReportForStatusRequest(request, { status: 'RJCT', reason: 'AM04' }, envelope);
    expect(valid(built)).toEqual([]);
    expect(built.document.FIToFIPmtStsRpt).toMatchObject({ OrgnlGrpInfAndSts: [{ GrpSts: 'RJCT', StsRsnInf: [{ Rsn: { Cd: 'AM04' } }] }] });
  });
});

describe('resolutionOfCancellation', () => {
  it.each([
    ['CNCL', undefined, 'ACCR'],
    ['RJCR', 'LEGL', 'RJCR'],
    ['PDCR', undefined, 'PDCR'],
  ] as const)('resolves a camt.056 with %s in a camt.029 the official XSD accepts', (status, reason, transactionStatus) => {
    const built = resolutionOfCancellation(camt056(), { status, reason }, envelope);
    expect(built.messageId).toBe('camt.029.001.09');
    expect(valid(built)).toEqual([]);
    expect(built.document.RsltnOfInvstgtn).toMatchObject({
      Assgnmt: {
        Id: 'RSP-20261127-0001',
        Assgnr: { Agt: { FinInstnId: { BICFI: 'BNPAFRPP' } } },
        Assgne: { Agt: { FinInstnId: { BICFI: 'COBADEFFXXX' } } },
        CreDtTm: '2026-11-27T10:15:30.123Z',
      },
      Sts: { Conf: status },
      CxlDtls: [{ TxInfAndSts: [{ OrgnlEndToEndId: 'E2E-1', OrgnlUETR: uetr, TxCxlSts: transactionStatus }, { OrgnlEndToEndId: 'E2E-2', TxCxlSts: transactionStatus }] }],
    });
  });

  it('refuses a rejected cancellation without reason', () => {
    expect(() => resolutionOfCancellation(camt056(), { status: 'RJCR' }, envelope)).toThrow(ResponseInputError);
  });
});

describe('buildResponse', () => {
  it.each<[string, string, string, () => Record<string, unknown>]>([
    ['pacs.008.001.08', 'ACSC', 'pacs.002.001.10', pacs008],
    ['pacs.004.001.09', 'ACSP', 'pacs.002.001.10', pacs004],
    ['pacs.028.001.03', 'ACSC', 'pacs.002.001.10', pacs028],
    ['camt.056.001.08', 'CNCL', 'camt.029.001.09', camt056],
  ])('answers a %s with %s in a %s', (messageId, status, responseId, original) => {
    const built = buildResponse(messageId, original(), { status: status as 'ACSC' }, envelope);
    expect(built.messageId).toBe(responseId);
    expect(valid(built)).toEqual([]);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['pacs.008.001.08', 'RJCT', pacs008],
    ['pacs.004.001.09', 'RJCT', pacs004],
    ['pacs.028.001.03', 'RJCT', pacs028],
    ['camt.056.001.08', 'RJCR', camt056],
  ])('answers a %s with %s that the engine writes as XML the official XSD accepts', (messageId, status, original) => {
    const built = buildResponse(messageId, original(), { status: status as 'RJCT', reason: 'AM04', additionalInfo: 'Insufficient funds' }, envelope);
    const xml = toXml(built.messageId, built.document);
    expect(xml).toContain('<Cd>AM04</Cd>');
    expect(officialXsdProblems(xml)).toEqual([]);
  });

  it.each<[string, string, () => Record<string, unknown>]>([
    ['pacs.008.001.08', 'CNCL', pacs008],
    ['camt.056.001.08', 'ACSC', camt056],
    ['pacs.002.001.10', 'ACSC', pacs008],
  ])('refuses to answer a %s with %s', (messageId, status, original) => {
    expect(() => buildResponse(messageId, original(), { status: status as 'ACSC' }, envelope)).toThrow(ResponseInputError);
  });
});
