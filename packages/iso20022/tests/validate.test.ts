import { SchemaValidationError, builtinCatalogue, parseMessage, validateXml } from '@mxflow/iso20022';
import { validatorFor } from '../src/validate';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { engineFixture, officialXsd } from './support/paths';

const pacs008 = engineFixture('pacs.008.001.08.xml');
const withAppHdr = engineFixture('pacs.028.001.03-with-apphdr.xml');

/** Line (1-based) of the first line containing `needle`. */
const lineOf = (xml: string, needle: string): number => xml.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('the engine fixtures', () => {
  it.each([
    ['pacs.008.001.08.xml', 'pacs.008.001.08', undefined],
    ['pacs.028.001.03-with-apphdr.xml', 'pacs.028.001.03', 'Document'],
    ['pacs.028.001.03-with-apphdr.xml', 'head.001.001.02', 'AppHdr'],
  ])('%s is valid against the official %s XSD', (fixture, messageId, element) => {
    const schema = XmlDocument.fromString(officialXsd(messageId));
    const validator = XsdValidator.fromDoc(schema);
    const document = XmlDocument.fromString(engineFixture(fixture));
    try {
      const target = element ? document.get(`/*/*[local-name()='${element}']`) : document.root;
      expect(() => validator.validate(target as never)).not.toThrow();
    } finally {
      document.dispose();
      validator.dispose();
      schema.dispose();
    }
  });
});

describe('validateXml', () => {
  it('accepts a valid message', () => {
    expect(validateXml(pacs008)).toEqual({ valid: true, messageId: 'pacs.008.001.08', messageType: 'pacs.008', issues: [] });
  });

  it('accepts bytes as well as text', () => {
    expect(validateXml(new TextEncoder().encode(pacs008)).valid).toBe(true);
  });

  it('reports every error with line, column and element path', () => {
    const broken = pacs008
      .replace('<MsgId>MXF-20260301-0001</MsgId>', `<MsgId>${'M'.repeat(36)}</MsgId>`)
      .replace('<NbOfTxs>2</NbOfTxs>', '<NbOfTxs>two</NbOfTxs>')
      .replace('<IntrBkSttlmAmt Ccy="EUR">750.25</IntrBkSttlmAmt>', '<IntrBkSttlmAmt Ccy="euro">750.25</IntrBkSttlmAmt>')
      .replace('<Nm>Atelier Martin</Nm>', '<Nm>Atelier Martin</Nm><Unknown/>');
    const result = validateXml(broken);
    expect(result.valid).toBe(false);
    expect(result.messageId).toBe('pacs.008.001.08');
    expect(result.issues).toEqual([
      { line: lineOf(broken, '<MsgId>'), column: 7, path: '/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId', message: expect.stringContaining("maxLength") },
      { line: lineOf(broken, '<NbOfTxs>'), column: 7, path: '/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs', message: expect.stringContaining('pattern') },
      { line: lineOf(broken, 'Ccy="euro"'), column: 7, path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/IntrBkSttlmAmt', message: expect.stringContaining('Ccy') },
      { line: lineOf(broken, '<Unknown/>'), column: expect.any(Number), path: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/Cdtr/Unknown', message: expect.stringContaining('not expected') },
    ]);
  });

  it('locates errors in a message written on one line', () => {
    const oneLine = pacs008.trim().replace(/>\s+</g, '><').replace('<NbOfTxs>2</NbOfTxs>', '<NbOfTxs>x</NbOfTxs>');
    const [issue] = validateXml(oneLine).issues;
    expect(issue.path).toBe('/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs');
    expect(oneLine).not.toContain('\n');
    expect(issue.line).toBe(1);
    expect(oneLine.slice(issue.column - 1)).toMatch(/^<NbOfTxs>x/);
  });

  it('strips namespace prefixes from paths and validates the AppHdr too', () => {
    const broken = withAppHdr.replace('<h:BICFI>BANKFRPPXXX</h:BICFI>', '<h:BICFI>not a bic</h:BICFI>').replace('<StsReqId>REQ-1</StsReqId>', `<StsReqId>${'R'.repeat(40)}</StsReqId>`);
    const { issues } = validateXml(broken);
    expect(issues.map((issue) => issue.path)).toEqual(['/AppHdr/Fr/FIId/FinInstnId/BICFI', '/Document/FIToFIPmtStsReq/TxInf/StsReqId']);
    expect(issues[0].line).toBe(lineOf(broken, 'not a bic'));
  });

  it('reports and locates every issue of a large prefixed message', () => {
    const start = pacs008.indexOf('<CdtTrfTxInf>');
    const end = pacs008.indexOf('</CdtTrfTxInf>') + '</CdtTrfTxInf>'.length;
    const transaction = pacs008.slice(start, end).replace('<ChrgBr>SHAR</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>');
    const large = (pacs008.slice(0, start) + transaction.repeat(600) + pacs008.slice(pacs008.lastIndexOf('</FIToFICstmrCdtTrf>')))
      .replace(/<(\/?)([A-Za-z]+)([ >/])/g, '<$1p:$2$3')
      .replace('<p:Document xmlns=', '<p:Document xmlns:p=');
    const started = performance.now();
    const { issues } = validateXml(large);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(issues).toHaveLength(600);
    expect(issues[599].path).toBe('/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[600]/ChrgBr');
    expect(large.split('\n')[issues[599].line - 1]).toContain('<p:ChrgBr>XXXX</p:ChrgBr>');
  });

  it('reports a missing required element at its parent', () => {
    const broken = pacs008.replace('<ChrgBr>SHAR</ChrgBr>', '');
    const { issues } = validateXml(broken);
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr');
    expect(issues[0].message).toContain('ChrgBr');
  });
});

describe('blank content', () => {
  const msgId = /<MsgId>[^<]*<\/MsgId>/;

  it.each([
    ['an element whose whole content is blank', '<MsgId> </MsgId>'],
    ['blank content after a comment', '<MsgId><!-- a comment --> </MsgId>'],
  ])('keeps %s as content when validating', (_what, element) => {
    // A MsgId of one space meets the minimum length of 1; an empty one would not.
    expect(validateXml(pacs008.replace(msgId, element)).issues).toEqual([]);
    expect(validateXml(pacs008.replace(msgId, '<MsgId></MsgId>')).valid).toBe(false);
  });
});

describe('validator cache', () => {
  it('compiles each XSD once per catalogue entry', () => {
    const entry = builtinCatalogue().get('pacs.008.001.08');
    validateXml(pacs008);
    expect(validatorFor(entry)).toBe(validatorFor(entry));
    expect(validatorFor(entry)).not.toBe(validatorFor(builtinCatalogue().get('pacs.028.001.03')));
  });
});

describe('parseMessage', () => {
  it('throws a SchemaValidationError carrying every issue', () => {
    const broken = pacs008.replace('<NbOfTxs>2</NbOfTxs>', '<NbOfTxs>two</NbOfTxs>').replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>NONE</ChrgBr>');
    let thrown: unknown;
    try {
      parseMessage(broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchemaValidationError);
    const error = thrown as SchemaValidationError;
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.issues.map((issue) => issue.path)).toEqual(['/Document/FIToFICstmrCdtTrf/GrpHdr/NbOfTxs', '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/ChrgBr']);
    expect(error.message).toContain('2 issues');
  });
});
