import { decodeOutgoing, type IncomingRecordValue } from '@mxflow/contracts';
import { paymentRequests, toJson, toXml, validateXml } from '@mxflow/iso20022';
import type { Entity, TransactionSummary } from '@mxflow/store';
import { existsSync } from 'node:fs';
import { paymentSample, requestAnswerSample, requestOf } from '../../../packages/cli/src/sample';
import { officialXsdProblems } from '../../../packages/iso20022/tests/responses/official-xsd';
import { officialXsdDir } from '../../../packages/iso20022/tests/support/paths';
import { decideAnswer, decideRequest, forwardedAnswer, refusalOf } from '../src/domain/request-to-pay';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const entity = (entityId: string, bic: string, status = 'ACTIVE'): Entity => ({ entityId, name: entityId, bic, bics: [bic], accounts: [], status });
const ALPHA = entity('ent-alpha', 'ALPHDEFFXXX');
const BETA = entity('ent-beta', 'BETAFRPPXXX');
const requestXml = paymentSample('pain.013', NOW);
const read = paymentRequests(toJson(requestXml).document);

const pending = (extra: Partial<TransactionSummary> = {}): TransactionSummary => ({
  transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
  status: 'PDNG',
  messageType: 'pain.013',
  senderEntity: 'ent-alpha',
  receiverEntity: 'ent-beta',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.100Z',
  final: false,
  ...extra,
});

describe('decideRequest', () => {
  it('forwards a request to the participant of its debtor agent', () => {
    expect(decideRequest(read, ALPHA, BETA, 'BETAFRPPXXX')).toEqual({ kind: 'forward', receiverEntity: 'ent-beta' });
  });

  it.each([
    ['a debtor agent that is no participant', ALPHA, undefined, 'RC01'],
    ['a suspended debtor agent', ALPHA, entity('ent-beta', 'BETAFRPPXXX', 'SUSPENDED'), 'AG11'],
    ['a request within one participant', ALPHA, ALPHA, 'AG01'],
    ['a creditor agent that is not the sender', BETA, entity('ent-gamma', 'GAMMGB2LXXX'), 'AG01'],
  ])('refuses %s', (_case, sender, debtorAgent, reasonCode) => {
    expect(decideRequest(read, sender, debtorAgent, 'BETAFRPPXXX')).toMatchObject({ kind: 'refuse', reasonCode });
  });
});

describe('decideAnswer', () => {
  it('accepts a request when every transfer is accepted', () => {
    expect(decideAnswer('ent-beta', pending(), [{ status: 'ACCP' }])).toMatchObject({ kind: 'answer', answer: 'ACCP' });
  });

  it('refuses a request with the first reason of a refused transfer', () => {
    expect(decideAnswer('ent-beta', pending(), [{ status: 'ACCP' }, { status: 'RJCT', reasonCode: 'AC04', additionalInfo: 'account closed' }])).toMatchObject({ kind: 'answer', answer: 'RJCT', reasonCode: 'AC04', detail: 'account closed' });
  });

  it.each([
    ['an answer from the creditor agent', 'ent-alpha', pending(), 'AG09'],
    ['an answer to no request', 'ent-beta', undefined, 'AG09'],
    ['a second answer', 'ent-beta', pending({ status: 'ANSW', final: true, answer: 'ACCP' }), 'AM05'],
    ['an answer to an expired request', 'ent-beta', pending({ status: 'RJCT', final: true, reasonCode: 'AB05' }), 'AB05'],
  ])('refuses %s (%s)', (_case, answerer, request, reasonCode) => {
    expect(decideAnswer(answerer, request, [{ status: 'ACCP' }])).toMatchObject({ kind: 'refuse', reasonCode });
  });

  it('refuses a status that neither accepts nor refuses', () => {
    expect(decideAnswer('ent-beta', pending(), [{ status: 'PDNG' }])).toMatchObject({ kind: 'refuse', reasonCode: 'NARR' });
  });
});

describe('the messages it sends', () => {
  const value: IncomingRecordValue = { messageId: 'pain.013.001.07', messageType: 'pain.013', transactionId: pending().transactionId, requestId: 'r-1', senderEntity: 'ent-alpha', document: toJson(requestXml).document };

  it('refuses a request with a valid pain.014 RJCT to its sender', () => {
    const [record] = refusalOf(value, { reasonCode: 'RC01', detail: 'DbtrAgt NOPEDEFFXXX is not a participant', at: NOW.toISOString() });
    if (!record) throw new Error('no refusal was built');
    const sent = decodeOutgoing(record.topic, record.message.value);
    expect(record.topic).toBe('outgoing.pain.014');
    expect(sent).toMatchObject({ receiverEntity: 'ent-alpha', status: 'RJCT', reasonCode: 'RC01' });
    const xml = toXml(sent.messageId, sent.document);
    expect(validateXml(xml).issues).toEqual([]);
    if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
  });

  it('refuses a request too broken to echo without a message', () => {
    const { PmtInf: _dropped, ...header } = (value.document as { CdtrPmtActvtnReq: Record<string, unknown> }).CdtrPmtActvtnReq;
    expect(refusalOf({ ...value, document: { CdtrPmtActvtnReq: header } }, { reasonCode: 'NARR', at: NOW.toISOString() })).toEqual([]);
  });

  it('forwards an answer to the creditor agent as it was sent', () => {
    const answer = requestAnswerSample(requestOf(requestXml), NOW);
    expect(validateXml(answer).issues).toEqual([]);
    const parsed = toJson(answer);
    const record = forwardedAnswer({ ...value, messageId: parsed.messageId, messageType: 'pain.014', senderEntity: 'ent-beta', document: parsed.document }, pending(), 'ACCP');
    expect(decodeOutgoing(record.topic, record.message.value)).toMatchObject({ receiverEntity: 'ent-alpha', status: 'ACCP', messageType: 'pain.014', document: parsed.document });
  });
});
