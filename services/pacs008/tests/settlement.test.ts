import { decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { toJson } from '@mxflow/iso20022';
import type { Entity } from '@mxflow/store';
import { paymentXml } from '../../../packages/e2e/src/payment';
import { SettlementRejectedError, checkParties, duplicateOf, outgoingRecords, planSettlement, uniquenessKeys } from '../src/domain/settlement';

const entity = (entityId: string, bic: string, status = 'ACTIVE'): Entity => ({ entityId, name: entityId, bic, bics: [bic], accounts: [], status });
const alpha = entity('ent-alpha', 'ALPHDEFFXXX');
const beta = entity('ent-beta', 'BETAFRPPXXX');

function documentOf(xml: string): Record<string, unknown> {
  return toJson(xml).document;
}

function rejectionOf(call: () => unknown): SettlementRejectedError {
  try {
    call();
  } catch (error) {
    if (error instanceof SettlementRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('planSettlement', () => {
  it('reads the agents and the amount in minor units', () => {
    const plan = planSettlement(documentOf(paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '1234.56' }).xml));
    expect(plan).toMatchObject({ instructingAgentBic: 'ALPHDEFFXXX', instructedAgentBic: 'BETAFRPPXXX', amount: { minor: 123456n, currency: 'EUR', exponent: 2 } });
  });

  it('settles a JPY amount with no decimals', () => {
    const plan = planSettlement(documentOf(paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '5000', currency: 'JPY' }).xml));
    expect(plan.amount).toEqual({ minor: 5000n, currency: 'JPY', exponent: 0 });
  });
});

describe('checkParties', () => {
  const plan = planSettlement(documentOf(paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '1.00' }).xml));

  it('accepts two active participants, the sender instructing', () => {
    expect(checkParties(plan, 'ent-alpha', alpha, beta)).toEqual({ debtor: alpha, creditor: beta });
  });

  it.each([
    ['an instructed agent nobody answers to', 'ent-alpha', alpha, undefined, 'RC01'],
    ['a suspended instructed agent', 'ent-alpha', alpha, entity('ent-beta', 'BETAFRPPXXX', 'SUSPENDED'), 'AG11'],
    ['an instructing agent that is not the sender', 'ent-gamma', alpha, beta, 'AG01'],
    ['a suspended instructing agent', 'ent-alpha', entity('ent-alpha', 'ALPHDEFFXXX', 'SUSPENDED'), beta, 'AG10'],
    ['a closed instructed agent', 'ent-alpha', alpha, entity('ent-beta', 'BETAFRPPXXX', 'CLOSED'), 'AG01'],
    ['a participant paying itself', 'ent-alpha', alpha, alpha, 'AG01'],
  ])('rejects %s with %s', (_case, sender, debtor, creditor, reason) => {
    expect(rejectionOf(() => checkParties(plan, sender, debtor, creditor)).reasonCode).toBe(reason);
  });

  it('names the receiver of a payment refused because of the receiver, which is a party to it (it may ask about it)', () => {
    expect(rejectionOf(() => checkParties(plan, 'ent-alpha', alpha, entity('ent-beta', 'BETAFRPPXXX', 'SUSPENDED')))).toMatchObject({ reasonCode: 'AG11', receiverEntity: 'ent-beta' });
    expect(rejectionOf(() => checkParties(plan, 'ent-alpha', alpha, undefined)).receiverEntity).toBeUndefined();
  });
});

describe('uniquenessKeys', () => {
  it('claims every UETR, and every TxId with its instructing agent, per sender', () => {
    const payment = paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '1.00' });
    const { message } = planSettlement(documentOf(payment.xml));
    expect(uniquenessKeys('ent-alpha', message)).toEqual([
      { key: `uetr#ent-alpha#${payment.uetr}`, label: `UETR ${payment.uetr}` },
      { key: `txid#ent-alpha#ALPHDEFFXXX#${payment.txId}`, label: `TxId ${payment.txId}` },
    ]);
  });

  it('never makes the EndToEndId a key: two payments sharing NOTPROVIDED have no key in common', () => {
    const keysOf = () => uniquenessKeys('ent-alpha', planSettlement(documentOf(paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '1.00', endToEndId: 'NOTPROVIDED' }).xml)).message);
    const first = keysOf().map(({ key }) => key);
    expect(keysOf().some(({ key }) => first.includes(key))).toBe(false);
    expect(first.some((key) => key.includes('NOTPROVIDED'))).toBe(false);
  });
});

describe('duplicateOf', () => {
  it.each(['UETR', 'TxId'])('names the %s and the transaction that has it, both whole, within AddtlInf', (kind) => {
    const payment = paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '1.00' });
    const key = uniquenessKeys('ent-alpha', planSettlement(documentOf(payment.xml)).message).find((candidate) => candidate.label.startsWith(kind));
    const owner = '3c0d9a74-c4b4-4c81-ac2e-5b1f0e2d9a77';
    const rejection = duplicateOf(key ?? { key: '', label: '' }, owner);
    expect(rejection.reasonCode).toBe('AM05');
    expect(rejection.message).toBe(`${key?.label} is taken by transaction ${owner}`);
    expect(rejection.message.length).toBeLessThanOrEqual(105);
  });
});

describe('outgoingRecords', () => {
  const payment = paymentXml({ fromBic: alpha.bic, toBic: beta.bic, amount: '9.99' });
  const value: IncomingRecordValue = {
    messageId: 'pacs.008.001.08',
    messageType: 'pacs.008',
    transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
    requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
    senderEntity: 'ent-alpha',
    document: documentOf(payment.xml),
  };

  it('answers a settlement with the pacs.002 to the sender and the payment to the receiver, the same on every delivery', () => {
    const outcome = { status: 'ACSC' as const, at: '2026-12-02T07:00:00.123Z', receiverEntity: 'ent-beta' };
    const records = outgoingRecords(value, outcome);
    expect(records.map((record) => [record.topic, record.message.key])).toEqual([
      ['outgoing.pacs.002', 'ent-alpha'],
      ['outgoing.pacs.008', 'ent-beta'],
    ]);
    const report = decodeOutgoing(records[0].topic, records[0].message.value);
    expect(report).toMatchObject({ messageId: 'pacs.002.001.10', status: 'ACSC', receiverEntity: 'ent-alpha' });
    expect(JSON.stringify(report.document)).toContain(payment.uetr);
    expect(outgoingRecords(value, outcome)).toEqual(records);
  });

  it('names on the pacs.002 of a settlement the parties to notify of their postings, and on nothing else', () => {
    const settled = outgoingRecords(value, { status: 'ACSC', at: '2026-12-02T07:00:00.123Z', receiverEntity: 'ent-beta' }, ['ent-beta']);
    expect(settled.map((record) => decodeOutgoing(record.topic, record.message.value).postingNotices)).toEqual([['ent-beta'], undefined]);
    expect(decodeOutgoing(settled[0].topic, outgoingRecords(value, { status: 'ACSC', at: '2026-12-02T07:00:00.123Z', receiverEntity: 'ent-beta' })[0].message.value)).not.toHaveProperty('postingNotices');
    const rejected = outgoingRecords(value, { status: 'RJCT', reasonCode: 'AM04', at: '2026-12-02T07:00:00.123Z' }, ['ent-beta']);
    expect(decodeOutgoing(rejected[0].topic, rejected[0].message.value)).not.toHaveProperty('postingNotices');
  });

  it('answers a rejection with the negative pacs.002 only', () => {
    const records = outgoingRecords(value, { status: 'RJCT', reasonCode: 'AM04', detail: 'no money', at: '2026-12-02T07:00:00.123Z' });
    expect(records).toHaveLength(1);
    expect(decodeOutgoing(records[0].topic, records[0].message.value)).toMatchObject({ status: 'RJCT', reasonCode: 'AM04' });
    expect(records[0].message.value).toContain('"Cd":"AM04"');
  });
});
