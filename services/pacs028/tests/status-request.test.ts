import { decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { toJson, toXml, validateXml } from '@mxflow/iso20022';
import type { TransactionSummary } from '@mxflow/store';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { statusRequestXml } from '../../../packages/e2e/src/post-transactional';
import { answerOf, reportedStatus, type Report } from '../src/domain/status-request';

const summary = (status: string, extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: '0b7e4a9c-1d2f-4e3a-8b5c-6d7e8f9a0b1c',
  status,
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:01.000Z',
  final: status !== 'RCVD' && status !== 'ACTC' && status !== 'ACSP',
  ...extra,
});

describe('reportedStatus', () => {
  it.each([
    ['a settled payment', 'ACSC', { status: 'ACSC' }],
    ['a partly returned payment as settled, with words', 'PART', { status: 'ACSC', detail: 'settled; part of it was returned since' }],
    ['a returned payment as settled, with words', 'RTND', { status: 'ACSC', detail: 'settled; returned in full since' }],
    ['a cancelled payment', 'CANC', { status: 'CANC' }],
    ['a received payment', 'RCVD', { status: 'RCVD' }],
    ['an accepted payment', 'ACTC', { status: 'ACTC' }],
    ['a payment being settled as accepted', 'ACSP', { status: 'ACTC' }],
  ])('reports %s (%s)', (_case, status, expected) => {
    expect(reportedStatus(summary(status))).toEqual(expected);
  });

  it('reports a rejected payment with its reason, and AB04 when it has none', () => {
    expect(reportedStatus(summary('RJCT', { reasonCode: 'AM04' }))).toEqual({ status: 'RJCT', reasonCode: 'AM04' });
    expect(reportedStatus(summary('RJCT'))).toEqual({ status: 'RJCT', reasonCode: 'AB04' });
  });

  it('reports an unknown payment (or another participant’s) as RJCT AG09, saying nothing about it', () => {
    expect(reportedStatus(undefined)).toEqual({ status: 'RJCT', reasonCode: 'AG09', detail: 'no such payment of this participant' });
  });
});

describe('answerOf', () => {
  const request = statusRequestXml({
    fromBic: 'ALPHDEFFXXX',
    toBic: 'BETAFRPPXXX',
    original: { msgId: 'MSG-ORIGINAL-1', endToEndId: 'E2E-ORIGINAL-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' },
  });
  const value: IncomingRecordValue = {
    messageId: 'pacs.028.001.03',
    messageType: 'pacs.028',
    transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
    requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
    senderEntity: 'ent-alpha',
    document: toJson(request.xml).document,
  };
  const at = '2026-12-02T09:00:04.567Z';

  it.each<[string, Report]>([
    ['a settled payment', { status: 'ACSC', originalTransactionId: 'o-1', at }],
    ['a returned payment, with words', { status: 'ACSC', detail: 'settled; returned in full since', at }],
    ['an unknown payment', { status: 'RJCT', reasonCode: 'AG09', detail: 'no such payment of this participant', at }],
    ['a payment in flight', { status: 'ACTC', at }],
  ])('answers about %s with a pacs.002 to the asker, valid by the project schema and the official XSD', (_case, report) => {
    const record = answerOf(value, report);
    expect(record).toMatchObject({ topic: 'outgoing.pacs.002', message: { key: 'ent-alpha' } });
    const outgoing = decodeOutgoing(record.topic, record.message.value);
    expect(outgoing).toMatchObject({ messageType: 'pacs.002', receiverEntity: 'ent-alpha', status: 'ANSW', transactionId: value.transactionId });
    expect(outgoing.reasonCode).toBe(report.reasonCode);
    const xml = toXml(outgoing.messageId, outgoing.document);
    expect(validateXml(xml)).toMatchObject({ valid: true, messageType: 'pacs.002', issues: [] });
    expect(officialXsdProblems(xml)).toEqual([]);
    expect(xml).toContain(`<TxSts>${report.status}</TxSts>`);
    if (report.reasonCode) expect(xml).toContain(`<Cd>${report.reasonCode}</Cd>`);
    if (report.detail) expect(xml).toContain(report.detail);
  });
});
