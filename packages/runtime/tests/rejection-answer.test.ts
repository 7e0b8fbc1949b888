import { decodeOutgoing } from '@mxflow/contracts';
import { buildResponse, toJson, toXml, validateXml } from '@mxflow/iso20022';
import type { TransactionStep, TransactionSummary } from '@mxflow/store';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { paymentXml } from '../../e2e/src/payment';
import { cancellationXml, statusRequestXml } from '../../e2e/src/post-transactional';
import { rejectionAnswer } from '../src';

const TRANSACTION = '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11';
const ORIGINAL = { msgId: 'MSG-ORIGINAL-1', endToEndId: 'E2E-ORIGINAL-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' };

const summary = (extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: TRANSACTION,
  status: 'RJCT',
  senderEntity: 'ent-alpha',
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:10.500Z',
  final: true,
  deadline: '2026-12-02T09:00:10.000Z',
  ...extra,
});

const step: TransactionStep = {
  transactionId: TRANSACTION,
  step: 'timeout#RJCT',
  status: 'RJCT',
  timestamp: '2026-12-02T09:00:10.500Z',
  requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
  final: true,
  reasonCode: 'AB05',
  detail: 'no final status by its deadline 2026-12-02T09:00:10.000Z',
};

const bytes = (xml: string): Uint8Array => Buffer.from(xml, 'utf8');

describe('rejectionAnswer', () => {
  it.each([
    ['a pacs.008', paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '12.50' }).xml, 'outgoing.pacs.002', 'pacs.002', '<TxSts>RJCT</TxSts>'],
    ['a camt.056', cancellationXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', original: ORIGINAL }).xml, 'outgoing.camt.029', 'camt.029', '<Conf>RJCR</Conf>'],
    ['a pacs.028', statusRequestXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', original: ORIGINAL }).xml, 'outgoing.pacs.002', 'pacs.002', '<TxSts>RJCT</TxSts>'],
  ])('answers %s that timed out with an AB05 rejection to its sender, valid by the project schema and the official XSD', (_case, received, topic, messageType, status) => {
    const record = rejectionAnswer(step, summary(), bytes(received));
    expect(record).toMatchObject({ topic, message: { key: 'ent-alpha' } });
    const outgoing = decodeOutgoing(topic, (record as NonNullable<typeof record>).message.value);
    expect(outgoing).toMatchObject({ messageType, transactionId: TRANSACTION, requestId: step.requestId, receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'AB05' });
    const xml = toXml(outgoing.messageId, outgoing.document);
    expect(validateXml(xml)).toMatchObject({ valid: true, messageType, issues: [] });
    expect(officialXsdProblems(xml)).toEqual([]);
    expect(xml).toContain(status);
    expect(xml).toContain('<Cd>AB05</Cd>');
    expect(xml).toContain('no final status by its deadline 2026-12-02T09:00:10.000Z');
    expect(xml).toContain(`<CreDtTm>${step.timestamp}</CreDtTm>`);
  });

  it('builds the same bytes for the same rejection', () => {
    const received = bytes(paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '1.00' }).xml);
    expect(rejectionAnswer(step, summary(), received)).toEqual(rejectionAnswer(step, summary(), received));
  });

  it('gives nothing for a message of a type that gets no response', () => {
    const payment = toJson(paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '1.00' }).xml);
    const report = buildResponse(payment.messageId, payment.document, { status: 'ACSC' }, { msgId: 'R1', creationDateTime: '2026-12-02T09:00:01.000Z' });
    expect(rejectionAnswer(step, summary(), bytes(toXml(report.messageId, report.document)))).toBeUndefined();
  });

  it('gives nothing when nobody is known to answer', () => {
    const received = bytes(paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '1.00' }).xml);
    expect(rejectionAnswer(step, summary({ senderEntity: undefined }), received)).toBeUndefined();
  });

  it('answers a refusal at the door with its own reason code and words', () => {
    const refusal = { ...step, step: 'incoming#RJCT', reasonCode: 'AM12', detail: 'the amount must be positive' };
    const record = rejectionAnswer(refusal, summary(), bytes(paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '2.00' }).xml));
    const outgoing = decodeOutgoing('outgoing.pacs.002', (record as NonNullable<typeof record>).message.value);
    expect(outgoing).toMatchObject({ status: 'RJCT', reasonCode: 'AM12' });
    const xml = toXml(outgoing.messageId, outgoing.document);
    expect(xml).toContain('<Cd>AM12</Cd>');
    expect(xml).toContain('the amount must be positive');
  });
});
