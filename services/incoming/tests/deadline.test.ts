import { parseSlaRules } from '@mxflow/contracts';
import { toJson, validateXml, type JsonObject } from '@mxflow/iso20022';
import { paymentXml } from '../../../packages/e2e/src/payment';
import { cancellationXml, statusRequestXml } from '../../../packages/e2e/src/post-transactional';
import { assessMessage, checkInTime, deadlineFor } from '../src/domain/submission';
import { MessageRejectedError } from '../src/domain/errors';

const CREATED = '2026-12-02T09:00:00.000Z';
const rules = parseSlaRules('pacs.008=10s, pacs.008@FDN=20s, pacs.008@INST=5s, camt.056=3s, *=30s');

/** A pacs.008 created at CREATED, with the scheme codes it names spliced into the places ISO 20022 has for them. */
function payment(scheme: { clearingSystem?: string; serviceLevel?: string; localInstrument?: string; proprietary?: boolean } = {}): string {
  const code = (value: string) => (scheme.proprietary ? `<Prtry>${value}</Prtry>` : `<Cd>${value}</Cd>`);
  let xml = paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '12.50', createdAt: CREATED }).xml;
  if (scheme.clearingSystem) xml = xml.replace('<SttlmMtd>CLRG</SttlmMtd>', `<SttlmMtd>CLRG</SttlmMtd><ClrSys>${code(scheme.clearingSystem)}</ClrSys>`);
  const typeInfo = [
    scheme.serviceLevel ? `<SvcLvl>${code(scheme.serviceLevel)}</SvcLvl>` : '',
    scheme.localInstrument ? `<LclInstrm>${code(scheme.localInstrument)}</LclInstrm>` : '',
  ].join('');
  if (typeInfo) xml = xml.replace('</PmtId>', `</PmtId><PmtTpInf>${typeInfo}</PmtTpInf>`);
  return xml;
}

const documentOf = (xml: string): JsonObject => {
  expect(validateXml(xml)).toMatchObject({ valid: true });
  return toJson(xml).document;
};

describe('deadlineFor', () => {
  it.each([
    ['no scheme: the rule of its type', {}, '2026-12-02T09:00:10.000Z'],
    ['the clearing system code', { clearingSystem: 'FDN' }, '2026-12-02T09:00:20.000Z'],
    ['a proprietary clearing system', { clearingSystem: 'FDN', proprietary: true }, '2026-12-02T09:00:20.000Z'],
    ['the service level code', { serviceLevel: 'INST' }, '2026-12-02T09:00:05.000Z'],
    ['the local instrument code', { localInstrument: 'INST' }, '2026-12-02T09:00:05.000Z'],
    ['a proprietary local instrument', { localInstrument: 'FDN', proprietary: true }, '2026-12-02T09:00:20.000Z'],
    ['a scheme in lower case', { serviceLevel: 'inst' }, '2026-12-02T09:00:05.000Z'],
    ['a scheme without a rule: the rule of its type', { serviceLevel: 'SEPA' }, '2026-12-02T09:00:10.000Z'],
  ])('times a pacs.008 from its group header’s CreDtTm by %s', (_case, scheme, deadline) => {
    expect(deadlineFor('pacs.008', documentOf(payment(scheme)), rules)).toBe(deadline);
  });

  it('times a camt.056 from its assignment’s CreDtTm', () => {
    const request = cancellationXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', original: { msgId: 'M', endToEndId: 'E', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' } });
    const xml = request.xml.replace(/<CreDtTm>[^<]+<\/CreDtTm>/, `<CreDtTm>${CREATED}</CreDtTm>`);
    expect(deadlineFor('camt.056', documentOf(xml), rules)).toBe('2026-12-02T09:00:03.000Z');
  });

  it('times a type without a rule of its own by the rule for every type', () => {
    const request = statusRequestXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', original: { msgId: 'M', endToEndId: 'E', uetr: '3f2b8a61-5c4d-4e7f-9a1b-2c3d4e5f6a7b' } });
    const xml = request.xml.replace(/<CreDtTm>[^<]+<\/CreDtTm>/, `<CreDtTm>${CREATED}</CreDtTm>`);
    expect(deadlineFor('pacs.028', documentOf(xml), rules)).toBe('2026-12-02T09:00:30.000Z');
  });

  it('starts the clock at the arrival when the CreDtTm lies in the future', () => {
    expect(deadlineFor('pacs.008', documentOf(payment()), rules, '2026-12-02T08:59:00.000Z')).toBe('2026-12-02T08:59:10.000Z');
    expect(deadlineFor('pacs.008', documentOf(payment()), rules, '2026-12-02T09:00:05.000Z')).toBe('2026-12-02T09:00:10.000Z');
  });

  it('gives no deadline when no rule applies', () => {
    expect(deadlineFor('pacs.008', documentOf(payment()), parseSlaRules('camt.056=3s'))).toBeUndefined();
    expect(deadlineFor('pacs.008', documentOf(payment()), [])).toBeUndefined();
  });

  it('gives no deadline to a message without a creation time', () => {
    expect(deadlineFor('pacs.008', { FIToFICstmrCdtTrf: { GrpHdr: { MsgId: 'M' } } }, rules)).toBeUndefined();
  });
});

describe('checkInTime', () => {
  const accepted = assessMessage(paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '12.50', createdAt: CREATED }).xml);

  it('lets through a message whose deadline is still ahead, or that has none', () => {
    expect(() => checkInTime(accepted, '2026-12-02T09:00:10.000Z', '2026-12-02T09:00:09.999Z')).not.toThrow();
    expect(() => checkInTime(accepted, undefined, '2026-12-02T10:00:00.000Z')).not.toThrow();
  });

  it.each([
    ['at', '2026-12-02T09:00:10.000Z'],
    ['40 minutes after', '2026-12-02T09:40:10.000Z'],
  ])('rejects a message arriving %s its deadline with AB05, naming its CreDtTm', (_case, now) => {
    let refusal: unknown;
    try {
      checkInTime(accepted, '2026-12-02T09:00:10.000Z', now);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(MessageRejectedError);
    expect(refusal).toMatchObject({ reasonCode: 'AB05', kind: 'late', issues: [{ path: '$.FIToFICstmrCdtTrf.GrpHdr.CreDtTm', reasonCode: 'AB05' }] });
  });
});
