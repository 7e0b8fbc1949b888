/**
 * Reads an account reporting request (camt.060.001.05) in the JSON form: a
 * participant asks for an account report (camt.052) or a statement (camt.053)
 * of an account over a period. Element positions follow camt.060.001.05
 * (`AccountReportingRequestV05`, `GroupHeader77`, `ReportingRequest5`).
 */
import { ReaderInputError } from '../errors';
import { accountOf, child, compact, isObject, items, messageRoot, optionalText, requiredChild, requiredText, type JsonObject } from './json';

/** One reporting request (`RptgReq`). */
export interface AccountReportRequest {
  /** `AcctRptgReq/RptgReq/Id` */
  readonly id?: string;
  /** `ReqdMsgNmId`: `camt.052.001.08`, `camt.053.001.08`, or anything else the sender wrote. */
  readonly requestedMessage: string;
  /** `Acct/Id/IBAN`, else `Acct/Id/Othr/Id`. */
  readonly accountId?: string;
  /** `Acct/Ccy` */
  readonly accountCurrency?: string;
  /** `ReqdBalTp/CdOrPrtry`: the balance types asked for (`Cd`, else `Prtry`), when any. Informative. */
  readonly requestedBalanceTypes?: readonly string[];
  /**
   * Start of the reporting period, inclusive, as an ISO 8601 UTC instant with
   * milliseconds: `RptgPrd/FrToDt/FrDt` at `FrToTm/FrTm` (00:00:00 UTC when
   * absent). Absent when `RptgPrd` is absent.
   */
  readonly from?: string;
  /**
   * End of the period, exclusive: `ToDt` at `ToTm`, or, without `ToTm`, the
   * whole of `ToDt` (the next day at 00:00:00 UTC). Without `ToDt`, `ToTm` is
   * taken on `FrDt` (a window within one day), and without either the period
   * is open (absent: up to now). Absent when `RptgPrd` is absent.
   */
  readonly to?: string;
}

/** A camt.060: its group header and the requests it carries. */
export interface AccountReportRequests {
  /** `GrpHdr/MsgId` */
  readonly msgId: string;
  /** `GrpHdr/CreDtTm`, as written. */
  readonly creationDateTime: string;
  readonly requests: readonly AccountReportRequest[];
}

const ROOT = 'AcctRptgReq';
const datePattern = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const timePattern = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;
const DAY = 24 * 60 * 60 * 1000;

/** Minutes east of UTC of a zone written `Z`, `+02:00` or `-05:30`; none is UTC. */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

/**
 * The UTC instant of an `xs:date` at an `xs:time` (midnight when absent). A
 * time or date without a zone is taken as UTC; the time's zone, else the
 * date's, applies. Fractions of a second beyond milliseconds are cut.
 */
function instant(date: string, datePath: string, time: string | undefined, timePath: string): number {
  const day = datePattern.exec(date);
  if (!day) throw new ReaderInputError(datePath, `'${date}' is not an ISO date`);
  const [, year, month, dayOfMonth, dateZone] = day;
  const clock = time === undefined ? undefined : timePattern.exec(time);
  if (clock === null) throw new ReaderInputError(timePath, `'${time}' is not an ISO time`);
  const [hour, minute, second, fraction, timeZone] = clock ? clock.slice(1) : ['00', '00', '00', undefined, undefined];
  const endOfDay = hour === '24' && minute === '00' && second === '00' && !/[1-9]/.test(fraction ?? '');
  if ((Number(hour) > 23 && !endOfDay) || Number(minute) > 59 || Number(second) > 59) throw new ReaderInputError(timePath, `'${time}' is not a time of day`);
  const midnight = Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth));
  if (new Date(midnight).toISOString().slice(0, 10) !== `${year}-${month}-${dayOfMonth}`) throw new ReaderInputError(datePath, `'${date}' is not a day of the calendar`);
  const millis = Number(((fraction ?? '') + '000').slice(0, 3));
  return midnight + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + millis - offsetMinutes(timeZone ?? dateZone) * 60 * 1000;
}

function periodOf(request: JsonObject, path: string): { from?: string; to?: string } {
  const period = child(request, 'RptgPrd', path);
  if (period === undefined) return {};
  const periodPath = `${path}.RptgPrd`;
  const dates = requiredChild(period, 'FrToDt', periodPath);
  const datesPath = `${periodPath}.FrToDt`;
  const times = child(period, 'FrToTm', periodPath);
  const timesPath = `${periodPath}.FrToTm`;
  const fromDate = requiredText(dates, 'FrDt', datesPath);
  const toDate = optionalText(dates, 'ToDt', datesPath);
  const fromTime = times && requiredText(times, 'FrTm', timesPath);
  const toTime = optionalText(times, 'ToTm', timesPath);
  const from = instant(fromDate, `${datesPath}.FrDt`, fromTime, `${timesPath}.FrTm`);
  let to: number | undefined;
  if (toDate !== undefined) {
    to = toTime === undefined ? instant(toDate, `${datesPath}.ToDt`, undefined, `${timesPath}.ToTm`) + DAY : instant(toDate, `${datesPath}.ToDt`, toTime, `${timesPath}.ToTm`);
  } else if (toTime !== undefined) {
    to = instant(fromDate, `${datesPath}.FrDt`, toTime, `${timesPath}.ToTm`);
  }
  return compact({ from: new Date(from).toISOString(), to: to === undefined ? undefined : new Date(to).toISOString() });
}

function balanceTypesOf(request: JsonObject, path: string): string[] | undefined {
  const types = items(request, 'ReqdBalTp').map((type, index) => {
    const typePath = `${path}.ReqdBalTp[${index}]`;
    if (!isObject(type)) throw new ReaderInputError(typePath, 'ReqdBalTp must be an object');
    const code = requiredChild(type, 'CdOrPrtry', typePath);
    const codePath = `${typePath}.CdOrPrtry`;
    const value = optionalText(code, 'Cd', codePath) ?? optionalText(code, 'Prtry', codePath);
    if (value === undefined) throw new ReaderInputError(codePath, 'CdOrPrtry has neither Cd nor Prtry');
    return value;
  });
  return types.length > 0 ? types : undefined;
}

function requestOf(node: unknown, path: string): AccountReportRequest {
  if (!isObject(node)) throw new ReaderInputError(path, 'RptgReq must be an object');
  const account = child(node, 'Acct', path);
  return compact({
    id: optionalText(node, 'Id', path),
    requestedMessage: requiredText(node, 'ReqdMsgNmId', path),
    accountId: accountOf(account, `${path}.Acct`),
    accountCurrency: optionalText(account, 'Ccy', `${path}.Acct`),
    requestedBalanceTypes: balanceTypesOf(node, path),
    ...periodOf(node, path),
  });
}

/**
 * Reads a camt.060.001.05 in the JSON form (`{ AcctRptgReq: … }`, or wrapped
 * in `{ Document: … }`) into its requests, each with the message asked for,
 * the account and the period as UTC instants (see {@link AccountReportRequest}).
 * It reads; it does not decide whether a request can be answered.
 *
 * @throws ReaderInputError naming the JSON path when the document is not a camt.060, an element it needs is
 * missing or wrongly shaped, or a date or time of the period is not one
 */
export function accountReportRequests(document: unknown): AccountReportRequests {
  const { node, path } = messageRoot(document, ROOT, 'a camt.060 (account reporting request)');
  const header = requiredChild(node, 'GrpHdr', path);
  const requests = items(node, 'RptgReq');
  if (requests.length === 0) throw new ReaderInputError(`${path}.RptgReq`, 'RptgReq is missing');
  return {
    msgId: requiredText(header, 'MsgId', `${path}.GrpHdr`),
    creationDateTime: requiredText(header, 'CreDtTm', `${path}.GrpHdr`),
    requests: requests.map((request, index) => requestOf(request, `${path}.RptgReq[${index}]`)),
  };
}
