import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InvalidAmountError,
  Iso20022Error,
  money,
  NotAPaymentRequestAnswerError,
  NotAPaymentRequestError,
  parseMessage,
  paymentRequestAnswers,
  paymentRequests,
  ReaderInputError,
  toXml,
  validateXml,
  type JsonObject,
  type PaymentRequest,
  type PaymentRequestTransferAnswer,
} from '@mxflow/iso20022';
import { officialXsdProblems } from './responses/official-xsd';
import { officialXsdDir } from './support/paths';
import { thrownBy } from './support/thrown';

/** An error class, checked with `toBeInstanceOf` and by its name. */
type ErrorClass = new (path: string, message: string) => Error;

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const fixtures = {
  'pain.013.001.07': readFileSync(path.join(fixtureDir, 'pain.013.001.07/valid.xml'), 'utf8'),
  'pain.014.001.07': readFileSync(path.join(fixtureDir, 'pain.014.001.07/valid.xml'), 'utf8'),
};
const pain013 = parseMessage(fixtures['pain.013.001.07']).document;
const pain014 = parseMessage(fixtures['pain.014.001.07']).document;
const pain001 = parseMessage(readFileSync(path.join(fixtureDir, 'pain.001.001.09/valid.xml'), 'utf8')).document;

// The official XSDs live beside the repository, not in it: without them the check against them is skipped.
const present = existsSync(officialXsdDir);
const describeOfficial = present ? describe : describe.skip;
if (!present) console.warn(`official ISO 20022 XSDs not found (${path.basename(officialXsdDir)} beside the repository): the request-to-pay samples are not checked against the official pain.013/pain.014 XSDs`);

/** A deep copy of a fixture's JSON form with one change applied to its message root. */
function changed(document: JsonObject, root: string, change: (node: JsonObject) => void): JsonObject {
  const copy = structuredClone(document);
  change(copy[root] as JsonObject);
  return copy;
}
const request = (change: (node: JsonObject) => void): JsonObject => changed(pain013, 'CdtrPmtActvtnReq', change);
const answer = (change: (node: JsonObject) => void): JsonObject => changed(pain014, 'CdtrPmtActvtnReqStsRpt', change);
const block = (node: JsonObject, index = 0): JsonObject => (node.PmtInf as JsonObject[])[index];
const transfer = (node: JsonObject, index: number): JsonObject => (block(node).CdtTrfTx as JsonObject[])[index];
const statusBlock = (node: JsonObject, index = 0): JsonObject => (node.OrgnlPmtInfAndSts as JsonObject[])[index];
const transaction = (node: JsonObject, index: number): JsonObject => (statusBlock(node).TxInfAndSts as JsonObject[])[index];

const first: PaymentRequest = {
  paymentInformationId: 'MARTIN-RTP-0042',
  instructionId: 'MARTIN-INSTR-0042-1',
  endToEndId: 'INV-2026-11-0811',
  uetr: '3d2f8e41-7c0a-4b5e-9a61-0c4e2f7b9d13',
  amount: money('1250.00', 'EUR'),
  requestedExecutionDate: '2026-11-30',
  expiryDate: '2026-11-29T23:59:59.000Z',
  debtorAgentBic: 'COBADEFFXXX',
  creditorAgentBic: 'BNPAFRPPXXX',
  debtorName: 'Hansen Maschinenbau GmbH',
  creditorName: 'Boulangerie Martin SAS',
};
const second: PaymentRequest = {
  paymentInformationId: 'MARTIN-RTP-0042',
  endToEndId: 'INV-2026-11-0812',
  uetr: 'b6a0c3d9-58e2-4f17-8c24-91e7d05a6f38',
  amount: money('139.90', 'EUR'),
  requestedExecutionDate: '2026-11-30',
  expiryDate: '2026-11-29T23:59:59.000Z',
  debtorAgentBic: 'COBADEFFXXX',
  creditorAgentBic: 'BNPAFRPPXXX',
  debtorName: 'Hansen Maschinenbau GmbH',
  creditorName: 'Boulangerie Martin SAS',
};

describe('the request-to-pay samples', () => {
  it.each(Object.entries(fixtures))('%s passes the package validation and converts to JSON and back', (messageId, xml) => {
    expect(validateXml(xml)).toMatchObject({ valid: true, messageId, issues: [] });
    const parsed = parseMessage(xml);
    expect(parseMessage(toXml(messageId, parsed.document)).document).toEqual(parsed.document);
  });

  describeOfficial('against the official XSDs', () => {
    it.each(Object.entries(fixtures))('%s is valid against its official XSD', (_messageId, xml) => {
      expect(officialXsdProblems(xml)).toEqual([]);
    });
  });
});

describe('paymentRequests', () => {
  it('reads the pain.013 sample: group header and each requested transfer with its block', () => {
    expect(paymentRequests(pain013)).toEqual({
      msgId: 'BNPA-RTP-20261127-0042',
      creationDateTime: '2026-11-27T08:15:30.250Z',
      initiatingPartyName: 'Boulangerie Martin SAS',
      requests: [first, second],
    });
  });

  it.each<[string, JsonObject, Partial<PaymentRequest>[]]>([
    ['a document wrapped in Document', { Document: pain013 }, [{}, {}]],
    [
      'an execution time and an expiry date',
      request((node) => {
        block(node).ReqdExctnDt = { DtTm: '2026-11-30T10:00:00+01:00' };
        block(node).XpryDt = { Dt: '2026-12-01' };
      }),
      [
        { requestedExecutionDate: '2026-11-30T10:00:00+01:00', expiryDate: '2026-12-01' },
        { requestedExecutionDate: '2026-11-30T10:00:00+01:00', expiryDate: '2026-12-01' },
      ],
    ],
    [
      'a request that does not expire',
      request((node) => {
        delete block(node).XpryDt;
      }),
      [{ expiryDate: undefined }, { expiryDate: undefined }],
    ],
    [
      'a debtor agent without BIC and a creditor without name',
      request((node) => {
        block(node).DbtrAgt = { FinInstnId: { ClrSysMmbId: { MmbId: '37040044' } } };
        transfer(node, 1).Cdtr = { PstlAdr: { Ctry: 'FR' } };
      }),
      [{ debtorAgentBic: undefined }, { debtorAgentBic: undefined, creditorName: undefined }],
    ],
    [
      'an amount in a currency without decimals',
      request((node) => {
        transfer(node, 1).Amt = { InstdAmt: { value: '15000', Ccy: 'JPY' } };
      }),
      [{}, { amount: { minor: 15000n, currency: 'JPY', exponent: 0 } }],
    ],
  ])('reads %s', (_what, document, changes) => {
    const expected = [first, second].map((base, index) => Object.fromEntries(Object.entries({ ...base, ...changes[index] }).filter(([, value]) => value !== undefined)));
    expect(paymentRequests(document).requests).toEqual(expected);
  });

  it('reads every block in message order, each transfer with its own block', () => {
    const document = request((node) => {
      const other = structuredClone(block(node));
      other.PmtInfId = 'MARTIN-RTP-0043';
      other.DbtrAgt = { FinInstnId: { BICFI: 'DEUTDEFFXXX' } };
      other.Dbtr = { Nm: 'Weber Logistik KG' };
      other.CdtTrfTx = [transfer(node, 0)];
      (node.PmtInf as JsonObject[]).push(other);
    });
    expect(paymentRequests(document).requests.map((read) => [read.paymentInformationId, read.endToEndId, read.debtorAgentBic, read.debtorName])).toEqual([
      ['MARTIN-RTP-0042', 'INV-2026-11-0811', 'COBADEFFXXX', 'Hansen Maschinenbau GmbH'],
      ['MARTIN-RTP-0042', 'INV-2026-11-0812', 'COBADEFFXXX', 'Hansen Maschinenbau GmbH'],
      ['MARTIN-RTP-0043', 'INV-2026-11-0811', 'DEUTDEFFXXX', 'Weber Logistik KG'],
    ]);
  });

  it.each<[string, unknown, ErrorClass, string]>([
    ['a pain.001', pain001, NotAPaymentRequestError, '$.CdtrPmtActvtnReq'],
    ['a pain.014', pain014, NotAPaymentRequestError, '$.CdtrPmtActvtnReq'],
    ['a wrapped document of another message', { Document: pain014 }, NotAPaymentRequestError, '$.Document.CdtrPmtActvtnReq'],
    ['a root that is not an object', { CdtrPmtActvtnReq: 'pain.013' }, NotAPaymentRequestError, '$.CdtrPmtActvtnReq'],
    ['no document at all', undefined, NotAPaymentRequestError, '$.CdtrPmtActvtnReq'],
    ['a request without GrpHdr', request((node) => delete node.GrpHdr), ReaderInputError, '$.CdtrPmtActvtnReq.GrpHdr'],
    ['a request without PmtInf', request((node) => delete node.PmtInf), ReaderInputError, '$.CdtrPmtActvtnReq.PmtInf'],
    ['a block without PmtInfId', request((node) => delete block(node).PmtInfId), ReaderInputError, '$.CdtrPmtActvtnReq.PmtInf[0].PmtInfId'],
    [
      'a transfer without EndToEndId',
      request((node) => delete (transfer(node, 1).PmtId as JsonObject).EndToEndId),
      ReaderInputError,
      '$.CdtrPmtActvtnReq.PmtInf[0].CdtTrfTx[1].PmtId.EndToEndId',
    ],
    [
      'an expiry with neither date nor time',
      request((node) => (block(node).XpryDt = {})),
      ReaderInputError,
      '$.CdtrPmtActvtnReq.PmtInf[0].XpryDt.Dt',
    ],
    [
      'a transfer with an equivalent amount only',
      request((node) => (transfer(node, 1).Amt = { EqvtAmt: { Amt: { value: '150.00', Ccy: 'USD' }, CcyOfTrf: 'EUR' } })),
      ReaderInputError,
      '$.CdtrPmtActvtnReq.PmtInf[0].CdtTrfTx[1].Amt.EqvtAmt',
    ],
    [
      'an amount with more decimals than its currency has',
      request((node) => (transfer(node, 0).Amt = { InstdAmt: { value: '1250.001', Ccy: 'EUR' } })),
      InvalidAmountError,
      '$.CdtrPmtActvtnReq.PmtInf[0].CdtTrfTx[0].Amt.InstdAmt',
    ],
  ])('refuses %s, naming the path', (_what, document, type, where) => {
    const error = thrownBy(() => paymentRequests(document));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(Iso20022Error);
    expect(error).toMatchObject({ path: where, name: type.name });
  });
});

describe('paymentRequestAnswers', () => {
  it('reads the pain.014 sample: the request answered and one answer per transfer', () => {
    expect(paymentRequestAnswers(pain014)).toEqual({
      originalMsgId: 'BNPA-RTP-20261127-0042',
      originalMessageName: 'pain.013.001.07',
      groupStatus: 'PART',
      answers: [
        {
          originalPaymentInformationId: 'MARTIN-RTP-0042',
          originalInstructionId: 'MARTIN-INSTR-0042-1',
          originalEndToEndId: 'INV-2026-11-0811',
          originalUetr: '3d2f8e41-7c0a-4b5e-9a61-0c4e2f7b9d13',
          status: 'ACCP',
        },
        {
          originalPaymentInformationId: 'MARTIN-RTP-0042',
          originalEndToEndId: 'INV-2026-11-0812',
          originalUetr: 'b6a0c3d9-58e2-4f17-8c24-91e7d05a6f38',
          status: 'RJCT',
          reasonCode: 'MS02',
          additionalInfo: 'Delivery charges disputed by the debtor',
        },
      ],
    });
  });

  const refs = { originalPaymentInformationId: 'MARTIN-RTP-0042', originalEndToEndId: 'INV-2026-11-0812', originalUetr: 'b6a0c3d9-58e2-4f17-8c24-91e7d05a6f38' };

  it.each<[string, JsonObject, PaymentRequestTransferAnswer]>([
    ['a wrapped document', { Document: pain014 }, { ...refs, status: 'RJCT', reasonCode: 'MS02', additionalInfo: 'Delivery charges disputed by the debtor' }],
    [
      'a transfer without status: the block status and its reason',
      answer((node) => {
        delete transaction(node, 1).TxSts;
        delete transaction(node, 1).StsRsnInf;
        statusBlock(node).PmtInfSts = 'RJCT';
        statusBlock(node).StsRsnInf = [{ Rsn: { Cd: 'AB05' }, AddtlInf: ['Request expired', 'second line'] }];
      }),
      { ...refs, status: 'RJCT', reasonCode: 'AB05', additionalInfo: 'Request expired' },
    ],
    [
      'a transfer without status in a block without status: the group status and reason',
      answer((node) => {
        delete transaction(node, 1).TxSts;
        delete transaction(node, 1).StsRsnInf;
        delete statusBlock(node).PmtInfSts;
        (node.OrgnlGrpInfAndSts as JsonObject).GrpSts = 'RJCT';
        (node.OrgnlGrpInfAndSts as JsonObject).StsRsnInf = [{ Rsn: { Cd: 'RC01' } }];
      }),
      { ...refs, status: 'RJCT', reasonCode: 'RC01' },
    ],
    [
      'a transfer with a status of its own: no reason of the block',
      answer((node) => {
        delete transaction(node, 1).StsRsnInf;
        statusBlock(node).StsRsnInf = [{ Rsn: { Cd: 'AB05' } }];
      }),
      { ...refs, status: 'RJCT' },
    ],
    [
      'a reason without status on the transfer: its own reason with the block status',
      answer((node) => {
        delete transaction(node, 1).TxSts;
        statusBlock(node).PmtInfSts = 'RJCT';
        statusBlock(node).StsRsnInf = [{ Rsn: { Cd: 'AB05' } }];
      }),
      { ...refs, status: 'RJCT', reasonCode: 'MS02', additionalInfo: 'Delivery charges disputed by the debtor' },
    ],
    [
      'a proprietary reason: its text but no code',
      answer((node) => {
        transaction(node, 1).StsRsnInf = [{ Rsn: { Prtry: 'DEBTOR-DECLINED' }, AddtlInf: ['Declined in the banking app'] }];
      }),
      { ...refs, status: 'RJCT', additionalInfo: 'Declined in the banking app' },
    ],
  ])('reads %s', (_what, document, expected) => {
    expect(paymentRequestAnswers(document).answers[1]).toEqual(expected);
  });

  it('answers for a block reported without transfers, and for a report without blocks', () => {
    const blockOnly = answer((node) => {
      delete statusBlock(node).TxInfAndSts;
      statusBlock(node).PmtInfSts = 'RJCT';
      statusBlock(node).StsRsnInf = [{ Rsn: { Cd: 'AB05' } }];
    });
    expect(paymentRequestAnswers(blockOnly).answers).toEqual([{ originalPaymentInformationId: 'MARTIN-RTP-0042', status: 'RJCT', reasonCode: 'AB05' }]);

    const groupOnly = answer((node) => {
      delete node.OrgnlPmtInfAndSts;
      (node.OrgnlGrpInfAndSts as JsonObject).GrpSts = 'PDNG';
    });
    expect(paymentRequestAnswers(groupOnly)).toEqual({
      originalMsgId: 'BNPA-RTP-20261127-0042',
      originalMessageName: 'pain.013.001.07',
      groupStatus: 'PDNG',
      answers: [{ status: 'PDNG' }],
    });
  });

  it.each<[string, unknown, ErrorClass, string]>([
    ['a pain.013', pain013, NotAPaymentRequestAnswerError, '$.CdtrPmtActvtnReqStsRpt'],
    ['a wrapped pain.013', { Document: pain013 }, NotAPaymentRequestAnswerError, '$.Document.CdtrPmtActvtnReqStsRpt'],
    ['a root that is an array', { CdtrPmtActvtnReqStsRpt: [] }, NotAPaymentRequestAnswerError, '$.CdtrPmtActvtnReqStsRpt'],
    ['a report without OrgnlGrpInfAndSts', answer((node) => delete node.OrgnlGrpInfAndSts), ReaderInputError, '$.CdtrPmtActvtnReqStsRpt.OrgnlGrpInfAndSts'],
    [
      'a report without OrgnlMsgId',
      answer((node) => delete (node.OrgnlGrpInfAndSts as JsonObject).OrgnlMsgId),
      ReaderInputError,
      '$.CdtrPmtActvtnReqStsRpt.OrgnlGrpInfAndSts.OrgnlMsgId',
    ],
    [
      'a status that is not text',
      answer((node) => (transaction(node, 0).TxSts = { Cd: 'ACCP' })),
      ReaderInputError,
      '$.CdtrPmtActvtnReqStsRpt.OrgnlPmtInfAndSts[0].TxInfAndSts[0].TxSts',
    ],
  ])('refuses %s, naming the path', (_what, document, type, where) => {
    const error = thrownBy(() => paymentRequestAnswers(document));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(Iso20022Error);
    expect(error).toMatchObject({ path: where, name: type.name });
  });
});
