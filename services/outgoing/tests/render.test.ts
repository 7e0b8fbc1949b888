import { toJson } from '@mxflow/iso20022';
import { paymentXml } from '../../../packages/e2e/src/payment';
import { render, stepOf } from '../src/domain/delivery';

describe('render', () => {
  const payment = paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '12.34' });

  it('writes a valid message as the same XML every time', () => {
    const value = { messageId: 'pacs.008.001.08', document: toJson(payment.xml).document };
    const first = render(value);
    expect(first.issues).toEqual([]);
    expect(first.xml).toBe(payment.xml);
    expect(render(value).xml).toBe(first.xml);
  });

  it('reports an output the schema refuses, so that it is never sent', () => {
    const document = toJson(payment.xml).document as { FIToFICstmrCdtTrf: { GrpHdr: Record<string, unknown> } };
    const broken = { FIToFICstmrCdtTrf: { ...document.FIToFICstmrCdtTrf, GrpHdr: { ...document.FIToFICstmrCdtTrf.GrpHdr, NbOfTxs: 'many' } } };
    const { issues } = render({ messageId: 'pacs.008.001.08', document: broken });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].path).toContain('NbOfTxs');
  });
});

describe('stepOf', () => {
  it('names the step after the message type', () => {
    expect(stepOf({ messageType: 'pacs.002' })).toBe('outgoing#pacs.002');
  });
});
