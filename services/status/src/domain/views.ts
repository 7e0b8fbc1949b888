/**
 * What the Status API shows of a transaction, and to whom. Only the two
 * parties to a transaction may see it, and the platform operator; anyone
 * else is told it does not exist.
 */
import { ArchiveDirection, childTransactionIds } from '@mxflow/contracts';
import { formatMoney, sumMoney, type Money } from '@mxflow/iso20022/money';
import type { TransactionQuery, TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidQueryError, NotFoundError } from './errors';

/** Scope of the platform operator, who may read every participant's transactions and liquidity. */
export const OPERATOR_SCOPE = 'payments/admin';

/** Who reads: an entity, and whether it is the platform operator. */
export interface Viewer {
  readonly entityId: string;
  readonly operator: boolean;
}

/** The viewer a caller is: the platform operator when its token carries `payments/admin`. */
export function viewerOf(caller: { readonly entityId: string; readonly scopes: readonly string[] }): Viewer {
  return { entityId: caller.entityId, operator: caller.scopes.includes(OPERATOR_SCOPE) };
}

/** Whether `entityId` is a party to the transaction: its sender or its receiver. */
export function isParty(summary: TransactionSummary, entityId: string): boolean {
  return summary.senderEntity === entityId || summary.receiverEntity === entityId;
}

/** The summary when the viewer may see it (a party, or the operator). @throws NotFoundError otherwise, exactly as for a missing transaction. */
export function visibleSummary(summary: TransactionSummary | undefined, viewer: Viewer): TransactionSummary {
  if (!summary || !(viewer.operator || isParty(summary, viewer.entityId))) throw new NotFoundError();
  return summary;
}

const links = (transactionId: string) => ({
  self: `/v1/transactions/${transactionId}`,
  messages: `/v1/transactions/${transactionId}/messages`,
});

const money = (amount: Money) => ({ value: formatMoney(amount), currency: amount.currency });

/**
 * Whether the viewer may see the transaction a child was made from. A
 * pain.001's one party is its sender, who is the sender of each pacs.008 made
 * from it: the receiver of such a payment may not see the pain.001, and is
 * not told its id.
 */
export function maySeeParent(summary: TransactionSummary, viewer: Viewer): boolean {
  return viewer.operator || (summary.senderEntity !== undefined && summary.senderEntity === viewer.entityId);
}

/** One transaction as the list shows it to `viewer`. */
export function summaryView(summary: TransactionSummary, viewer: Viewer) {
  const parent = summary.parentTransactionId !== undefined && maySeeParent(summary, viewer) ? summary.parentTransactionId : undefined;
  return {
    transactionId: summary.transactionId,
    status: summary.status,
    ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}),
    ...(summary.messageType ? { messageType: summary.messageType } : {}),
    messageIds: {
      ...(summary.messageIds?.msgId ? { msgId: summary.messageIds.msgId } : {}),
      endToEndIds: summary.messageIds?.endToEndIds ?? [],
      uetrs: summary.messageIds?.uetrs ?? [],
    },
    parties: {
      ...(summary.senderEntity ? { sender: summary.senderEntity } : {}),
      ...(summary.receiverEntity ? { receiver: summary.receiverEntity } : {}),
    },
    ...(summary.amount ? { amount: money(summary.amount) } : {}),
    ...(summary.returned ? { returned: money(summary.returned) } : {}),
    ...(summary.answer ? { answer: summary.answer } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.deadline ? { deadline: summary.deadline } : {}),
    ...(summary.originalTransactionId ? { originalTransactionId: summary.originalTransactionId } : {}),
    ...(parent ? { parentTransactionId: parent } : {}),
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    final: summary.final,
    links: { ...links(summary.transactionId), ...(parent ? { parent: `/v1/transactions/${parent}` } : {}) },
  };
}

/** The message type whose transfers each become a transaction of their own (a pacs.008). */
export const BATCH_MESSAGE_TYPE = 'pain.001';
/** The most child transactions the view of one pain.001 reads and lists. */
export const MAX_CHILDREN = 1000;

/** How many transfers a pain.001 holds: one EndToEndId each, in message order. */
const transferCount = (summary: TransactionSummary): number => (summary.messageType === BATCH_MESSAGE_TYPE ? (summary.messageIds?.endToEndIds?.length ?? 0) : 0);

/** The ids of the transactions made from a pain.001's transfers (at most {@link MAX_CHILDREN}); none for any other transaction. */
export function childIdsOf(summary: TransactionSummary): string[] {
  return childTransactionIds(summary.transactionId, Math.min(transferCount(summary), MAX_CHILDREN));
}

/** The type of the message a request to pay is (its payment is a pacs.008 with the same UETR). */
export const REQUEST_TO_PAY_MESSAGE_TYPE = 'pain.013';

/**
 * What to look up to link a request to pay and its payment, by the UETR they
 * share: for a pain.013, the pacs.008s; for a final pacs.008, the pain.013s.
 * `undefined` for any other transaction, or one without a UETR.
 */
export function requestToPayLookup(summary: TransactionSummary): { readonly messageType: string; readonly uetr: string } | undefined {
  const uetr = summary.messageIds?.uetrs?.[0];
  if (!uetr) return undefined;
  if (summary.messageType === REQUEST_TO_PAY_MESSAGE_TYPE) return { messageType: 'pacs.008', uetr };
  // Only once final: a client polling a payment in flight costs no extra query.
  if (summary.messageType === 'pacs.008' && summary.final) return { messageType: REQUEST_TO_PAY_MESSAGE_TYPE, uetr };
  return undefined;
}

/**
 * The link between a request to pay and its payment: a pain.013 lists the
 * pacs.008s its debtor's participant sent its creditor's with its UETR
 * (`payments`); a pacs.008 names the request it pays (`paymentRequest`), sent
 * by its receiver to its sender. Only transactions the viewer may see.
 */
export function requestToPayView(summary: TransactionSummary, linked: readonly TransactionSummary[], viewer: Viewer) {
  const visible = linked.filter((other) => viewer.operator || isParty(other, viewer.entityId));
  const brief = (other: TransactionSummary) => ({ transactionId: other.transactionId, status: other.status, ...(other.answer ? { answer: other.answer } : {}), links: links(other.transactionId) });
  if (summary.messageType === REQUEST_TO_PAY_MESSAGE_TYPE) {
    const payments = visible.filter((payment) => payment.senderEntity === summary.receiverEntity && payment.receiverEntity === summary.senderEntity);
    return { payments: payments.map(brief) };
  }
  if (summary.messageType === 'pacs.008') {
    const request = visible.find((candidate) => candidate.senderEntity === summary.receiverEntity && candidate.receiverEntity === summary.senderEntity);
    return request ? { paymentRequest: brief(request) } : {};
  }
  return {};
}

/**
 * What a pain.001's view adds: the number of its transfers, their total in
 * each currency (once every transfer's transaction exists and is read), and
 * each transfer's transaction the viewer may see, in message order, with its
 * amount, receiver and status.
 */
export function batchView(parent: TransactionSummary, children: readonly TransactionSummary[], viewer: Viewer) {
  const count = transferCount(parent);
  const made = children.filter((child) => child.parentTransactionId === parent.transactionId && (viewer.operator || isParty(child, viewer.entityId)));
  const amounts = made.flatMap((child) => (child.amount ? [child.amount] : []));
  let totals: { value: string; currency: string }[] | undefined;
  if (made.length === count && amounts.length === count && count > 0) {
    const currencies = [...new Set(amounts.map((amount) => amount.currency))];
    totals = currencies.map((currency) => money(sumMoney(amounts.filter((amount) => amount.currency === currency))));
  }
  return {
    transfers: { count, ...(totals ? { totals } : {}) },
    children: made.map((child) => ({
      transactionId: child.transactionId,
      status: child.status,
      ...(child.answer ? { answer: child.answer } : {}),
      ...(child.reasonCode ? { reasonCode: child.reasonCode } : {}),
      ...(child.messageType ? { messageType: child.messageType } : {}),
      ...(child.messageIds?.endToEndIds?.[0] ? { endToEndId: child.messageIds.endToEndIds[0] } : {}),
      parties: {
        ...(child.senderEntity ? { sender: child.senderEntity } : {}),
        ...(child.receiverEntity ? { receiver: child.receiverEntity } : {}),
      },
      ...(child.amount ? { amount: money(child.amount) } : {}),
      final: child.final,
      links: { self: `/v1/transactions/${child.transactionId}` },
    })),
  };
}

/**
 * `GET /v1/transactions/{id}`: the current state and every step, oldest
 * first, with millisecond timestamps; for a pain.001, its transfers and the
 * transactions made of them (`children`, the states of {@link childIdsOf}).
 */
export function transactionView(summary: TransactionSummary, steps: readonly TransactionStep[], viewer: Viewer, children: readonly TransactionSummary[] = [], linked: readonly TransactionSummary[] = []) {
  return {
    ...summaryView(summary, viewer),
    ...(summary.messageType === BATCH_MESSAGE_TYPE ? batchView(summary, children, viewer) : {}),
    ...requestToPayView(summary, linked, viewer),
    steps: steps.map((step) => ({
      step: step.step,
      status: step.status,
      timestamp: step.timestamp,
      ...(step.answer ? { answer: step.answer } : {}),
      ...(step.reasonCode ? { reasonCode: step.reasonCode } : {}),
      ...(step.detail ? { detail: step.detail } : {}),
      ...(step.messageType ? { messageType: step.messageType } : {}),
      // The other transaction a step names: the request that cancelled or returned this one, or the original of a request.
      ...(step.originalTransactionId ? { relatedTransactionId: step.originalTransactionId } : step.step.startsWith('return#') ? { relatedTransactionId: step.step.slice('return#'.length) } : {}),
    })),
  };
}

/** One archived message of a transaction. */
export interface ArchivedMessageRef {
  readonly direction: ArchiveDirection;
  readonly messageType: string;
  readonly key: string;
  /** Entity the message is addressed to (outgoing), or that sent it (incoming). */
  readonly entityId?: string;
}

/** Every archived message of a transaction, from the steps that archived them. */
export function archivedMessages(summary: TransactionSummary, steps: readonly TransactionStep[]): ArchivedMessageRef[] {
  const seen = new Set<string>();
  const messages: ArchivedMessageRef[] = [];
  for (const step of steps) {
    if (!step.archiveKey || seen.has(step.archiveKey)) continue;
    seen.add(step.archiveKey);
    const direction = step.archiveKey.startsWith(`${ArchiveDirection.outgoing}/`) ? ArchiveDirection.outgoing : ArchiveDirection.incoming;
    const entityId = direction === ArchiveDirection.incoming ? summary.senderEntity : step.entityId;
    messages.push({ direction, messageType: step.messageType ?? 'unknown', key: step.archiveKey, ...(entityId ? { entityId } : {}) });
  }
  return messages;
}

/**
 * Whether the viewer may read a message's bytes: the incoming message (every
 * viewer of the transaction may), an outgoing message addressed to the viewer,
 * or any message for the operator.
 */
export function mayRead(message: ArchivedMessageRef, viewer: Viewer): boolean {
  return viewer.operator || message.direction === ArchiveDirection.incoming || message.entityId === viewer.entityId;
}

/**
 * The message `GET …/messages/{direction}[?archiveKey=]` returns: the one with
 * that archive key, or else the incoming message, or the outgoing message
 * addressed to the caller.
 *
 * @throws InvalidQueryError for another direction; NotFoundError when there is none (yet), or none the viewer may read.
 */
export function messageFor(messages: readonly ArchivedMessageRef[], direction: string, viewer: Viewer, archiveKey?: string): ArchivedMessageRef {
  if (direction !== ArchiveDirection.incoming && direction !== ArchiveDirection.outgoing) {
    throw new InvalidQueryError('direction', `'${direction}' is neither incoming nor outgoing`);
  }
  const readable = messages.filter((message) => message.direction === direction && mayRead(message, viewer));
  const found =
    archiveKey !== undefined
      ? readable.find((message) => message.key === archiveKey)
      : direction === ArchiveDirection.incoming
        ? readable[0]
        : (readable.find((message) => message.entityId === viewer.entityId) ?? (viewer.operator ? readable[0] : undefined));
  if (!found) throw new NotFoundError(`no ${direction} message${archiveKey === undefined ? '' : ` ${archiveKey}`} for this caller`);
  return found;
}

/** What `GET …/messages` lists: every archived message, with a link to the bytes of each one the viewer may read. */
export function messagesView(transactionId: string, messages: readonly ArchivedMessageRef[], viewer: Viewer) {
  return {
    transactionId,
    messages: messages.map((message) => ({
      direction: message.direction,
      messageType: message.messageType,
      ...(message.entityId ? { entityId: message.entityId } : {}),
      archiveKey: message.key,
      ...(mayRead(message, viewer)
        ? { links: { content: `/v1/transactions/${transactionId}/messages/${message.direction}?${new URLSearchParams({ archiveKey: message.key })}` } }
        : {}),
    })),
  };
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const MESSAGE_TYPE = /^[a-z]{4}\.\d{3}$/;
const ENTITY_ID = /^[A-Za-z0-9._-]{1,64}$/;
// ISO 20022 Max35Text, without the characters no identifier uses.
const MAX35 = /^[^\s<>&"']{1,35}$/;
const UETR = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The identifiers a list may be searched by, each with its index in the transaction log. */
export const REFERENCE_FIELDS = ['msgId', 'endToEndId', 'uetr'] as const;
export type ReferenceField = (typeof REFERENCE_FIELDS)[number];

/** What `GET /v1/transactions` asks for. */
export interface ListRequest {
  readonly query: TransactionQuery;
  /** Whose transactions: one entity, or every participant (the operator without `participant`). */
  readonly participant: string | 'all';
  /** A search by one identifier, instead of the newest-first listing. */
  readonly reference?: { readonly field: ReferenceField; readonly value: string };
}

/**
 * Reads the query of `GET /v1/transactions`.
 *
 * @throws InvalidQueryError naming the parameter
 */
export function listRequest(params: Readonly<Record<string, string | undefined>> | undefined, viewer: Viewer): ListRequest {
  const query: { -readonly [K in keyof TransactionQuery]: TransactionQuery[K] } = {};
  const { status, type, counterparty, participant, from, to, cursor, limit } = params ?? {};
  if (status !== undefined) {
    if (!/^[A-Z]{4}$/.test(status)) throw new InvalidQueryError('status', `'${status}' is not a 4-letter status code`);
    query.status = status;
  }
  if (type !== undefined) {
    if (!MESSAGE_TYPE.test(type)) throw new InvalidQueryError('type', `'${type}' is not a message type such as pacs.008`);
    query.messageType = type;
  }
  if (counterparty !== undefined) {
    if (!ENTITY_ID.test(counterparty)) throw new InvalidQueryError('counterparty', `'${counterparty}' is not an entity id`);
    query.counterparty = counterparty;
  }
  if (participant !== undefined) {
    if (!ENTITY_ID.test(participant)) throw new InvalidQueryError('participant', `'${participant}' is not an entity id`);
    if (!viewer.operator && participant !== viewer.entityId) {
      throw new InvalidQueryError('participant', 'only the platform operator may list the transactions of another participant');
    }
  }
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value === undefined) continue;
    if (!ISO.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidQueryError(name, `'${value}' is not an ISO 8601 date or date-time`);
    query[name] = new Date(Date.parse(value)).toISOString();
  }
  if (query.from && query.to && query.from >= query.to) throw new InvalidQueryError('from', 'from must be before to');
  if (limit !== undefined) {
    const size = Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 200) throw new InvalidQueryError('limit', 'limit must be a whole number from 1 to 200');
    query.limit = size;
  }
  if (cursor !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new InvalidQueryError('cursor', 'cursor is not one this API gave out');
    query.cursor = cursor;
  }
  const references = REFERENCE_FIELDS.flatMap((field) => (params?.[field] === undefined ? [] : [{ field, value: params[field] as string }]));
  if (references.length > 1) throw new InvalidQueryError(references[1].field, `search by one of ${REFERENCE_FIELDS.join(', ')} at a time`);
  const [reference] = references;
  if (reference) {
    const pattern = reference.field === 'uetr' ? UETR : MAX35;
    if (!pattern.test(reference.value)) throw new InvalidQueryError(reference.field, `'${reference.value}' is not a${reference.field === 'uetr' ? ' UETR (UUID v4)' : ' Max35Text identifier'}`);
    if (query.cursor !== undefined) throw new InvalidQueryError('cursor', `a search by ${reference.field} has a single page`);
  }
  return { query, participant: participant ?? (viewer.operator ? 'all' : viewer.entityId), ...(reference ? { reference } : {}) };
}

/**
 * The transactions a search by identifier found that the list shows: those of
 * the participant asked for, matching every other filter, newest first, at
 * most a page.
 */
export function searchResults(found: readonly TransactionSummary[], request: ListRequest): TransactionSummary[] {
  const { query, participant } = request;
  const unique = [...new Map(found.map((summary) => [summary.transactionId, summary])).values()];
  return unique
    .filter((summary) => participant === 'all' || isParty(summary, participant))
    .filter((summary) => query.status === undefined || summary.status === query.status)
    .filter((summary) => query.messageType === undefined || summary.messageType === query.messageType)
    .filter(
      (summary) =>
        query.counterparty === undefined ||
        (participant === 'all' ? isParty(summary, query.counterparty) : (summary.senderEntity === participant ? summary.receiverEntity : summary.senderEntity) === query.counterparty),
    )
    .filter((summary) => (query.from === undefined || summary.createdAt >= query.from) && (query.to === undefined || summary.createdAt < query.to))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .slice(0, query.limit ?? 50);
}

/** What `GET /v1/liquidity[/postings]` asks for: whose balances, and in which currency. */
export interface LiquidityRequest {
  readonly entityId: string;
  readonly currency?: string;
}

/**
 * Reads the query of the liquidity routes. A participant reads its own; the
 * operator names the participant (its own entity when it names none).
 *
 * @throws InvalidQueryError naming the parameter
 */
export function liquidityRequest(params: Readonly<Record<string, string | undefined>> | undefined, viewer: Viewer): LiquidityRequest {
  const { participant, currency } = params ?? {};
  if (participant !== undefined) {
    if (!ENTITY_ID.test(participant)) throw new InvalidQueryError('participant', `'${participant}' is not an entity id`);
    if (!viewer.operator && participant !== viewer.entityId) throw new InvalidQueryError('participant', 'only the platform operator may read the liquidity of another participant');
  }
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) throw new InvalidQueryError('currency', `'${currency}' is not an ISO 4217 currency code`);
  return { entityId: participant ?? viewer.entityId, ...(currency === undefined ? {} : { currency }) };
}

/** What the statement routes are asked for: whose, which business day, which currency. */
export interface StatementsRequest extends LiquidityRequest {
  /** `YYYY-MM-DD` */
  readonly date: string;
}

const BUSINESS_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the query (and path) of the statement routes: the participant as
 * {@link liquidityRequest} reads it, the business day (`date`, the day
 * before `now` when absent) and the currency.
 *
 * @throws InvalidQueryError naming the parameter
 */
export function statementsRequest(params: Readonly<Record<string, string | undefined>> | undefined, viewer: Viewer, now: Date): StatementsRequest {
  const base = liquidityRequest(params, viewer);
  const date = params?.date ?? new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (!BUSINESS_DAY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new InvalidQueryError('date', `'${date}' is not a date YYYY-MM-DD`);
  }
  return { ...base, date };
}

/** One statement of the list, with the link to its XML. */
export function statementView(request: StatementsRequest, currency: string, key: string) {
  return { date: request.date, currency, messageType: 'camt.053', archiveKey: key, links: { content: `/v1/statements/${request.date}/${currency}?${new URLSearchParams({ participant: request.entityId })}` } };
}
