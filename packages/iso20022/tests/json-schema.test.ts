import { Ajv2020 } from 'ajv/dist/2020.js';
import { jsonSchemaFor, parseMessage, validateJson, type JsonObject } from '@mxflow/iso20022';
import { xsdPatternToJs } from '../src/schema/json-schema';
import { engineFixture, messageFixtures, supportedMessages } from './support/paths';

const pacs008 = parseMessage(engineFixture('pacs.008.001.08.xml'));

/** A deep copy of the pacs.008 JSON form with one change applied. */
function changed(change: (message: JsonObject) => void): JsonObject {
  const copy = structuredClone(pacs008.document);
  change(copy.FIToFICstmrCdtTrf as JsonObject);
  return copy;
}
const transfer = (message: JsonObject, index: number): JsonObject => (message.CdtTrfTxInf as JsonObject[])[index];

describe('jsonSchemaFor', () => {
  it.each(supportedMessages)('gives a draft 2020-12 schema for %s that ajv compiles in strict mode', (messageId) => {
    const schema = jsonSchemaFor(messageId);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => new Ajv2020({ strict: true }).compile(schema)).not.toThrow();
  });
});

describe('validateJson', () => {
  it('accepts the JSON form of a valid message', () => {
    expect(validateJson('pacs.008.001.08', pacs008.document)).toEqual({ valid: true, issues: [] });
  });

  it.each(messageFixtures().filter((fixture) => fixture.name.startsWith('valid')).map((fixture) => [`${fixture.messageId}/${fixture.name}`, fixture.xml]))(
    'accepts the JSON form of %s, header included',
    (_name, xml) => {
      const parsed = parseMessage(xml);
      expect(validateJson(parsed.messageId, parsed.document).issues).toEqual([]);
      if (parsed.appHdr) expect(validateJson('head.001.001.02', parsed.appHdr).issues).toEqual([]);
    },
  );

  it.each([
    ['an amount given as a number', (m: JsonObject) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).value = 1000 as never), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt/value'],
    ['an amount with six decimals', (m: JsonObject) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).value = '1.000001'), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt/value'],
    ['an amount with 19 digits', (m: JsonObject) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).value = '1234567890123456789'), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt/value'],
    ['a negative amount', (m: JsonObject) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).value = '-1.00'), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt/value'],
    ['a missing currency', (m: JsonObject) => delete (transfer(m, 0).IntrBkSttlmAmt as JsonObject).Ccy, '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt'],
    ['a lower-case currency', (m: JsonObject) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).Ccy = 'eur'), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/IntrBkSttlmAmt/Ccy'],
    ['a MsgId of 36 characters', (m: JsonObject) => ((m.GrpHdr as JsonObject).MsgId = 'M'.repeat(36)), '/FIToFICstmrCdtTrf/GrpHdr/MsgId'],
    ['an unknown code', (m: JsonObject) => (transfer(m, 0).ChrgBr = 'NONE'), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/ChrgBr'],
    ['a single transaction not in an array', (m: JsonObject) => (m.CdtTrfTxInf = transfer(m, 0)), '/FIToFICstmrCdtTrf/CdtTrfTxInf'],
    ['an unknown element', (m: JsonObject) => ((m.GrpHdr as JsonObject).Extra = 'x'), '/FIToFICstmrCdtTrf/GrpHdr'],
    ['a missing required element', (m: JsonObject) => delete (m.GrpHdr as JsonObject).MsgId, '/FIToFICstmrCdtTrf/GrpHdr'],
    ['two alternatives of a choice', (m: JsonObject) => (((transfer(m, 0).DbtrAcct as JsonObject).Id as JsonObject).Othr = { Id: 'X' }), '/FIToFICstmrCdtTrf/CdtTrfTxInf/0/DbtrAcct/Id'],
    ['an invalid date', (m: JsonObject) => ((m.GrpHdr as JsonObject).IntrBkSttlmDt = '01/03/2026'), '/FIToFICstmrCdtTrf/GrpHdr/IntrBkSttlmDt'],
  ])('rejects %s at its path', (_what, change, path) => {
    const result = validateJson('pacs.008.001.08', changed(change));
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => issue.path)).toContain(path);
  });

  it.each(['0', '1000', '1000.', '1000.5', '.5', '0.00001', '123456789012345678'])('accepts the decimal amount %s', (value) => {
    expect(validateJson('pacs.008.001.08', changed((m) => ((transfer(m, 0).IntrBkSttlmAmt as JsonObject).value = value))).issues).toEqual([]);
  });
});

describe('xsdPatternToJs', () => {
  it.each([
    ['[A-Z]{3,3}', 'EUR', true],
    ['[A-Z]{3,3}', 'EURO', false],
    ['[A-Z]{3,3}', 'xEUR', false],
    ['[0-9]{1,15}', '12a', false],
    ['[A-Z]+\\-[0-9]+', 'AB-12', true],
    ['[A-Z]+\\-[0-9]+', 'AB12', false],
    ['a$b', 'a$b', true],
    ['^a', '^a', true],
    ['[^0-9]+', 'abc', true],
    ['[^0-9]+', 'a1', false],
    ['\\i\\c*', 'Name-1.x', true],
    ['\\i\\c*', '1Name', false],
    ['[\\+]?[0-9]+', '+12', true],
    ['\\+[0-9]{1,3}-[0-9()+\\-]{1,30}', '+49-(69)12-34', true],
  ])('translates the XSD pattern %s so that %s matches: %s', (pattern, value, matches) => {
    expect(new RegExp(xsdPatternToJs(pattern), 'u').test(value)).toBe(matches);
  });
});
