/**
 * The account report (camt.052.001.08) and the statement (camt.053.001.08) of
 * one account over a period, built from the postings the platform booked on
 * it. Both carry the same report block (`AccountReport25`, `AccountStatement9`):
 * the account, its balances, a summary of the entries and one `Ntry` per
 * posting. Building is a pure function of its input: ids and clock come in.
 */
import { ReportCurrencyMismatchError, ReportImbalanceError, ReportInputError, ReportValueLengthError } from '../errors';
import { formatMoney, type Money } from '../money';
import { compact, type JsonObject } from '../readers/json';
import { currencyExponent } from '../reference/currencies';
import { bicProblem, dateProblem, ibanProblem, isUuidV4 } from '../rules';

/** The two messages an account report request (camt.060) may be answered with. */
export type AccountReportMessageId = 'camt.052.001.08' | 'camt.053.001.08' | 'camt.054.001.08';

/** A bank transaction code: the ISO domain, family and sub-family codes, or a proprietary code. */
export type BankTransactionCode =
  | { readonly domain: string; readonly family: string; readonly subFamily: string }
  | { readonly proprietary: string; readonly issuer?: string };

/** The references of the message underlying an entry (`NtryDtls/TxDtls/Refs`), those known. */
export interface EntryReferences {
  readonly msgId?: string;
  readonly endToEndId?: string;
  readonly txId?: string;
  readonly uetr?: string;
  readonly instructionId?: string;
}

/** One posting on the account: one `Ntry` of the report. */
export interface ReportEntry {
  /** Positive amount of the entry, in the account's currency. */
  readonly amount: Money;
  /** `CRDT` raises the balance, `DBIT` lowers it. */
  readonly creditDebit: 'CRDT' | 'DBIT';
  /** Booking date-time, ISO 8601 UTC with milliseconds, within the period (`from` inclusive, `to` exclusive). */
  readonly booked: string;
  /** Value date, `YYYY-MM-DD`. */
  readonly valueDate: string;
  /**
   * `AcctSvcrRef` of the entry and of its `TxDtls/Refs`: the platform's transaction id, 1 to 35 characters
   * (Max35Text), so a UUID goes without its hyphens (32 characters).
   */
  readonly accountServicerRef: string;
  /** `BkTxCd`: ISO domain/family/sub-family codes (1 to 4 characters each), or a proprietary code (1 to 35). */
  readonly bankTransactionCode: BankTransactionCode;
  /** `NtryDtls/TxDtls/Refs` of the underlying message, those known. */
  readonly references?: EntryReferences;
  /**
   * When the underlying message carries several transactions posted as one
   * entry: the references of each (one `TxDtls` each, without an amount of
   * its own), after a `Btch` with their number and the entry's amount.
   * `references` then names the message (its MsgId).
   */
  readonly transactions?: readonly EntryReferences[];
}

/** The account reported on (`Acct`, a `CashAccount39`). */
export interface ReportAccount {
  /** `Id/Othr/Id` (1 to 34 characters), or `Id/IBAN` when `scheme` is `IBAN`. */
  readonly id: string;
  /** `Id/Othr/SchmeNm/Prtry` (1 to 35 characters); `IBAN` writes the id as `Id/IBAN` instead. */
  readonly scheme?: string;
  /** `Ccy`: the account's ISO 4217 currency; every amount must be in it. */
  readonly currency: string;
  /** `Ownr/Id/OrgId/AnyBIC` */
  readonly ownerBic?: string;
  /** `Ownr/Nm` (1 to 140 characters) */
  readonly ownerName?: string;
  /** `Svcr/FinInstnId/BICFI`: the platform's own BIC. */
  readonly servicerBic?: string;
}

/** The camt.060 a report answers (`GrpHdr/OrgnlBizQry`). */
export interface ReportQuery {
  /** Its `GrpHdr/MsgId` */
  readonly msgId: string;
  /** Its message name, `camt.060.001.05` */
  readonly messageName: string;
  /** Its `GrpHdr/CreDtTm`, as it was written */
  readonly creationDateTime?: string;
}

export interface AccountReportInput {
  readonly messageId: AccountReportMessageId;
  /** `GrpHdr/MsgId`, 1 to 35 characters. */
  readonly msgId: string;
  /** `GrpHdr/CreDtTm` (and the report's `CreDtTm`), ISO 8601 UTC with milliseconds. */
  readonly creationDateTime: string;
  readonly query?: ReportQuery;
  /** `Rpt/Id` or `Stmt/Id`, 1 to 35 characters. */
  readonly reportId: string;
  /** `FrToDt/FrDtTm`: start of the period, inclusive, ISO 8601 UTC with milliseconds. */
  readonly from: string;
  /** `FrToDt/ToDtTm`: end of the period, exclusive, after `from`. */
  readonly to: string;
  readonly account: ReportAccount;
  /** The balance at `from`; a negative one is written as a debit balance. */
  readonly opening: Money;
  readonly entries: readonly ReportEntry[];
  /** When given, must equal opening + credits − debits, else ReportImbalanceError (nothing is built). */
  readonly closing?: Money;
}

/** A built camt.052 or camt.053 in the JSON form, and the closing balance it reports. */
export interface BuiltAccountReport {
  readonly messageId: AccountReportMessageId;
  /** `{ BkToCstmrAcctRpt: … }`, `{ BkToCstmrStmt: … }` or `{ BkToCstmrDbtCdtNtfctn: … }`, ready for `toXml`. */
  readonly document: Record<string, unknown>;
  /** Opening + credits − debits, at `to` (negative when the account ends in debit). */
  readonly closing: Money;
}

const utcMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Each message's root element, its report element and the balance type at `to`. */
const shapes = {
  'camt.052.001.08': { root: 'BkToCstmrAcctRpt', report: 'Rpt', closingType: 'ITBD' },
  'camt.053.001.08': { root: 'BkToCstmrStmt', report: 'Stmt', closingType: 'CLBD' },
  // A debit or credit notification carries entries only: no balances.
  'camt.054.001.08': { root: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn', closingType: undefined },
} as const satisfies Record<AccountReportMessageId, { root: string; report: string; closingType: string | undefined }>;

const hyphenatedUuid = /^[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/;

function checkLength(path: string, value: string, maxLength: number): string {
  if (value.length >= 1 && value.length <= maxLength) return value;
  // A platform transaction id is a UUID of 36 characters: one over Max35Text.
  const hint = hyphenatedUuid.test(value) && maxLength >= 32 ? 'a UUID fits without its hyphens, in 32 characters' : undefined;
  throw new ReportValueLengthError(path, value.length, maxLength, hint ? { hint } : undefined);
}

function checkInstant(path: string, value: string): number {
  const time = utcMillis.test(value) ? Date.parse(value) : Number.NaN;
  // Date.parse rolls 2026-02-30 over into March: the written date must be the one it read.
  if (Number.isNaN(time) || new Date(time).toISOString() !== value) throw new ReportInputError(path, `'${value}' is not an ISO 8601 UTC date-time with milliseconds`);
  return time;
}

function checkDate(path: string, value: string): void {
  const problem = isoDate.test(value) ? dateProblem(value) : 'not an ISO date (YYYY-MM-DD)';
  if (problem) throw new ReportInputError(path, `'${value}': ${problem}`);
}

function checkBic(path: string, value: string | undefined): void {
  const problem = value === undefined ? undefined : bicProblem(value);
  if (problem) throw new ReportInputError(path, problem);
}

/** The amount must be in the account's currency with its ISO 4217 exponent: checked before any arithmetic. */
function checkCurrency(path: string, amount: Money, currency: string, exponent: number): void {
  if (amount.currency === currency && amount.exponent === exponent) return;
  const actual = amount.currency === currency ? `${currency} with exponent ${amount.exponent}` : amount.currency;
  throw new ReportCurrencyMismatchError(path, currency, amount.currency, `${actual} is not the account's currency ${currency} (exponent ${exponent})`);
}

function checkAccount(account: ReportAccount): number {
  const exponent = /^[A-Z]{3}$/.test(account.currency) ? currencyExponent(account.currency) : undefined;
  if (exponent === undefined) throw new ReportInputError('account.currency', `'${account.currency}' is not an active ISO 4217 currency`);
  if (account.scheme === 'IBAN') {
    const problem = ibanProblem(account.id);
    if (problem) throw new ReportInputError('account.id', problem);
  } else {
    checkLength('account.id', account.id, 34);
    if (account.scheme !== undefined) checkLength('account.scheme', account.scheme, 35);
  }
  checkBic('account.ownerBic', account.ownerBic);
  checkBic('account.servicerBic', account.servicerBic);
  if (account.ownerName !== undefined) checkLength('account.ownerName', account.ownerName, 140);
  return exponent;
}

function checkEntry(entry: ReportEntry, path: string, currency: string, exponent: number, period: { from: number; to: number }): void {
  checkCurrency(`${path}.amount`, entry.amount, currency, exponent);
  if (entry.amount.minor <= 0n) throw new ReportInputError(`${path}.amount`, `${formatMoney(entry.amount)} ${currency} is not a positive amount`);
  if (entry.creditDebit !== 'CRDT' && entry.creditDebit !== 'DBIT') throw new ReportInputError(`${path}.creditDebit`, `'${String(entry.creditDebit)}' is neither CRDT nor DBIT`);
  const booked = checkInstant(`${path}.booked`, entry.booked);
  if (booked < period.from || booked >= period.to) throw new ReportInputError(`${path}.booked`, `${entry.booked} is outside the period`);
  checkDate(`${path}.valueDate`, entry.valueDate);
  checkLength(`${path}.accountServicerRef`, entry.accountServicerRef, 35);
  const code = entry.bankTransactionCode;
  if ('proprietary' in code) {
    checkLength(`${path}.bankTransactionCode.proprietary`, code.proprietary, 35);
    if (code.issuer !== undefined) checkLength(`${path}.bankTransactionCode.issuer`, code.issuer, 35);
  } else {
    for (const key of ['domain', 'family', 'subFamily'] as const) checkLength(`${path}.bankTransactionCode.${key}`, code[key], 4);
  }
  const checkReferences = (at: string, references: EntryReferences): void => {
    for (const key of ['msgId', 'endToEndId', 'txId', 'instructionId'] as const) {
      const value = references[key];
      if (value !== undefined) checkLength(`${at}.${key}`, value, 35);
    }
    if (references.uetr !== undefined && !isUuidV4(references.uetr)) throw new ReportInputError(`${at}.uetr`, `'${references.uetr}' is not a UUID v4 in lower case`);
  };
  checkReferences(`${path}.references`, entry.references ?? {});
  (entry.transactions ?? []).forEach((references, index) => checkReferences(`${path}.transactions[${index}]`, references));
}

function checkInput(input: AccountReportInput): { exponent: number } {
  if (!(input.messageId in shapes)) throw new ReportInputError('messageId', `'${String(input.messageId)}' is none of ${Object.keys(shapes).join(', ')}`);
  checkLength('msgId', input.msgId, 35);
  checkInstant('creationDateTime', input.creationDateTime);
  if (input.query) {
    checkLength('query.msgId', input.query.msgId, 35);
    checkLength('query.messageName', input.query.messageName, 35);
    const written = input.query.creationDateTime;
    const problem = written === undefined ? undefined : isoDateTime.test(written) ? dateProblem(written) : 'not an ISO 8601 date-time';
    if (problem) throw new ReportInputError('query.creationDateTime', `'${written}': ${problem}`);
  }
  checkLength('reportId', input.reportId, 35);
  const period = { from: checkInstant('from', input.from), to: checkInstant('to', input.to) };
  if (period.to <= period.from) throw new ReportInputError('to', `${input.to} is not after from (${input.from})`);
  const exponent = checkAccount(input.account);
  const { currency } = input.account;
  checkCurrency('opening', input.opening, currency, exponent);
  if (input.closing) checkCurrency('closing', input.closing, currency, exponent);
  input.entries.forEach((entry, index) => checkEntry(entry, `entries[${index}]`, currency, exponent, period));
  return { exponent };
}

const withMinor = (like: Money, minor: bigint): Money => Object.freeze({ minor, currency: like.currency, exponent: like.exponent });
const magnitude = (minor: bigint): bigint => (minor < 0n ? -minor : minor);
/** The JSON form of an amount that may be negative: its magnitude, and a debit when below zero. */
const signed = (amount: Money): { Amt: { value: string; Ccy: string }; CdtDbtInd: 'CRDT' | 'DBIT' } => ({
  Amt: { value: formatMoney(withMinor(amount, magnitude(amount.minor))), Ccy: amount.currency },
  CdtDbtInd: amount.minor < 0n ? 'DBIT' : 'CRDT',
});

function balance(code: string, amount: Money, at: string): JsonObject {
  return { Tp: { CdOrPrtry: { Cd: code } }, ...signed(amount), Dt: { DtTm: at } };
}

function accountOf(account: ReportAccount): JsonObject {
  const id =
    account.scheme === 'IBAN'
      ? { IBAN: account.id }
      : { Othr: compact<JsonObject>({ Id: account.id, SchmeNm: account.scheme === undefined ? undefined : { Prtry: account.scheme } }) };
  const owner =
    account.ownerBic === undefined && account.ownerName === undefined
      ? undefined
      : compact<JsonObject>({ Nm: account.ownerName, Id: account.ownerBic === undefined ? undefined : { OrgId: { AnyBIC: account.ownerBic } } });
  return compact<JsonObject>({
    Id: id,
    Ccy: account.currency,
    Ownr: owner,
    Svcr: account.servicerBic === undefined ? undefined : { FinInstnId: { BICFI: account.servicerBic } },
  });
}

function bankTransactionCodeOf(code: BankTransactionCode): JsonObject {
  if ('proprietary' in code) return { Prtry: compact<JsonObject>({ Cd: code.proprietary, Issr: code.issuer }) };
  return { Domn: { Cd: code.domain, Fmly: { Cd: code.family, SubFmlyCd: code.subFamily } } };
}

function entryOf(entry: ReportEntry): JsonObject {
  const amount = { value: formatMoney(entry.amount), Ccy: entry.amount.currency };
  const references = entry.references ?? {};
  return {
    Amt: amount,
    CdtDbtInd: entry.creditDebit,
    Sts: { Cd: 'BOOK' },
    BookgDt: { DtTm: entry.booked },
    ValDt: { Dt: entry.valueDate },
    AcctSvcrRef: entry.accountServicerRef,
    BkTxCd: bankTransactionCodeOf(entry.bankTransactionCode),
    NtryDtls: [entry.transactions && entry.transactions.length > 1 ? batchDetails(entry, amount) : { TxDtls: [{ Refs: refsOf(entry, references), Amt: amount, CdtDbtInd: entry.creditDebit }] }],
  };
}

/** `TxDtls/Refs` in TransactionReferences6 order: MsgId, AcctSvcrRef, PmtInfId, InstrId, EndToEndId, UETR, TxId. */
function refsOf(entry: ReportEntry, references: EntryReferences): JsonObject {
  return compact<JsonObject>({
    MsgId: references.msgId ?? entry.references?.msgId,
    AcctSvcrRef: entry.accountServicerRef,
    InstrId: references.instructionId,
    EndToEndId: references.endToEndId,
    UETR: references.uetr,
    TxId: references.txId,
  });
}

/** The details of an entry that posts several transactions of one message: the batch, then each transaction's references. */
function batchDetails(entry: ReportEntry, amount: JsonObject): JsonObject {
  const transactions = entry.transactions ?? [];
  return {
    Btch: compact<JsonObject>({ MsgId: entry.references?.msgId, NbOfTxs: String(transactions.length), TtlAmt: amount, CdtDbtInd: entry.creditDebit }),
    TxDtls: transactions.map((references) => ({ Refs: refsOf(entry, references), CdtDbtInd: entry.creditDebit })),
  };
}

/** `NbOfNtries` and `Sum` (of the amounts, without sign) of some entries. */
function countAndSum(entries: readonly ReportEntry[], zero: Money): { NbOfNtries: string; Sum: string } {
  const sum = entries.reduce((total, entry) => total + entry.amount.minor, 0n);
  return { NbOfNtries: String(entries.length), Sum: formatMoney(withMinor(zero, sum)) };
}

/**
 * Builds a camt.052.001.08 (account report) or camt.053.001.08 (statement) in
 * the JSON form for one account over `[from, to)`. The statement carries the
 * opening booked balance (OPBD, at `from`) and the closing booked balance
 * (CLBD, at `to`); the account report the opening and the interim booked
 * balance (ITBD, at `to`). A negative balance is a debit balance of its
 * magnitude. `TxsSummry` counts and sums all, credit and debit entries, with
 * the net movement. Each entry is one booked `Ntry` with its bank transaction
 * code and one `TxDtls` carrying the references given. Every value is checked
 * first, so the result is a valid message or nothing: write it with `toXml`.
 *
 * @throws ReportValueLengthError for an id or text that is empty or too long for its element;
 * ReportCurrencyMismatchError for an amount not in the account's currency and exponent;
 * ReportImbalanceError when `closing` is given and is not opening + credits − debits;
 * ReportInputError for any other value that is not valid for its element
 */
export function accountReport(input: AccountReportInput): BuiltAccountReport {
  checkInput(input);
  const { opening, entries } = input;
  const credits = entries.filter((entry) => entry.creditDebit === 'CRDT');
  const debits = entries.filter((entry) => entry.creditDebit === 'DBIT');
  const totalOf = (list: readonly ReportEntry[]): bigint => list.reduce((total, entry) => total + entry.amount.minor, 0n);
  const net = withMinor(opening, totalOf(credits) - totalOf(debits));
  const closing = withMinor(opening, opening.minor + net.minor);
  if (input.closing && input.closing.minor !== closing.minor) {
    throw new ReportImbalanceError(formatMoney(input.closing), formatMoney(closing), closing.currency);
  }
  const zero = withMinor(opening, 0n);
  const shape = shapes[input.messageId];
  const report = {
    Id: input.reportId,
    CreDtTm: input.creationDateTime,
    FrToDt: { FrDtTm: input.from, ToDtTm: input.to },
    Acct: accountOf(input.account),
    ...(shape.closingType ? { Bal: [balance('OPBD', opening, input.from), balance(shape.closingType, closing, input.to)] } : {}),
    TxsSummry: {
      TtlNtries: { ...countAndSum(entries, zero), TtlNetNtry: { Amt: formatMoney(withMinor(net, magnitude(net.minor))), CdtDbtInd: net.minor < 0n ? 'DBIT' : 'CRDT' } },
      TtlCdtNtries: countAndSum(credits, zero),
      TtlDbtNtries: countAndSum(debits, zero),
    },
    ...(entries.length > 0 ? { Ntry: entries.map(entryOf) } : {}),
  };
  const query = input.query;
  return {
    messageId: input.messageId,
    document: {
      [shape.root]: {
        GrpHdr: compact<JsonObject>({
          MsgId: input.msgId,
          CreDtTm: input.creationDateTime,
          OrgnlBizQry: query === undefined ? undefined : compact<JsonObject>({ MsgId: query.msgId, MsgNmId: query.messageName, CreDtTm: query.creationDateTime }),
        }),
        [shape.report]: [report],
      },
    },
    closing,
  };
}
