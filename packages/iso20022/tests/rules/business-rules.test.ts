import { InvalidAmountError } from '../../src/errors';
import { moneyFromAmount } from '../../src/money';
import { creditTransfers } from '../../src/readers';
import { checkBusinessRules, type RuleViolation } from '../../src/rules';
import { thrownBy } from '../support/thrown';
import { camt056, pacs004, pacs008, type Doc } from './documents';

const tx = (doc: Doc, index: number): Doc => doc.FIToFICstmrCdtTrf.CdtTrfTxInf[index];
const grpHdr = (doc: Doc): Doc => doc.FIToFICstmrCdtTrf.GrpHdr;
const summary = (violations: RuleViolation[]) => violations.map(({ code, path }) => `${code} ${path}`);

describe('checkBusinessRules', () => {
  it.each([
    ['pacs.008.001.08', pacs008()],
    ['pacs.004.001.09', pacs004()],
    ['camt.056.001.08', camt056()],
  ])('accepts a well-formed %s', (messageId, document) => {
    expect(checkBusinessRules(messageId, document)).toEqual([]);
  });

  it('accepts the document under a Document wrapper', () => {
    const doc = pacs008();
    tx(doc, 0).DbtrAcct.Id.IBAN = 'DE00370400440532013000';
    expect(summary(checkBusinessRules('pacs.008.001.08', { Document: doc }))).toEqual([
      'AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].DbtrAcct.Id.IBAN',
    ]);
  });

  // Each case breaks one field of a valid pacs.008 and names the violation expected.
  it.each<[string, (doc: Doc) => void, string[]]>([
    ['a BIC with a country that does not exist', (d) => (tx(d, 0).DbtrAgt.FinInstnId.BICFI = 'COBAQQFFXXX'), ['RC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].DbtrAgt.FinInstnId.BICFI']],
    ['a BIC of 9 characters', (d) => (grpHdr(d).InstdAgt.FinInstnId.BICFI = 'BNPAFRPPX'), ['RC01 $.FIToFICstmrCdtTrf.GrpHdr.InstdAgt.FinInstnId.BICFI']],
    ['a BIC in lower case', (d) => (tx(d, 1).CdtrAgt.FinInstnId.BICFI = 'ingbnl2a'), ['RC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAgt.FinInstnId.BICFI']],
    ['a BIC with the letter O as second location character', (d) => (tx(d, 1).CdtrAgt.FinInstnId.BICFI = 'INGBNL2O'), ['RC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAgt.FinInstnId.BICFI']],
    ['an IBAN with wrong check digits', (d) => (tx(d, 0).DbtrAcct.Id.IBAN = 'DE88370400440532013000'), ['AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].DbtrAcct.Id.IBAN']],
    ['an IBAN with a transposed digit', (d) => (tx(d, 0).CdtrAcct.Id.IBAN = 'FR7630006000011234567890198'), ['AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].CdtrAcct.Id.IBAN']],
    ['an IBAN of the wrong length for its country', (d) => (tx(d, 1).CdtrAcct.Id.IBAN = 'NL20INGB00012345678'), ['AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN']],
    ['an IBAN from a country without IBANs', (d) => (tx(d, 1).CdtrAcct.Id.IBAN = 'US12345678901234567890'), ['AC01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN']],
    ['a currency that does not exist', (d) => { tx(d, 0).IntrBkSttlmAmt.Ccy = 'EUX'; }, ['AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.Ccy', 'AM11 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.Ccy']],
    ['an amount in gold', (d) => { for (const a of [tx(d, 0).IntrBkSttlmAmt, tx(d, 1).IntrBkSttlmAmt, grpHdr(d).TtlIntrBkSttlmAmt]) a.Ccy = 'XAU'; }, ['AM03 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt.Ccy', 'AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt.Ccy', 'AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt.Ccy']],
    ['an account currency that is a testing code', (d) => (tx(d, 0).DbtrAcct.Ccy = 'XTS'), ['AM03 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].DbtrAcct.Ccy']],
    ['three decimals in euros', (d) => { tx(d, 1).IntrBkSttlmAmt.value = '500.255'; grpHdr(d).CtrlSum = '1500.255'; grpHdr(d).TtlIntrBkSttlmAmt.value = '1500.255'; }, ['AM12 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt', 'AM12 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt']],
    ['a zero amount', (d) => { tx(d, 1).IntrBkSttlmAmt.value = '0.00'; grpHdr(d).CtrlSum = '1000'; grpHdr(d).TtlIntrBkSttlmAmt.value = '1000.00'; }, ['AM01 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt']],
    ['a NbOfTxs that does not count the transactions', (d) => (grpHdr(d).NbOfTxs = '3'), ['AM19 $.FIToFICstmrCdtTrf.GrpHdr.NbOfTxs']],
    ['a CtrlSum that is not the sum', (d) => (grpHdr(d).CtrlSum = '1500.26'), ['AM16 $.FIToFICstmrCdtTrf.GrpHdr.CtrlSum']],
    ['a total settlement amount that is not the sum', (d) => (grpHdr(d).TtlIntrBkSttlmAmt.value = '1500.00'), ['AM10 $.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt']],
    ['a transaction in another currency than the total', (d) => (tx(d, 1).IntrBkSttlmAmt.Ccy = 'USD'), ['AM11 $.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt.Ccy']],
    ['a UETR of UUID version 1', (d) => (tx(d, 0).PmtId.UETR = '4c6e2a7d-3b1f-1e8a-9c2d-6f0b1a2e3d4c'), ['FF02 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].PmtId.UETR']],
    ['a UETR in upper case', (d) => (tx(d, 0).PmtId.UETR = '4C6E2A7D-3B1F-4E8A-9C2D-6F0B1A2E3D4C'), ['FF02 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].PmtId.UETR']],
    ['a settlement date of 30 February', (d) => (grpHdr(d).IntrBkSttlmDt = '2026-02-30'), ['DT01 $.FIToFICstmrCdtTrf.GrpHdr.IntrBkSttlmDt']],
    ['29 February in a year that is not a leap year', (d) => (grpHdr(d).IntrBkSttlmDt = '2100-02-29'), ['DT01 $.FIToFICstmrCdtTrf.GrpHdr.IntrBkSttlmDt']],
    ['a creation date-time on 31 April', (d) => (grpHdr(d).CreDtTm = '2026-04-31T09:30:00.000Z'), ['DT02 $.FIToFICstmrCdtTrf.GrpHdr.CreDtTm']],
    ['a creation time at minute 60', (d) => (grpHdr(d).CreDtTm = '2026-11-27T09:60:00Z'), ['DT02 $.FIToFICstmrCdtTrf.GrpHdr.CreDtTm']],
  ])('reports %s', (_case, breakIt, expected) => {
    const doc = pacs008();
    breakIt(doc);
    expect(summary(checkBusinessRules('pacs.008.001.08', doc)).sort()).toEqual([...expected].sort());
  });

  // Amounts the XSD lets through (xs:decimal may carry a sign) but the money parser that settlement reads them with refuses.
  // Each case sets one amount and returns it.
  it.each<[string, (doc: Doc) => unknown, string, string]>([
    ['a transaction amount with a plus sign', (d) => (tx(d, 0).IntrBkSttlmAmt = { value: '+1000.00', Ccy: 'EUR' }), 'amount-format', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt'],
    ['a total with a plus sign', (d) => (grpHdr(d).TtlIntrBkSttlmAmt = { value: '+1500.25', Ccy: 'EUR' }), 'amount-format', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt'],
    ['a signed zero', (d) => (tx(d, 1).InstdAmt = { value: '-0.00', Ccy: 'EUR' }), 'amount-format', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].InstdAmt'],
    ['a sign inside the whitespace XML collapses', (d) => (tx(d, 0).IntrBkSttlmAmt = { value: '\n  +1000.00 ', Ccy: 'EUR' }), 'amount-format', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt'],
    ['four decimals in dinars', (d) => (tx(d, 0).InstdAmt = { value: '1.2345', Ccy: 'KWD' }), 'amount-decimals', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].InstdAmt'],
    ['a decimal in yen', (d) => (tx(d, 1).InstdAmt = { value: '500.5', Ccy: 'JPY' }), 'amount-decimals', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].InstdAmt'],
  ])('refuses %s with AM12 and the words of the amount parser', (_case, breakIt, rule, path) => {
    const doc = pacs008();
    const refused = thrownBy(() => moneyFromAmount(breakIt(doc), path));
    expect(refused).toBeInstanceOf(InvalidAmountError);
    expect(checkBusinessRules('pacs.008.001.08', doc)).toEqual([{ rule, code: 'AM12', path, message: (refused as Error).message.slice(`${path}: `.length) }]);
  });

  it('refuses at the door every amount the settlement reader of a pacs.008 refuses', () => {
    const doc = pacs008();
    tx(doc, 0).IntrBkSttlmAmt.value = '+1000.00';
    const refused = thrownBy(() => creditTransfers(doc));
    expect(refused).toMatchObject({ name: 'InvalidAmountError', path: '$.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt' });
    expect(summary(checkBusinessRules('pacs.008.001.08', doc))).toEqual(['AM12 $.FIToFICstmrCdtTrf.CdtTrfTxInf[0].IntrBkSttlmAmt']);
    expect(() => creditTransfers(pacs008())).not.toThrow();
  });

  it.each<[string, (doc: Doc) => void, string]>([
    ['29 February in a leap year', (d) => (grpHdr(d).IntrBkSttlmDt = '2028-02-29'), 'dates'],
    ['an amount whose extra decimals are zeros', (d) => (tx(d, 0).IntrBkSttlmAmt.value = '1000.0000'), 'decimals'],
    ['a CtrlSum written with other trailing zeros', (d) => (grpHdr(d).CtrlSum = '1500.250'), 'sums'],
    ['a yen amount without decimals', (d) => { tx(d, 0).IntrBkSttlmAmt = { value: '1000', Ccy: 'JPY' }; tx(d, 1).IntrBkSttlmAmt = { value: '500', Ccy: 'JPY' }; grpHdr(d).TtlIntrBkSttlmAmt = { value: '1500', Ccy: 'JPY' }; grpHdr(d).CtrlSum = '1500'; }, 'currencies'],
    ['an 11-character BIC with branch code', (d) => (tx(d, 1).CdtrAgt.FinInstnId.BICFI = 'INGBNL2AXXX'), 'BICs'],
  ])('accepts %s', (_case, change) => {
    const doc = pacs008();
    change(doc);
    expect(checkBusinessRules('pacs.008.001.08', doc)).toEqual([]);
  });

  it('gives a message that names the rule and the values', () => {
    const doc = pacs008();
    grpHdr(doc).NbOfTxs = '5';
    expect(checkBusinessRules('pacs.008.001.08', doc)).toEqual([
      { rule: 'transaction-count', code: 'AM19', path: '$.FIToFICstmrCdtTrf.GrpHdr.NbOfTxs', message: 'NbOfTxs is 5 but the message has 2 transaction(s)' },
    ]);
  });

  it.each<[string, string, () => Doc, (doc: Doc) => void, string[]]>([
    ['pacs.004', 'pacs.004.001.09', pacs004, (d) => (d.PmtRtr.GrpHdr.TtlRtrdIntrBkSttlmAmt.value = '260.00'), ['AM10 $.PmtRtr.GrpHdr.TtlRtrdIntrBkSttlmAmt']],
    ['pacs.004', 'pacs.004.001.09', pacs004, (d) => (d.PmtRtr.GrpHdr.NbOfTxs = '2'), ['AM19 $.PmtRtr.GrpHdr.NbOfTxs']],
    ['pacs.004', 'pacs.004.001.09', pacs004, (d) => (d.PmtRtr.TxInf[0].OrgnlUETR = 'not-a-uuid'), ['FF02 $.PmtRtr.TxInf[0].OrgnlUETR']],
    ['camt.056', 'camt.056.001.08', camt056, (d) => (d.FIToFIPmtCxlReq.CtrlData.NbOfTxs = '1'), ['AM19 $.FIToFIPmtCxlReq.CtrlData.NbOfTxs']],
    ['camt.056', 'camt.056.001.08', camt056, (d) => (d.FIToFIPmtCxlReq.CtrlData.CtrlSum = '1000'), ['AM16 $.FIToFIPmtCxlReq.CtrlData.CtrlSum']],
    ['camt.056', 'camt.056.001.08', camt056, (d) => (d.FIToFIPmtCxlReq.Assgnmt.Assgne.Agt.FinInstnId.BICFI = 'BNPA1RPP'), ['RC01 $.FIToFIPmtCxlReq.Assgnmt.Assgne.Agt.FinInstnId.BICFI']],
    ['camt.056', 'camt.056.001.08', camt056, (d) => (d.FIToFIPmtCxlReq.Undrlyg[0].TxInf[0].OrgnlIntrBkSttlmDt = '2026-13-01'), ['DT01 $.FIToFIPmtCxlReq.Undrlyg[0].TxInf[0].OrgnlIntrBkSttlmDt']],
  ])('reports in a %s: %#', (_type, messageId, make, breakIt, expected) => {
    const doc = make();
    breakIt(doc);
    expect(summary(checkBusinessRules(messageId, doc))).toEqual(expected);
  });
});
