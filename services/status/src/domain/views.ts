/**
 * What the Status API shows of a transaction, and to whom. Only the two
 * parties to a transaction may see it; anyone else is told it does not exist.
 */
import { ArchiveDirection } from '@mxflow/contracts';
import { formatMoney } from '@mxflow/iso20022/money';
import type { TransactionQuery, TransactionStep, TransactionSummary } from '@mxflow/store';
import { InvalidQueryError, NotFoundError } from './errors';

/** Whether `entityId` is a party to the transaction: its sender or its receiver. */
export function isParty(summary: TransactionSummary, entityId: string): boolean {
  return summary.senderEntity === entityId || summary.receiverEntity === entityId;
}

/** The summary when the caller may see it. @throws NotFoundError otherwise, exactly as for a missing transaction. */
export function visibleSummary(summary: TransactionSummary | undefined, entityId: string): TransactionSummary {
  if (!summary || !isParty(summary, entityId)) throw new NotFoundError();
  return summary;
}

const links = (transactionId: string) => ({
  self: `/v1/transactions/${transactionId}`,
  messages: `/v1/transactions/${transactionId}/messages`,
});

/** One transaction as the list shows it. */
export function summaryView(summary: TransactionSummary) {
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
    ...(summary.amount
      ? { amount: { value: formatMoney(summary.amount), currency: summary.amount.currency } }
      : {}),
    ...(summary.returned ? { returned: { value: formatMoney(summary.returned), currency: summary.returned.currency } } : {}),
    ...(summary.answer ? { answer: summary.answer } : {}),
    ...(summary.detail ? { detail: summary.detail } : {}),
    ...(summary.deadline ? { deadline: summary.deadline } : {}),
    ...(summary.originalTransactionId ? { originalTransactionId: summary.originalTransactionId } : {}),
    ...(summary.parentTransactionId ? { parentTransactionId: summary.parentTransactionId } : {}),
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    final: summary.final,
    links: links(summary.transactionId),
  };
}

/** `GET /v1/transactions/{id}`: the current state and every step, oldest first, with millisecond timestamps. */
export function transactionView(summary: TransactionSummary, steps: readonly TransactionStep[]) {
  return {
    ...summaryView(summary),
    steps: steps.map((step) => ({
      step: step.step,
      status: step.status,
      timestamp: step.timestamp,
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
 * The message `GET …/messages/{direction}` returns: the incoming message, or
 * the outgoing message addressed to the caller.
 *
 * @throws InvalidQueryError for another direction; NotFoundError when there is none (yet).
 */
export function messageFor(messages: readonly ArchivedMessageRef[], direction: string, entityId: string): ArchivedMessageRef {
  if (direction !== ArchiveDirection.incoming && direction !== ArchiveDirection.outgoing) {
    throw new InvalidQueryError('direction', `'${direction}' is neither incoming nor outgoing`);
  }
  const found =
    direction === ArchiveDirection.incoming
      ? messages.find((message) => message.direction === direction)
      : messages.find((message) => message.direction === direction && message.entityId === entityId);
  if (!found) throw new NotFoundError(`no ${direction} message for this caller`);
  return found;
}

/** What `GET …/messages` lists. */
export function messagesView(transactionId: string, messages: readonly ArchivedMessageRef[]) {
  return {
    transactionId,
    messages: messages.map((message) => ({
      direction: message.direction,
      messageType: message.messageType,
      ...(message.entityId ? { entityId: message.entityId } : {}),
      archiveKey: message.key,
    })),
  };
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Reads the query of `GET /v1/transactions`. @throws InvalidQueryError naming the parameter. */
export function listQuery(params: Readonly<Record<string, string | undefined>> | undefined): TransactionQuery {
  const query: { -readonly [K in keyof TransactionQuery]: TransactionQuery[K] } = {};
  const { status, from, to, cursor, limit } = params ?? {};
  if (status !== undefined) {
    if (!/^[A-Z]{4}$/.test(status)) throw new InvalidQueryError('status', `'${status}' is not a 4-letter status code`);
    query.status = status;
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
  return query;
}
