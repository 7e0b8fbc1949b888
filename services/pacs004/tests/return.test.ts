import { decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { toJson, toXml, validateXml, type Money } from '@mxflow/iso20022';
import type { TransactionSummary } from '@mxflow/store';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { returnXml } from '../../../packages/e2e/src/post-transactional';
import { outgoingRecords, returnable, type ReturnOutcome } from '../src/domain/return';

const eur = (minor: bigint): Money => ({ minor, currency: 'EUR', exponent: 2 });

/** A payment of 100.00 EUR from Alpha to Beta, in the given state. */
const original = (status: string, extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: '0b7e4a9c-1d2f-4e3a-8b5c-6d7e8f9a0b1c',
  status,
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  amount: eur(10_000n),
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:01.000Z',
  final: true,
  ...extra,
});

describe('returnable', () => {
  it.each<[string, string, TransactionSummary | undefined, string, Money]>([
    ['no original', 'AG09', undefined, 'ent-beta', eur(100n)],
    ['a returner that is not the receiver', 'AG01', original('ACSC'), 'ent-alpha', eur(100n)],
    ['a stranger', 'AG01', original('ACSC'), 'ent-gamma', eur(100n)],
    ['a payment returned in full', 'AM02', original('RTND', { returned: eur(10_000n) }), 'ent-beta', eur(100n)],
    ['a payment that did not settle', 'AG09', original('RJCT', { reasonCode: 'AM04' }), 'ent-beta', eur(100n)],
    ['a payment still in flight', 'AG09', original('ACTC', { final: false }), 'ent-beta', eur(100n)],
    ['a settled payment without an amount', 'AG09', original('ACSC', { amount: undefined }), 'ent-beta', eur(100n)],
    ['another currency', 'AM03', original('ACSC'), 'ent-beta', { minor: 100n, currency: 'USD', exponent: 2 }],
    ['more than the payment', 'AM02', original('ACSC'), 'ent-beta', eur(10_001n)],
  ])('refuses a return with %s (%s)', (_case, reasonCode, summary, returner, amount) => {
    expect(returnable(summary, returner, amount)).toMatchObject({ reasonCode, detail: expect.any(String) });
  });

  it('names both amounts when a return is more than what is left', () => {
    const refusal = returnable(original('PART', { returned: eur(4_000n) }), 'ent-beta', eur(7_000n));
    expect(refusal).toEqual(expect.objectContaining({ reasonCode: 'AM02', detail: '70.00 EUR is more than the 60.00 EUR left of the payment' }));
  });

  it.each([
    ['part of a settled payment', original('ACSC'), eur(4_000n), { left: 10_000n, before: 0n }],
    ['the whole of a settled payment', original('ACSC'), eur(10_000n), { left: 10_000n, before: 0n }],
    ['the rest of a partly returned payment', original('PART', { returned: eur(4_000n) }), eur(6_000n), { left: 6_000n, before: 4_000n }],
  ])('allows %s, saying what is left and what was returned before', (_case, summary, amount, expected) => {
    expect(returnable(summary, 'ent-beta', amount)).toEqual(expected);
  });
});

describe('outgoingRecords', () => {
  const ids = { msgId: 'MSG-ORIGINAL-1', endToEndId: 'E2E-ORIGINAL-1', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' };
  const value: IncomingRecordValue = {
    messageId: 'pacs.004.001.09',
    messageType: 'pacs.004',
    transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
    requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
    senderEntity: 'ent-beta',
    document: toJson(returnXml({ fromBic: 'BETAFRPPXXX', toBic: 'ALPHDEFFXXX', original: ids, amount: '40.00' }).xml).document,
  };
  const at = '2026-12-02T09:00:03.210Z';

  function validPacs002(record: { topic: string; message: { value: string } }): string {
    const outgoing = decodeOutgoing(record.topic, record.message.value);
    const xml = toXml(outgoing.messageId, outgoing.document);
    expect(validateXml(xml)).toMatchObject({ valid: true, messageType: 'pacs.002', issues: [] });
    expect(officialXsdProblems(xml)).toEqual([]);
    return xml;
  }

  it('answers a settled return with a pacs.002 to the returner and the pacs.004 to the payee', () => {
    const outcome: ReturnOutcome = { status: 'ACSC', at, payee: 'ent-alpha', amount: eur(4_000n), originalTransactionId: 'o-1' };
    const [answer, forwarded, ...rest] = outgoingRecords(value, outcome);
    expect(rest).toEqual([]);
    expect(answer).toMatchObject({ topic: 'outgoing.pacs.002', message: { key: 'ent-beta' } });
    expect(decodeOutgoing(answer.topic, answer.message.value)).toMatchObject({ receiverEntity: 'ent-beta', status: 'ACSC', transactionId: value.transactionId });
    expect(validPacs002(answer)).toContain('<TxSts>ACSC</TxSts>');
    expect(forwarded).toMatchObject({ topic: 'outgoing.pacs.004', message: { key: 'ent-alpha' } });
    expect(decodeOutgoing(forwarded.topic, forwarded.message.value)).toEqual({
      messageId: 'pacs.004.001.09',
      messageType: 'pacs.004',
      transactionId: value.transactionId,
      requestId: value.requestId,
      receiverEntity: 'ent-alpha',
      status: 'ACSC',
      document: value.document,
    });
  });

  it('answers a rejected return with a pacs.002 to the returner only, with its reason and words', () => {
    const outcome: ReturnOutcome = { status: 'RJCT', reasonCode: 'AM02', detail: '70.00 EUR is more than the 60.00 EUR left of the payment', at };
    const records = outgoingRecords(value, outcome);
    expect(records).toHaveLength(1);
    expect(decodeOutgoing(records[0].topic, records[0].message.value)).toMatchObject({ receiverEntity: 'ent-beta', status: 'RJCT', reasonCode: 'AM02' });
    const xml = validPacs002(records[0]);
    expect(xml).toContain('<TxSts>RJCT</TxSts>');
    expect(xml).toContain('<Cd>AM02</Cd>');
    expect(xml).toContain('70.00 EUR is more than the 60.00 EUR left of the payment');
  });

  it('builds the same bytes on every delivery', () => {
    const outcome: ReturnOutcome = { status: 'ACSC', at, payee: 'ent-alpha', amount: eur(4_000n) };
    expect(outgoingRecords(value, outcome)).toEqual(outgoingRecords(value, outcome));
  });
});
