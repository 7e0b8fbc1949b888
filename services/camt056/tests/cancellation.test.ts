import { CancellationStatus, decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { toJson, toXml, validateXml } from '@mxflow/iso20022';
import type { TransactionSummary } from '@mxflow/store';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { cancellationXml } from '../../../packages/e2e/src/post-transactional';
import { answerOf, handleCancellation, refusalFor, type CancellationPorts, type Resolution } from '../src/domain/cancellation';

const summary = (status: string, extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: '0b7e4a9c-1d2f-4e3a-8b5c-6d7e8f9a0b1c',
  status,
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:01.000Z',
  final: true,
  ...extra,
});

describe('refusalFor', () => {
  it.each([
    ['a settled payment', 'ACSC', 'PTNA', /return \(pacs\.004\)/],
    ['a partly returned payment', 'PART', 'ARDT', /already returned/],
    ['a returned payment', 'RTND', 'ARDT', /already returned/],
    ['a cancelled payment', 'CANC', 'NARR', /already cancelled/],
  ])('refuses to cancel %s (%s) with %s', (_case, status, reasonCode, detail) => {
    const refusal = refusalFor(summary(status));
    expect(refusal.reasonCode).toBe(reasonCode);
    expect(refusal.detail).toMatch(detail);
  });

  it('says in words why a rejected payment cannot be cancelled, with its reason', () => {
    expect(refusalFor(summary('RJCT', { reasonCode: 'AB05' }))).toEqual({ reasonCode: 'NARR', detail: 'the payment was rejected (AB05) and never settled' });
    expect(refusalFor(summary('RJCT')).detail).toBe('the payment was rejected (no reason) and never settled');
  });

  it('names any other status in words', () => {
    expect(refusalFor(summary('ACSP'))).toEqual({ reasonCode: 'NARR', detail: 'the payment is ACSP' });
  });
});

describe('answerOf', () => {
  const request = cancellationXml({
    fromBic: 'ALPHDEFFXXX',
    toBic: 'BETAFRPPXXX',
    original: { msgId: 'MSG-ORIGINAL-1', endToEndId: 'E2E-ORIGINAL-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' },
    amount: '12.50',
  });
  const value: IncomingRecordValue = {
    messageId: 'camt.056.001.08',
    messageType: 'camt.056',
    transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
    requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
    senderEntity: 'ent-alpha',
    document: toJson(request.xml).document,
  };

  it.each<[string, Resolution]>([
    ['a cancellation (CNCL)', { status: CancellationStatus.CNCL, originalTransactionId: 'o-1', at: '2026-12-02T09:00:02.345Z' }],
    [
      'a refusal (RJCR PTNA) with its words',
      { status: CancellationStatus.RJCR, reasonCode: 'PTNA', detail: 'the payment settled and reached its receiver; ask for a return (pacs.004)', at: '2026-12-02T09:00:02.345Z' },
    ],
  ])('answers %s with a camt.029 to the requester that is valid by the project schema and the official XSD', (_case, resolution) => {
    const record = answerOf(value, resolution);
    expect(record.topic).toBe('outgoing.camt.029');
    expect(record.message.key).toBe('ent-alpha');
    const outgoing = decodeOutgoing(record.topic, record.message.value);
    expect(outgoing).toMatchObject({ messageType: 'camt.029', transactionId: value.transactionId, receiverEntity: 'ent-alpha', status: 'ANSW' });
    expect(outgoing.reasonCode).toBe(resolution.reasonCode);

    const xml = toXml(outgoing.messageId, outgoing.document);
    expect(validateXml(xml)).toMatchObject({ valid: true, messageType: 'camt.029', issues: [] });
    expect(officialXsdProblems(xml)).toEqual([]);
    expect(xml).toContain(`<Conf>${resolution.status}</Conf>`);
    expect(xml).toContain('<CreDtTm>2026-12-02T09:00:02.345Z</CreDtTm>');
    if (resolution.reasonCode) expect(xml).toContain(`<Cd>${resolution.reasonCode}</Cd>`);
  });

  it('builds the same bytes on every delivery', () => {
    const resolution: Resolution = { status: CancellationStatus.RJCR, reasonCode: 'NOOR', detail: 'no such payment of this participant', at: '2026-12-02T09:00:02.345Z' };
    expect(answerOf(value, resolution)).toEqual(answerOf(value, resolution));
  });
});

describe('handleCancellation, delivered again after a crash (stand-in ports: the rule alone)', () => {
  const request: IncomingRecordValue = {
    messageId: 'camt.056.001.08',
    messageType: 'camt.056',
    transactionId: '5d9b1c2e-7a3f-4e8b-9c0d-1e2f3a4b5c6d',
    requestId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    senderEntity: 'ent-alpha',
    document: toJson(cancellationXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', original: { msgId: 'M-1', endToEndId: 'E2E-1', uetr: '8a562c67-ca16-48ba-b074-65581be6f011' } }).xml).document,
  };
  /** Ports over one original in the given state; what the step records and publishes is kept. */
  function portsFor(original: TransactionSummary): CancellationPorts & { recorded: string[] } {
    const recorded: string[] = [];
    return {
      recorded,
      log: {
        findByReference: async () => [original],
        summary: async (id: string) => (id === original.transactionId ? original : undefined),
        history: async () => ({ summary: undefined, steps: [] }),
        record: async (step: { transactionId: string; step: string; answer?: string }) => {
          recorded.push(`${step.transactionId} ${step.step} ${step.answer ?? ''}`.trim());
        },
        recordOnce: async () => undefined,
      } as unknown as CancellationPorts['log'],
      archive: { get: async () => undefined },
      originalFor: async () => original,
      bus: { publish: async () => {} },
      now: () => new Date('2026-12-02T09:00:05.000Z'),
    };
  }

  it('answers CNCL when the payment was cancelled by this very request before the crash', async () => {
    const ports = portsFor(summary('CANC', { senderEntity: 'ent-alpha', receiverEntity: 'ent-beta', finalStep: `cancel#${request.transactionId}` }));
    expect(await handleCancellation(request, ports)).toMatchObject({ status: CancellationStatus.CNCL });
    expect(ports.recorded).toEqual([`${request.transactionId} camt056#ANSW CNCL`]);
  });

  it('still refuses, as already cancelled, a payment another request cancelled', async () => {
    const ports = portsFor(summary('CANC', { senderEntity: 'ent-alpha', receiverEntity: 'ent-beta', finalStep: 'cancel#another-request' }));
    expect(await handleCancellation(request, ports)).toMatchObject({ status: CancellationStatus.RJCR, reasonCode: 'NARR' });
  });
});
