import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountReportRequests, parseMessage, ReaderInputError, validateXml } from '@mxflow/iso20022';
import { officialXsdProblems } from './responses/official-xsd';
import { officialXsdDir } from './support/paths';
import { thrownBy } from './support/thrown';

const fixture = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages/camt.060.001.05/valid.xml'), 'utf8');

// The official XSDs live beside the repository, not in it: without them the check against them is skipped.
const present = existsSync(officialXsdDir);
const describeOfficial = present ? describe : describe.skip;
if (!present) console.warn(`official ISO 20022 XSDs not found (${path.basename(officialXsdDir)} beside the repository): the camt.060 sample is not checked against camt.060.001.05.xsd`);

/** A camt.060 in the JSON form with one request whose reporting period is `period` (none when undefined). */
function request(period?: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AcctRptgReq: {
      GrpHdr: { MsgId: 'REQ-1', CreDtTm: '2026-11-28T08:00:00+01:00' },
      RptgReq: [
        {
          ReqdMsgNmId: 'camt.053.001.08',
          Acct: { Id: { Othr: { Id: 'ACC-1' } } },
          AcctOwnr: { Agt: { FinInstnId: { BICFI: 'ALPHDEFFXXX' } } },
          ...(period ? { RptgPrd: { ...period, Tp: 'ALLL' } } : {}),
          ...extra,
        },
      ],
    },
  };
}

describe('accountReportRequests', () => {
  describeOfficial('the camt.060 sample', () => {
    it('is valid against the official camt.060.001.05 XSD and the package validation', () => {
      expect(officialXsdProblems(fixture)).toEqual([]);
      expect(validateXml(fixture).issues).toEqual([]);
    });
  });

  it('reads the sample: group header, both requests, accounts, balance types and periods', () => {
    expect(accountReportRequests(parseMessage(fixture).document)).toEqual({
      msgId: 'ALPH-RPTREQ-20261128-01',
      creationDateTime: '2026-11-28T07:45:12.000Z',
      requests: [
        {
          id: 'STMT-REQ-0001',
          requestedMessage: 'camt.053.001.08',
          accountId: 'SETTLEMENT-ALPHDEFFXXX-EUR',
          accountCurrency: 'EUR',
          requestedBalanceTypes: ['OPBD', 'CLBD'],
          from: '2026-11-27T07:00:00.000Z',
          to: '2026-11-27T17:30:00.000Z',
        },
        {
          requestedMessage: 'camt.052.001.08',
          accountId: 'DE89370400440532013000',
          from: '2026-11-26T00:00:00.000Z',
          to: '2026-11-28T00:00:00.000Z',
        },
      ],
    });
  });

  it('reads the document wrapped in { Document }', () => {
    expect(accountReportRequests({ Document: request() }).msgId).toBe('REQ-1');
  });

  it.each([
    ['one whole day', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' } }, '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['several whole days, across a month end', { FrToDt: { FrDt: '2026-11-29', ToDt: '2026-12-01' } }, '2026-11-29T00:00:00.000Z', '2026-12-02T00:00:00.000Z'],
    ['a year end', { FrToDt: { FrDt: '2026-12-31', ToDt: '2026-12-31' } }, '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['a leap day', { FrToDt: { FrDt: '2028-02-29', ToDt: '2028-02-29' } }, '2028-02-29T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['times in UTC', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '08:00:00Z', ToTm: '12:30:00Z' } }, '2026-11-27T08:00:00.000Z', '2026-11-27T12:30:00.000Z'],
    ['times without a zone, taken as UTC', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-28' }, FrToTm: { FrTm: '08:00:00', ToTm: '09:15:30' } }, '2026-11-27T08:00:00.000Z', '2026-11-28T09:15:30.000Z'],
    ['times with a positive offset, back across midnight', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '00:30:00+02:00', ToTm: '18:00:00+02:00' } }, '2026-11-26T22:30:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['times with a negative offset, forward across midnight', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '09:00:00-05:00', ToTm: '21:45:00-05:00' } }, '2026-11-27T14:00:00.000Z', '2026-11-28T02:45:00.000Z'],
    ['a half-hour offset', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '10:00:00+05:30', ToTm: '11:00:00+05:30' } }, '2026-11-27T04:30:00.000Z', '2026-11-27T05:30:00.000Z'],
    ['fractions of a second, cut to milliseconds', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '08:00:00.5Z', ToTm: '08:00:01.123456Z' } }, '2026-11-27T08:00:00.500Z', '2026-11-27T08:00:01.123Z'],
    ['a start time only: to is the end of ToDt', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '12:00:00Z' } }, '2026-11-27T12:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['an end time of 24:00:00', { FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '00:00:00Z', ToTm: '24:00:00Z' } }, '2026-11-27T00:00:00.000Z', '2026-11-28T00:00:00.000Z'],
    ['a zone on the dates, applying to the default times', { FrToDt: { FrDt: '2026-11-27+01:00', ToDt: '2026-11-27+01:00' } }, '2026-11-26T23:00:00.000Z', '2026-11-27T23:00:00.000Z'],
    ['no ToDt but a ToTm: a window within FrDt', { FrToDt: { FrDt: '2026-11-27' }, FrToTm: { FrTm: '08:00:00Z', ToTm: '10:00:00Z' } }, '2026-11-27T08:00:00.000Z', '2026-11-27T10:00:00.000Z'],
    ['no ToDt and no ToTm: open-ended', { FrToDt: { FrDt: '2026-11-27' } }, '2026-11-27T00:00:00.000Z', undefined],
  ])('reads the period of %s', (_what, period, from, to) => {
    const [read] = accountReportRequests(request(period)).requests;
    expect(read.from).toBe(from);
    expect(read.to).toBe(to);
    expect('to' in read).toBe(to !== undefined);
  });

  it('leaves from and to absent when there is no reporting period', () => {
    const [read] = accountReportRequests(request()).requests;
    expect(read).toEqual({ requestedMessage: 'camt.053.001.08', accountId: 'ACC-1' });
  });

  it('keeps a requested message name it does not support, as the sender wrote it', () => {
    const document = request();
    ((document.AcctRptgReq as Record<string, unknown[]>).RptgReq[0] as Record<string, unknown>).ReqdMsgNmId = 'camt.053.001.02';
    expect(accountReportRequests(document).requests[0].requestedMessage).toBe('camt.053.001.02');
  });

  it('reads a proprietary balance type beside a code', () => {
    const document = request(undefined, { ReqdBalTp: [{ CdOrPrtry: { Prtry: 'AVAILABLE' } }, { CdOrPrtry: { Cd: 'ITBD' } }] });
    expect(accountReportRequests(document).requests[0].requestedBalanceTypes).toEqual(['AVAILABLE', 'ITBD']);
  });

  it.each([
    ['a pacs.008', { FIToFICstmrCdtTrf: { GrpHdr: {} } }, '$.AcctRptgReq'],
    ['a missing group header', { AcctRptgReq: { RptgReq: [{ ReqdMsgNmId: 'camt.053.001.08' }] } }, '$.AcctRptgReq.GrpHdr'],
    ['no request', { AcctRptgReq: { GrpHdr: { MsgId: 'R', CreDtTm: '2026-11-27T00:00:00Z' }, RptgReq: [] } }, '$.AcctRptgReq.RptgReq'],
    ['a request without ReqdMsgNmId', { AcctRptgReq: { GrpHdr: { MsgId: 'R', CreDtTm: '2026-11-27T00:00:00Z' }, RptgReq: [{}] } }, '$.AcctRptgReq.RptgReq[0].ReqdMsgNmId'],
    ['a day that does not exist', request({ FrToDt: { FrDt: '2026-02-30', ToDt: '2026-03-01' } }), '$.AcctRptgReq.RptgReq[0].RptgPrd.FrToDt.FrDt'],
    ['a time that is not one', request({ FrToDt: { FrDt: '2026-11-27', ToDt: '2026-11-27' }, FrToTm: { FrTm: '08:00:00Z', ToTm: '25:00:00Z' } }), '$.AcctRptgReq.RptgReq[0].RptgPrd.FrToTm.ToTm'],
  ])('refuses %s, naming the path', (_what, document, where) => {
    const error = thrownBy(() => accountReportRequests(document));
    expect(error).toBeInstanceOf(ReaderInputError);
    expect((error as ReaderInputError).path).toBe(where);
  });
});
