import { paymentInitiations, toJson } from '@mxflow/iso20022';
import type { Entity } from '@mxflow/store';
import { initiationXml } from '../../../packages/e2e/src/post-transactional';
import { InitiationRejectedError, checkInitiation, childTransactionId, childrenOf } from '../src/domain/initiation';
import { groupStatusOf } from '../src/domain/report';

const alpha: Entity = { entityId: 'ent-alpha', name: 'Alpha', bic: 'ALPHDEFFXXX', bics: ['ALPHDEFFXXX'], accounts: [], status: 'ACTIVE' };
const initiation = (spec: Parameters<typeof initiationXml>[0]) => paymentInitiations(toJson(initiationXml(spec).xml).document);
const two = { fromBic: alpha.bic, transfers: [{ toBic: 'BETAFRPPXXX', amount: '10.00' }, { toBic: 'GAMMGB2LXXX', amount: '2.50' }] };

function rejectionOf(call: () => unknown): InitiationRejectedError {
  try {
    call();
  } catch (error) {
    if (error instanceof InitiationRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('childTransactionId', () => {
  it('derives the same UUID for the same transfer of the same pain.001, and another for each other', () => {
    const parent = '5e0d6c7a-0c3f-4b5e-9f55-1f5a2b0c9d11';
    expect(childTransactionId(parent, 0)).toBe(childTransactionId(parent, 0));
    expect(new Set([childTransactionId(parent, 0), childTransactionId(parent, 1), childTransactionId('another', 0)]).size).toBe(3);
    expect(childTransactionId(parent, 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('childrenOf', () => {
  it('lists every transfer in message order with its block and EndToEndId', () => {
    const read = initiation(two);
    const children = childrenOf('parent', read);
    expect(children.map(({ index, paymentIndex, transferIndex }) => [index, paymentIndex, transferIndex])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
    ]);
    expect(children.map((child) => child.endToEndId)).toEqual(read.payments[0]?.transfers.map((transfer) => transfer.endToEndId));
  });
});

describe('checkInitiation', () => {
  it('accepts a pain.001 whose counts and control sum add up, debited at the sender', () => {
    expect(() => checkInitiation(initiation(two), alpha)).not.toThrow();
    expect(() => checkInitiation(initiation({ ...two, controlSum: '12.5' }), alpha)).not.toThrow();
  });

  it.each([
    ['a control sum that does not add up', { ...two, controlSum: '12.51' }, alpha, 'AM10', '$.CstmrCdtTrfInitn.GrpHdr.CtrlSum'],
    ['a debtor agent that is not the sender', { ...two, fromBic: 'BETAFRPPXXX' }, alpha, 'AG01', '$.CstmrCdtTrfInitn.PmtInf[0].DbtrAgt'],
    ['a sender the directory does not know', two, undefined, 'AG01', '$.CstmrCdtTrfInitn.PmtInf[0].DbtrAgt'],
  ])('refuses %s with %s', (_case, spec, sender, reason, path) => {
    expect(rejectionOf(() => checkInitiation(initiation(spec), sender))).toMatchObject({ reasonCode: reason, path });
  });

  it('refuses a count of transactions that is not the number of transfers (AM18)', () => {
    const read = initiation(two);
    const wrong = { ...read, groupHeader: { ...read.groupHeader, numberOfTransactions: '3' } };
    expect(rejectionOf(() => checkInitiation(wrong, alpha))).toMatchObject({ reasonCode: 'AM18', path: '$.CstmrCdtTrfInitn.GrpHdr.NbOfTxs' });
  });
});

describe('groupStatusOf', () => {
  it.each([
    [['ACSC', 'ACSC'], 'ACSC'],
    [['ACSC', 'RJCT'], 'PART'],
    [['RJCT', 'RJCT'], 'RJCT'],
  ])('reports %p as %s', (statuses, group) => {
    expect(groupStatusOf(statuses)).toBe(group);
  });
});
