import { decodeOutgoing } from '@mxflow/contracts';
import { toXml, validateXml } from '@mxflow/iso20022';
import type { Entity, TransactionStep, TransactionSummary } from '@mxflow/store';
import { existsSync } from 'node:fs';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { officialXsdDir } from '../../../packages/iso20022/tests/support/paths';
import { notificationOf, notifyPostings, type NotificationPorts } from '../src/domain/notifications';

const entity = (entityId: string, bic: string, notifications?: string[]): Entity => ({ entityId, name: `${entityId} bank`, bic, bics: [bic], accounts: [], status: 'ACTIVE', ...(notifications ? { notifications } : {}) });
const ALPHA = entity('ent-alpha', 'ALPHDEFFXXX', ['camt.054']);
const BETA = entity('ent-beta', 'BETAFRPPXXX');
const SETTLED_AT = '2026-12-07T10:00:00.250Z';
const payment: TransactionSummary = {
  transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
  status: 'ACSC',
  messageType: 'pacs.008',
  messageIds: { msgId: 'MSG-1', endToEndIds: ['E2E-1'], uetrs: ['3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b'], txIds: ['TX-1'] },
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  amount: { minor: 12_34n, currency: 'EUR', exponent: 2 },
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: SETTLED_AT,
  final: true,
  finalStep: 'pacs008#ACSC',
};
const steps: TransactionStep[] = [
  { transactionId: payment.transactionId, step: 'incoming#RCVD', status: 'RCVD', timestamp: '2026-12-07T10:00:00.000Z', requestId: 'r-1' },
  { transactionId: payment.transactionId, step: 'pacs008#ACSC', status: 'ACSC', timestamp: SETTLED_AT, requestId: 'r-1', final: true },
];

function ports(subscribers: Entity[], published: unknown[][], reads: string[] = []): NotificationPorts {
  return {
    subscribers: async () => new Map(subscribers.map((subscriber) => [subscriber.entityId, subscriber])),
    log: { history: async (id: string) => (reads.push(id), { summary: payment, steps }) },
    bus: { publish: async (records) => void published.push([...records]) },
  };
}

describe('notificationOf', () => {
  it('notifies the sender of its debit: a valid camt.054 with one entry booked when the payment settled', () => {
    const record = notificationOf(payment, SETTLED_AT, ALPHA, 'r-1')!;
    const value = decodeOutgoing(record.topic, record.message.value);
    expect(record.topic).toBe('outgoing.camt.054');
    expect(value).toMatchObject({ receiverEntity: 'ent-alpha', name: 'camt.054.DBIT', messageId: 'camt.054.001.08' });
    const xml = toXml(value.messageId, value.document);
    expect(validateXml(xml).issues).toEqual([]);
    if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
    expect(xml).toContain('<CdtDbtInd>DBIT</CdtDbtInd>');
    expect(xml).toContain('<UETR>3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b</UETR>');
    expect(xml).toContain('<Id>ent-alpha/EUR</Id>');
  });

  it('notifies the receiver of its credit', () => {
    const record = notificationOf(payment, SETTLED_AT, entity('ent-beta', 'BETAFRPPXXX', ['camt.054']), 'r-1')!;
    expect(decodeOutgoing(record.topic, record.message.value)).toMatchObject({ receiverEntity: 'ent-beta', name: 'camt.054.CRDT' });
  });
});

describe('notifyPostings', () => {
  it('notifies only the parties that switched camt.054 on', async () => {
    const published: unknown[][] = [];
    const answer = { transactionId: payment.transactionId, requestId: 'r-1', status: 'ACSC', messageType: 'pacs.002', postingNotices: ['ent-alpha', 'ent-beta'] };
    expect(await notifyPostings(answer, ports([ALPHA, BETA], published))).toEqual(['ent-alpha']);
    expect(published).toHaveLength(1);
    expect(published[0]).toHaveLength(1);
  });

  it('notifies only the parties the answer names: those the settlement saw asking for it', async () => {
    const published: unknown[][] = [];
    const BETA_TOO = entity('ent-beta', 'BETAFRPPXXX', ['camt.054']);
    const answer = { transactionId: payment.transactionId, requestId: 'r-1', status: 'ACSC', messageType: 'pacs.002', postingNotices: ['ent-beta'] };
    expect(await notifyPostings(answer, ports([ALPHA, BETA_TOO], published))).toEqual(['ent-beta']);
    expect(published.flat().map((record) => decodeOutgoing('outgoing.camt.054', (record as { message: { value: string } }).message.value).name)).toEqual(['camt.054.CRDT']);
  });

  it('reads nothing when no participant switched it on, the answer names nobody, or it settled nothing', async () => {
    const reads: string[] = [];
    const published: unknown[][] = [];
    const named = { postingNotices: ['ent-alpha', 'ent-beta'] };
    expect(await notifyPostings({ transactionId: payment.transactionId, requestId: 'r-1', status: 'ACSC', messageType: 'pacs.002', ...named }, ports([], published, reads))).toEqual([]);
    expect(await notifyPostings({ transactionId: payment.transactionId, requestId: 'r-1', status: 'ACSC', messageType: 'pacs.002' }, ports([ALPHA], published, reads))).toEqual([]);
    expect(await notifyPostings({ transactionId: payment.transactionId, requestId: 'r-1', status: 'RJCT', messageType: 'pacs.002', ...named }, ports([ALPHA], published, reads))).toEqual([]);
    expect({ reads, published }).toEqual({ reads: [], published: [] });
  });
});
