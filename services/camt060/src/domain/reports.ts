/**
 * The camt.060 step: a participant asks for a report on its settlement
 * accounts and gets a camt.052 (account report) or camt.053 (statement) per
 * account, built from the ledger's postings. One settlement account per
 * participant and currency, named `<entity id>/<currency>` (see
 * {@link settlementAccountId}).
 */
import { ArchiveDirection, Reason, Status, archiveKey, encodeOutgoing, fitText, responseMsgId, type EncodedRecord, type IncomingRecordValue, type RecordPublisher } from '@mxflow/contracts';
import {
  ReaderInputError,
  accountReport,
  accountReportRequests,
  toJson,
  toXml,
  validateXml,
  type AccountReportRequest,
  type EntryReferences,
  type Money,
  type ReportEntry,
} from '@mxflow/iso20022';
import type { Archive, Balance, Entity, EntityDirectory, Ledger, Posting, TransactionLog, TransactionSummary } from '@mxflow/store';
import { InvalidReportError, LedgerReadError } from './errors';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'camt060';

/** The report messages a camt.060 may ask for. */
export const REPORT_MESSAGES = ['camt.052.001.08', 'camt.053.001.08'] as const;
export type ReportMessage = (typeof REPORT_MESSAGES)[number];
const isReportMessage = (name: string): name is ReportMessage => (REPORT_MESSAGES as readonly string[]).includes(name);

/** The identifier of a participant's settlement account in a currency (Acct/Id/Othr/Id): `ent-alpha/EUR`. */
export const settlementAccountId = (entityId: string, currency: string): string => `${entityId}/${currency}`;
/** The scheme name of those identifiers (Acct/Id/Othr/SchmeNm/Prtry). */
export const SETTLEMENT_ACCOUNT_SCHEME = 'SETTLEMENT';

/** What the step works with. */
export interface ReportPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary' | 'summaries'>;
  readonly ledger: Pick<Ledger, 'balances' | 'postings'>;
  readonly entities: Pick<EntityDirectory, 'get'>;
  readonly archive: Pick<Archive, 'put' | 'get'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** One account as the ledger holds it when the request is decided: its balance and every posting, read consistently. */
export interface AccountBook {
  readonly balance: Balance;
  /** Oldest first. */
  readonly postings: readonly Posting[];
}

/** What a decision is made of, all read before it. */
export interface ReportFacts {
  readonly requester: string;
  readonly entity?: Entity;
  /** The requester's accounts, by currency. */
  readonly books: ReadonlyMap<string, AccountBook>;
  /** The transactions the postings belong to, by id (those that have a state). */
  readonly transactions: ReadonlyMap<string, TransactionSummary>;
  /** When the request is decided: ISO 8601 UTC. */
  readonly at: string;
  /** The request transaction's own id, for the reports' ids. */
  readonly transactionId: string;
}

/** One report to send. */
export interface PlannedReport {
  /** Its name in the archive key and the outgoing step: `camt.053.EUR`. */
  readonly name: string;
  readonly messageId: ReportMessage;
  readonly currency: string;
  readonly document: Record<string, unknown>;
  readonly entries: number;
  readonly closing: Money;
}

/** What the step decided: the reports, or a refusal with its reason. */
export type ReportDecision =
  | { readonly kind: 'reports'; readonly reports: readonly PlannedReport[] }
  | { readonly kind: 'refused'; readonly reasonCode: string; readonly detail: string };

const DAY_MS = 86_400_000;

/** The start of the UTC day of an instant. */
const startOfDay = (at: string): string => new Date(Math.floor(Date.parse(at) / DAY_MS) * DAY_MS).toISOString();
const earlier = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * The period a request covers: what it asks for, never past the moment it is
 * decided (a report holds what is booked, not what may come). Without a
 * period, the current business day (UTC) up to that moment.
 */
export function periodOf(request: Pick<AccountReportRequest, 'from' | 'to'>, at: string): { readonly from: string; readonly to: string } {
  const to = earlier(request.to ?? at, at);
  const from = request.from ?? startOfDay(to);
  return { from: earlier(from, to), to };
}

const TRANSFER_LEGS = new Set(['debit', 'credit']);

/** The bank transaction code of a posting: ISO codes for payments and returns, a proprietary one for an operation (opening, top-up). */
export function bankTransactionCodeOf(posting: Posting, transaction: TransactionSummary | undefined): ReportEntry['bankTransactionCode'] {
  if (!TRANSFER_LEGS.has(posting.leg)) return { proprietary: posting.leg.toUpperCase().slice(0, 35), issuer: 'MXFLOW' };
  const family = posting.minor < 0n ? 'ICDT' : 'RCDT';
  return { domain: 'PMNT', family, subFamily: transaction?.messageType === 'pacs.004' ? 'RRTN' : 'DMCT' };
}

/** A transaction id as an AcctSvcrRef (Max35Text): a UUID without its hyphens, any other id as it is, cut to 35. */
export const servicerRef = (transactionId: string): string => (transactionId.length <= 35 ? transactionId : transactionId.replaceAll('-', '').slice(0, 35));

/**
 * The references of each transaction a message carries, by their place in it:
 * an id kind is used only when every transaction has one (the lists hold the
 * ids in message order, one per transaction that has it).
 */
export function transactionReferences(ids: TransactionSummary['messageIds']): EntryReferences[] {
  const endToEndIds = ids?.endToEndIds ?? [];
  const aligned = (values: readonly string[] | undefined): readonly string[] | undefined => (values && values.length === endToEndIds.length ? values : undefined);
  const uetrs = aligned(ids?.uetrs);
  const txIds = aligned(ids?.txIds);
  const instructionIds = aligned(ids?.instructionIds);
  return endToEndIds.map((endToEndId, index) => ({
    ...(ids?.msgId ? { msgId: ids.msgId } : {}),
    ...(instructionIds ? { instructionId: instructionIds[index] } : {}),
    endToEndId,
    ...(uetrs ? { uetr: uetrs[index] } : {}),
    ...(txIds ? { txId: txIds[index] } : {}),
  }));
}

/** The entry of one posting, with the underlying message's references (of each of its transactions, when it carries several). */
export function entryOf(posting: Posting, transaction: TransactionSummary | undefined): ReportEntry {
  const ids = transaction?.messageIds;
  const references = {
    ...(ids?.msgId ? { msgId: ids.msgId } : {}),
    ...(ids?.instructionIds?.[0] ? { instructionId: ids.instructionIds[0] } : {}),
    ...(ids?.endToEndIds?.[0] ? { endToEndId: ids.endToEndIds[0] } : {}),
    ...(ids?.uetrs?.[0] ? { uetr: ids.uetrs[0] } : {}),
    ...(ids?.txIds?.[0] ? { txId: ids.txIds[0] } : {}),
  };
  const transactions = transactionReferences(ids);
  return {
    amount: { minor: posting.minor < 0n ? -posting.minor : posting.minor, currency: posting.currency, exponent: posting.exponent },
    creditDebit: posting.minor < 0n ? 'DBIT' : 'CRDT',
    booked: posting.timestamp,
    valueDate: posting.timestamp.slice(0, 10),
    accountServicerRef: servicerRef(posting.transactionId),
    bankTransactionCode: bankTransactionCodeOf(posting, transaction),
    ...(Object.keys(references).length ? { references } : {}),
    ...(transactions.length > 1 ? { transactions } : {}),
  };
}

const sum = (postings: readonly Posting[]): bigint => postings.reduce((total, posting) => total + posting.minor, 0n);

/** What one report is made of. */
export interface ReportParams {
  readonly messageId: ReportMessage;
  /** Its GrpHdr/MsgId, also its Rpt/Id or Stmt/Id. */
  readonly msgId: string;
  /** Its creation time. */
  readonly at: string;
  /** The camt.060 it answers, if any. */
  readonly query?: { readonly msgId: string; readonly messageName: string; readonly creationDateTime?: string };
  readonly period: { readonly from: string; readonly to: string };
  /** The account owner's entity id, and its entity when known. */
  readonly owner: string;
  readonly entity?: Entity;
  readonly book: AccountBook;
  readonly transactions: ReadonlyMap<string, TransactionSummary>;
}

/**
 * One report (or statement) of one account over a period: the postings of the
 * period as entries, the earlier ones as the opening balance, and as the
 * closing balance the balance item less what was posted after the period,
 * which the builder checks against opening plus entries.
 */
export function reportOf(params: ReportParams): { readonly messageId: ReportMessage; readonly document: Record<string, unknown>; readonly closing: Money; readonly entries: number } {
  const { book, period } = params;
  const { currency, exponent } = book.balance;
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const before = book.postings.filter((posting) => Date.parse(posting.timestamp) < from);
  const within = book.postings.filter((posting) => Date.parse(posting.timestamp) >= from && Date.parse(posting.timestamp) < to);
  const after = book.postings.filter((posting) => Date.parse(posting.timestamp) >= to);
  const money = (minor: bigint): Money => ({ minor, currency, exponent });
  const built = accountReport({
    messageId: params.messageId,
    msgId: params.msgId,
    creationDateTime: params.at,
    ...(params.query ? { query: params.query } : {}),
    reportId: params.msgId,
    from: period.from,
    to: period.to,
    account: {
      id: settlementAccountId(params.owner, currency),
      scheme: SETTLEMENT_ACCOUNT_SCHEME,
      currency,
      ...(params.entity ? { ownerBic: params.entity.bic, ownerName: params.entity.name } : {}),
    },
    opening: money(sum(before)),
    entries: within.map((posting) => entryOf(posting, params.transactions.get(posting.transactionId))),
    closing: money(book.balance.minor - sum(after)),
  });
  return { messageId: params.messageId, document: built.document, closing: built.closing, entries: within.length };
}

/** The GrpHdr/MsgId of one report: the request's answer id, made unique per report type and currency (35 characters). */
export const reportMsgId = (transactionId: string, messageId: ReportMessage, currency: string): string =>
  `${responseMsgId(transactionId).slice(0, 31)}${messageId.charAt(7)}${currency}`;

/**
 * Decides what a camt.060 gets, from what was read: one report per request
 * and account (every currency the requester holds when the request names no
 * account). Pure: the same facts give the same reports, byte for byte.
 */
export function decideReports(value: Pick<IncomingRecordValue, 'document'>, facts: ReportFacts): ReportDecision {
  let read: ReturnType<typeof accountReportRequests>;
  try {
    read = accountReportRequests(value.document);
  } catch (error) {
    if (!(error instanceof ReaderInputError)) throw error;
    return { kind: 'refused', reasonCode: Reason.NARR, detail: error.message };
  }
  const reports: PlannedReport[] = [];
  const names = new Set<string>();
  for (const request of read.requests) {
    if (!isReportMessage(request.requestedMessage)) {
      return { kind: 'refused', reasonCode: Reason.NARR, detail: `ReqdMsgNmId ${request.requestedMessage} is not offered; ask for ${REPORT_MESSAGES.join(' or ')}` };
    }
    let currencies: string[];
    if (request.accountId === undefined) {
      currencies = [...facts.books.keys()].sort();
    } else {
      const held = [...facts.books.keys()].sort();
      const named = held.find((currency) => settlementAccountId(facts.requester, currency) === request.accountId);
      // An account id the participant registered (its IBAN) names its settlement accounts too: the one of Acct/Ccy, else every one.
      const registered = facts.entity?.accounts.some((account) => account.replaceAll(' ', '').toUpperCase() === request.accountId?.replaceAll(' ', '').toUpperCase());
      currencies = named ? [named] : registered ? (request.accountCurrency ? held.filter((currency) => currency === request.accountCurrency) : held) : [];
      if (currencies.length === 0 || (named && request.accountCurrency !== undefined && request.accountCurrency !== named)) {
        return {
          kind: 'refused',
          reasonCode: 'AC01',
          detail: `Acct ${request.accountId}${request.accountCurrency ? ` in ${request.accountCurrency}` : ''} is no settlement account of this participant; they are named ${settlementAccountId(facts.requester, '<currency>')}`,
        };
      }
    }
    const period = periodOf(request, facts.at);
    for (const currency of currencies) {
      const name = `${request.requestedMessage.slice(0, 8)}.${currency}`;
      if (names.has(name)) continue;
      names.add(name);
      const book = facts.books.get(currency);
      if (!book) continue;
      const msgId = reportMsgId(facts.transactionId, request.requestedMessage, currency);
      const built = reportOf({
        messageId: request.requestedMessage,
        msgId,
        at: facts.at,
        query: { msgId: read.msgId, messageName: 'camt.060.001.05', creationDateTime: read.creationDateTime },
        period,
        owner: facts.requester,
        ...(facts.entity ? { entity: facts.entity } : {}),
        book,
        transactions: facts.transactions,
      });
      reports.push({ name, messageId: built.messageId, currency, document: built.document, entries: built.entries, closing: built.closing });
    }
  }
  return { kind: 'reports', reports };
}

/**
 * The XML of a report, checked against its schema before anything is
 * archived or sent: an invalid report is a defect, never released.
 *
 * @throws InvalidReportError naming the first problems
 */
export function releasedXml(messageId: string, document: Record<string, unknown>): string {
  const xml = toXml(messageId, document);
  const { issues } = validateXml(xml);
  if (issues.length > 0) throw new InvalidReportError(`the ${messageId} built is not valid: ${issues.slice(0, 3).map((issue) => `${issue.path ?? ''} ${issue.message}`).join('; ')}`);
  return xml;
}

/** The record that sends one report to the requester. */
export function reportRecord(value: IncomingRecordValue, report: Pick<PlannedReport, 'name' | 'messageId' | 'document'>): EncodedRecord {
  return encodeOutgoing({
    messageId: report.messageId,
    messageType: report.messageId.slice(0, 8),
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: value.senderEntity,
    status: Status.ANSW,
    name: report.name,
    document: report.document,
  });
}

/**
 * Reads the requester's accounts so that each balance equals the sum of its
 * postings as read: a transfer committed between the two reads is read again.
 *
 * @throws LedgerReadError when the reads do not agree after a few tries (a defect, or a ledger edited by hand)
 */
export async function readBooks(ledger: ReportPorts['ledger'], entityId: string, attempts = 4): Promise<Map<string, AccountBook>> {
  let disagreement = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const balances = await ledger.balances(entityId);
    const books = new Map<string, AccountBook>();
    disagreement = '';
    for (const balance of balances) {
      const postings = await ledger.postings(entityId, balance.currency);
      const total = sum(postings);
      if (total !== balance.minor) disagreement ||= `${balance.currency} balance ${balance.minor} ≠ ${total}, the sum of its ${postings.length} postings`;
      books.set(balance.currency, { balance, postings });
    }
    if (!disagreement) return books;
  }
  throw new LedgerReadError(`the ledger of ${entityId} does not add up: ${disagreement}`);
}

/** What the request's answer step recorded: the reports were archived under the names it gives. */
const answered = (summary: TransactionSummary | undefined): boolean => Boolean(summary?.final && summary.status === Status.ANSW);

/** The archive key of a report: dated by when the request arrived, so that every delivery finds the same one. */
const reportKey = (value: IncomingRecordValue, createdAt: string, name: string): string => archiveKey(ArchiveDirection.outgoing, createdAt, value.transactionId, name);

/** The reports an earlier delivery archived, read back: they are sent again as they were. */
async function archivedReports(value: IncomingRecordValue, summary: TransactionSummary, ports: ReportPorts): Promise<Pick<PlannedReport, 'name' | 'messageId' | 'document'>[]> {
  // Each report is archived under its type and currency: look under every one the request may have made.
  const types = [...new Set(readRequests(value.document).map((request) => request.requestedMessage.slice(0, 8)))];
  const currencies = (await ports.ledger.balances(value.senderEntity)).map((balance) => balance.currency).sort();
  const reports = [];
  for (const name of types.flatMap((type) => currencies.map((currency) => `${type}.${currency}`))) {
    const bytes = await ports.archive.get(reportKey(value, summary.createdAt, name));
    if (!bytes) continue;
    const parsed = toJson(bytes);
    reports.push({ name, messageId: parsed.messageId as ReportMessage, document: parsed.document });
  }
  return reports;
}

/** The requests of a camt.060, or none when it cannot be read (its refusal says why). */
function readRequests(document: unknown): readonly AccountReportRequest[] {
  try {
    return accountReportRequests(document).requests;
  } catch (error) {
    if (error instanceof ReaderInputError) return [];
    throw error;
  }
}

/** The earliest instant any of a camt.060's reports covers: the postings before it need no transaction read. */
function reportedSince(document: unknown, at: string): string {
  return readRequests(document).reduce((earliest, request) => earlier(periodOf(request, at).from, earliest), at);
}

/** The outcome of one request. */
export interface ReportOutcome {
  readonly status: string;
  readonly reasonCode?: string;
  readonly reports: readonly string[];
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/**
 * Answers one camt.060: reads the requester's accounts, decides the reports,
 * archives each write-once, records the request's final step, and sends them.
 * Safe to run again for the same record: once the step is recorded, the
 * archived reports are sent again as they are; before that, a report an
 * earlier attempt archived is the one sent (write-once, so never two
 * versions of one report).
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function answerReportRequest(value: IncomingRecordValue, ports: ReportPorts): Promise<ReportOutcome> {
  const summary = await ports.log.summary(value.transactionId);
  if (summary && answered(summary)) {
    const reports = await archivedReports(value, summary, ports);
    await ports.bus.publish(reports.map((report) => reportRecord(value, report)));
    return { status: Status.ANSW, reports: reports.map((report) => report.name) };
  }
  // Ended otherwise (a timeout, or refused): nothing more is done.
  if (summary?.final) return { status: summary.status, ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}), reports: [] };
  const createdAt = summary?.createdAt ?? ports.now().toISOString();
  const at = ports.now().toISOString();
  const [entity, books] = await Promise.all([ports.entities.get(value.senderEntity), readBooks(ports.ledger, value.senderEntity)]);
  // Entries come from the postings of the periods asked for: only their transactions are read.
  const since = Date.parse(reportedSince(value.document, at));
  const ids = [...new Set([...books.values()].flatMap((book) => book.postings.filter((posting) => Date.parse(posting.timestamp) >= since).map((posting) => posting.transactionId)))];
  const transactions = new Map((await ports.log.summaries(ids)).map((transaction) => [transaction.transactionId, transaction]));
  const decision = decideReports(value, { requester: value.senderEntity, ...(entity ? { entity } : {}), books, transactions, at, transactionId: value.transactionId });
  const base = { transactionId: value.transactionId, timestamp: at, requestId: value.requestId, messageType: value.messageType, final: true, parties: { senderEntity: value.senderEntity } };
  if (decision.kind === 'refused') {
    await recordOnce(ports, { ...base, step: `${STEP}#${Status.RJCT}`, status: Status.RJCT, reasonCode: decision.reasonCode, detail: fitText(decision.detail) });
    return { status: Status.RJCT, reasonCode: decision.reasonCode, reports: [] };
  }
  const sent: Pick<PlannedReport, 'name' | 'messageId' | 'document'>[] = [];
  for (const report of decision.reports) {
    const key = reportKey(value, createdAt, report.name);
    try {
      await ports.archive.put({ key, body: Buffer.from(releasedXml(report.messageId, report.document), 'utf8'), metadata: { 'transaction-id': value.transactionId, 'request-id': value.requestId, 'message-type': report.messageId.slice(0, 8), 'receiver-entity': value.senderEntity } });
      sent.push(report);
    } catch (error) {
      if (errorName(error) !== 'ArchiveConflictError') throw error;
      // An earlier attempt archived this report as it stood then: that one is the report.
      const bytes = await ports.archive.get(key);
      if (!bytes) throw error;
      const parsed = toJson(bytes);
      sent.push({ name: report.name, messageId: parsed.messageId as ReportMessage, document: parsed.document });
    }
  }
  const names = sent.map((report) => report.name);
  const recorded = await recordOnce(ports, {
    ...base,
    step: `${STEP}#${Status.ANSW}`,
    status: Status.ANSW,
    answer: sent[0]?.messageId.slice(0, 8) ?? 'none',
    // The outgoing steps name the archived reports; this one names what they are called.
    detail: fitText(names.length ? `reports: ${names.join(' ')}` : 'no settlement account to report on'),
  });
  if (!recorded) return { status: Status.RJCT, reports: [] };
  await ports.bus.publish(sent.map((report) => reportRecord(value, report)));
  return { status: Status.ANSW, reports: names };
}

/** Records a final step; false when another step ended the request first (a timeout). */
async function recordOnce(ports: Pick<ReportPorts, 'log'>, step: Parameters<ReportPorts['log']['record']>[0]): Promise<boolean> {
  try {
    await ports.log.record(step);
    return true;
  } catch (error) {
    if (errorName(error) === 'StepAlreadyRecordedError') return true;
    if (errorName(error) === 'TransactionFinalError') return false;
    throw error;
  }
}

/**
 * Gives up on a request whose processing kept failing (a dead letter): the
 * request is rejected with AB04, unless an earlier delivery answered it.
 */
export async function refuseAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<ReportPorts, 'log' | 'now'>): Promise<string> {
  const summary = await ports.log.summary(value.transactionId);
  if (summary?.final) return summary.status;
  await recordOnce(ports, {
    transactionId: value.transactionId,
    step: `${STEP}#${Status.RJCT}`,
    status: Status.RJCT,
    reasonCode: Reason.AB04,
    detail: fitText(detail),
    timestamp: ports.now().toISOString(),
    requestId: value.requestId,
    messageType: value.messageType,
    final: true,
    parties: { senderEntity: value.senderEntity },
  });
  return Status.RJCT;
}
