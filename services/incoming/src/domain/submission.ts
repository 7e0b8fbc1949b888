/**
 * The pure rules of the incoming step: which status a message gets, what is
 * recorded with it, and what goes to which Kafka topic.
 */
import {
  MalformedXmlError,
  SchemaValidationError,
  checkBusinessRules,
  parseMessage,
  type EngineOptions,
  type JsonObject,
  type ParsedMessage,
} from '@mxflow/iso20022';
import { Reason, Status, deadlineOf, encodeIncoming, slaSeconds, type EncodedRecord, type SlaRule } from '@mxflow/contracts';
import { InvalidIdempotencyKeyError, MessageRejectedError, RejectionKind, UnsupportedContentTypeError } from './errors';

export { Status };

/** Reason code for a message that is not a well-formed, schema-valid file (ExternalStatusReason1Code FF01 InvalidFileFormat). */
export const INVALID_FILE_FORMAT = Reason.FF01;

/** One reason a message is rejected, located in it. */
export interface RejectionIssue {
  /** Element path (`/Document/…`) for XML issues, JSON path (`$.…`) for business rules. */
  readonly path: string;
  readonly message: string;
  readonly reasonCode: string;
  readonly line?: number;
  readonly column?: number;
}

/** The message's own identifiers. */
export interface MessageIds {
  readonly msgId?: string;
  readonly endToEndIds: readonly string[];
  readonly uetrs: readonly string[];
  /** Its transactions' own TxIds (not the original ones a request names). */
  readonly txIds?: readonly string[];
  /** Its transactions' own InstrIds. */
  readonly instructionIds?: readonly string[];
}

/** A message that passed every check. */
export interface AcceptedMessage {
  readonly status: typeof Status.ACTC;
  readonly message: ParsedMessage;
  readonly messageIds: MessageIds;
}

/** Media types accepted for a message body; parameters such as charset are ignored. */
const XML_MEDIA_TYPE = /^(application|text)\/([a-z0-9.+-]+\+)?xml$/;
/** Media types of the JSON form. */
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;
/** What a body without a declared type is (RFC 9110 §8.3): its type is found by looking at it. */
const UNDECLARED_MEDIA_TYPE = 'application/octet-stream';

const mediaTypeOf = (contentType: string | undefined): string => (contentType ?? '').split(';')[0].trim().toLowerCase();

/** Whether the body is a message in the JSON form (`{ messageId, document }`). */
export function isJsonForm(contentType: string | undefined): boolean {
  return JSON_MEDIA_TYPE.test(mediaTypeOf(contentType));
}

/**
 * Checks the declared Content-Type of an XML submission. A missing header, or
 * `application/octet-stream`, is accepted: the body is sniffed. Anything that
 * is not an XML media type is not.
 *
 * @throws UnsupportedContentTypeError
 */
export function checkContentType(contentType: string | undefined): void {
  const media = mediaTypeOf(contentType);
  if (media === '' || media === UNDECLARED_MEDIA_TYPE) return;
  if (!XML_MEDIA_TYPE.test(media)) throw new UnsupportedContentTypeError(media);
}

const ID_KEYS = {
  msgId: new Set(['MsgId']),
  endToEnd: new Set(['EndToEndId', 'OrgnlEndToEndId']),
  uetr: new Set(['UETR', 'OrgnlUETR']),
  txId: new Set(['TxId']),
  instructionId: new Set(['InstrId']),
};

/**
 * The identifiers to record with the transaction: the group header's MsgId
 * (the first `MsgId` in document order, which is the group header's; the
 * assignment's Id for messages without one), and every EndToEndId and UETR
 * (the original ones in returns, cancellations and status requests), in
 * document order.
 */
export function messageIdsOf(document: JsonObject): MessageIds {
  let msgId: string | undefined;
  const endToEndIds: string[] = [];
  const uetrs: string[] = [];
  const txIds: string[] = [];
  const instructionIds: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (ID_KEYS.msgId.has(key)) msgId ??= value;
      else if (ID_KEYS.endToEnd.has(key)) endToEndIds.push(value);
      else if (ID_KEYS.uetr.has(key)) uetrs.push(value);
      else if (ID_KEYS.txId.has(key)) txIds.push(value);
      else if (ID_KEYS.instructionId.has(key)) instructionIds.push(value);
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key);
    else if (value && typeof value === 'object') for (const [child, nested] of Object.entries(value)) visit(nested, child);
  };
  visit(document, '');
  // camt.056 and camt.029 have no group header: their assignment's Id is the message id.
  if (msgId === undefined) {
    const root = Object.values(document)[0] as { Assgnmt?: { Id?: unknown } } | undefined;
    if (typeof root?.Assgnmt?.Id === 'string') msgId = root.Assgnmt.Id;
  }
  return {
    ...(msgId === undefined ? {} : { msgId }),
    endToEndIds,
    uetrs,
    ...(txIds.length ? { txIds } : {}),
    ...(instructionIds.length ? { instructionIds } : {}),
  };
}

/** Elements whose code (`Cd` or `Prtry`) names the scheme a message runs under. */
const SCHEME_KEYS = new Set(['ClrSys', 'SvcLvl', 'LclInstrm']);

/**
 * When a message times out unless final: its creation time (the first
 * `CreDtTm`, the group header's or the assignment's) plus the SLA of its type
 * and scheme (the clearing system, service level or local instrument codes
 * it names). The clock starts when the sender created the message, as the
 * schemes' time-outs do (SCT Inst counts from the originator bank's
 * timestamp), but never later than its arrival: a CreDtTm in the future
 * does not buy time. `undefined` when no rule applies.
 */
export function deadlineFor(messageType: string, document: JsonObject, rules: readonly SlaRule[], receivedAt?: string): string | undefined {
  let created: string | undefined;
  const schemes: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (key === 'CreDtTm') created ??= value;
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const entries = Object.entries(value as Record<string, unknown>);
    if (SCHEME_KEYS.has(key)) {
      for (const [child, code] of entries) if ((child === 'Cd' || child === 'Prtry') && typeof code === 'string') schemes.push(code);
    }
    for (const [child, nested] of entries) visit(nested, child);
  };
  visit(document, '');
  const seconds = slaSeconds(rules, messageType, schemes);
  if (created === undefined || seconds === undefined) return undefined;
  const fromCreation = deadlineOf(created, seconds);
  const fromArrival = receivedAt === undefined ? undefined : deadlineOf(receivedAt, seconds);
  return fromCreation !== undefined && fromArrival !== undefined && fromArrival < fromCreation ? fromArrival : fromCreation;
}

/** Reason code of a message whose deadline passed before it was accepted (ExternalStatusReason1Code AB05 TimeoutCreditorAgent). */
export const TIMEOUT = Reason.AB05;

/**
 * Refuses a message whose SLA ran out before it arrived: it gets its RJCT
 * AB05 at once, and nothing is queued, so it can neither settle nor wait
 * for the sweep.
 *
 * @throws MessageRejectedError with AB05, naming the creation time
 */
export function checkInTime(accepted: AcceptedMessage, deadline: string | undefined, now: string): void {
  if (deadline === undefined || deadline > now) return;
  const root = Object.keys(accepted.message.document)[0] ?? 'Document';
  const header = root === 'FIToFIPmtCxlReq' ? 'Assgnmt' : 'GrpHdr';
  throw new MessageRejectedError(
    RejectionKind.late,
    [{ path: `$.${root}.${header}.CreDtTm`, message: `its deadline ${deadline} passed before it arrived at ${now}`, reasonCode: TIMEOUT }],
    { messageType: accepted.message.messageType, messageIds: accepted.messageIds, document: accepted.message.document },
  );
}

/**
 * Validates a submitted message against its schema and the business rules.
 *
 * @returns the accepted message in its JSON form, with its identifiers
 * @throws MessageRejectedError for a malformed, schema-invalid or rule-breaking message;
 * other @mxflow/iso20022 errors (unsupported, too large, hostile) pass through unchanged.
 */
export function assessMessage(body: Uint8Array | string, options?: EngineOptions): AcceptedMessage {
  let message: ParsedMessage;
  try {
    message = parseMessage(body, options);
  } catch (error) {
    if (error instanceof SchemaValidationError) {
      const issues = error.issues.map((issue) => ({
        path: issue.path,
        message: issue.message,
        reasonCode: INVALID_FILE_FORMAT,
        line: issue.line,
        column: issue.column,
      }));
      throw new MessageRejectedError(RejectionKind.schema, issues, {}, { cause: error });
    }
    if (error instanceof MalformedXmlError) {
      const issue = { path: '/', message: error.message, reasonCode: INVALID_FILE_FORMAT, ...(error.line ? { line: error.line, column: error.column } : {}) };
      throw new MessageRejectedError(RejectionKind.malformed, [issue], {}, { cause: error });
    }
    throw error;
  }
  const messageIds = messageIdsOf(message.document);
  const violations = checkBusinessRules(message.messageId, message.document);
  if (violations.length > 0) {
    const issues = violations.map((violation) => ({ path: violation.path, message: violation.message, reasonCode: violation.code }));
    throw new MessageRejectedError(RejectionKind.rules, issues, { messageType: message.messageType, messageIds, document: message.document });
  }
  return { status: Status.ACTC, message, messageIds };
}

/** Reason code of a message already accepted (ExternalStatusReason1Code AM05 Duplication). */
export const DUPLICATION = Reason.AM05;

/**
 * What makes two submissions the same message: the submitting entity, the
 * message type and the MsgId, which ISO 20022 requires to be unique per
 * instructing party. Messages without a MsgId have none.
 */
export function duplicateKeyOf(entityId: string, accepted: AcceptedMessage): string | undefined {
  const { msgId } = accepted.messageIds;
  return msgId === undefined ? undefined : `${entityId}#${accepted.message.messageType}#${msgId}`;
}

/**
 * Refuses a message whose duplicate key an earlier transaction already holds.
 *
 * @throws MessageRejectedError with AM05, naming the earlier transaction
 */
export function checkNotDuplicate(accepted: AcceptedMessage, earlierTransactions: readonly string[]): void {
  if (earlierTransactions.length === 0) return;
  const root = Object.keys(accepted.message.document)[0] ?? 'Document';
  const field = root === 'FIToFIPmtCxlReq' ? 'Assgnmt.Id' : 'GrpHdr.MsgId';
  throw new MessageRejectedError(
    RejectionKind.rules,
    [
      {
        path: `$.${root}.${field}`,
        message: `${accepted.messageIds.msgId} was already accepted from this participant (transaction ${earlierTransactions[0]})`,
        reasonCode: DUPLICATION,
      },
    ],
    { messageType: accepted.message.messageType, messageIds: accepted.messageIds, document: accepted.message.document },
  );
}

/** Builds the record of an accepted message: keyed by the sender, so one participant's messages keep their order. */
export function incomingRecord(
  accepted: AcceptedMessage,
  ids: { readonly transactionId: string; readonly requestId: string },
  senderEntity: string,
  archiveKey?: string,
  deadline?: string,
): EncodedRecord {
  const { message } = accepted;
  return encodeIncoming({
    messageId: message.messageId,
    messageType: message.messageType,
    transactionId: ids.transactionId,
    requestId: ids.requestId,
    senderEntity,
    ...(archiveKey ? { archiveKey } : {}),
    ...(deadline ? { deadline } : {}),
    document: message.document,
    ...(message.appHdr ? { appHdr: message.appHdr } : {}),
  });
}

/** Status of a suspended participant (the store's EntityStatus.SUSPENDED; the domain imports no adapters). */
const SUSPENDED = 'SUSPENDED';

const AGENT_PATHS = [
  ['GrpHdr', 'InstgAgt'],
  ['CdtTrfTxInf', 'InstgAgt'],
  ['TxInf', 'InstgAgt'],
  ['CdtTrfTxInf', 'DbtrAgt'],
  ['TxInf', 'OrgnlTxRef', 'DbtrAgt'],
  ['Assgnmt', 'Assgnr', 'Agt'],
  // A request to pay (pain.013) comes from its creditor agent; its answer (pain.014) from the debtor agent.
  ['PmtInf', 'CdtTrfTx', 'CdtrAgt'],
  ['GrpHdr', 'DbtrAgt'],
  ['PmtInf', 'DbtrAgt'],
] as const;

const first = (node: unknown): unknown => (Array.isArray(node) ? node[0] : node);

/**
 * The BIC of the agent that instructs a message: the group header's or first
 * transaction's InstgAgt, the creditor agent of a request to pay, the debtor
 * agent of its answer, or else the debtor agent. `undefined` for messages
 * that name neither (cancellations name an assigner instead).
 */
export function instructingAgentOf(document: JsonObject): { readonly bic: string; readonly path: string } | undefined {
  const [rootName, root] = Object.entries(document)[0] ?? [];
  if (!rootName || typeof root !== 'object' || root === null) return undefined;
  for (const path of AGENT_PATHS) {
    let node: unknown = root;
    for (const key of path) node = (first(node) as Record<string, unknown> | undefined)?.[key];
    const bic = (first(node) as { FinInstnId?: { BICFI?: unknown } } | undefined)?.FinInstnId?.BICFI;
    if (typeof bic === 'string') return { bic, path: `$.${rootName}.${path.join('.')}.FinInstnId.BICFI` };
  }
  return undefined;
}

/**
 * Refuses a message whose instructing agent (see {@link instructingAgentOf})
 * is not the caller's own entity: a participant may only send as itself.
 * `agentEntity` is the entity that BIC belongs to, if any, with its status: a
 * suspended participant sends nothing (AG10).
 *
 * @throws MessageRejectedError (forbidden, AG01 or AG10) naming the agent's path
 */
export function checkInstructingAgent(
  accepted: AcceptedMessage,
  agent: { readonly bic: string; readonly path: string },
  callerEntity: string,
  agentEntity: string | undefined,
  agentStatus?: string,
): void {
  if (agentEntity === callerEntity && agentStatus === SUSPENDED) {
    throw new MessageRejectedError(
      RejectionKind.forbidden,
      [{ path: agent.path, message: `the participant ${agent.bic} is suspended and may not send`, reasonCode: Reason.AG10 }],
      { messageType: accepted.message.messageType, messageIds: accepted.messageIds, document: accepted.message.document },
    );
  }
  if (agentEntity === callerEntity) return;
  throw new MessageRejectedError(
    RejectionKind.forbidden,
    [{ path: agent.path, message: `the instructing agent ${agent.bic} is not the participant this token acts for`, reasonCode: Reason.AG01 }],
    { messageType: accepted.message.messageType, messageIds: accepted.messageIds, document: accepted.message.document },
  );
}

/** Longest Idempotency-Key accepted. */
export const MAX_IDEMPOTENCY_KEY = 255;

/**
 * The key of a request that carries an `Idempotency-Key`, scoped by the
 * caller so that two participants never share a key. (A request without one
 * is deduplicated by its MsgId claim, not by a key.)
 *
 * @throws InvalidIdempotencyKeyError for an empty, overlong or non-printable header
 */
export function idempotencyKeyOf(callerEntity: string, header: string): string {
  if (header.length === 0 || header.length > MAX_IDEMPOTENCY_KEY || !/^[\x21-\x7e]+$/.test(header)) {
    throw new InvalidIdempotencyKeyError(`Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY} printable ASCII characters without spaces`);
  }
  return `${callerEntity}#key#${header}`;
}

/** The hour a submission counts against the caller's archive quota, and when that count may go. */
export interface QuotaWindow {
  /** UTC hour: `2026-12-02T07`. */
  readonly window: string;
  /** Epoch seconds an hour after the window ends (the count's TTL). */
  readonly expiresAt: number;
  /** Seconds until the next window opens: the Retry-After of a refusal. */
  readonly retryAfterSeconds: number;
}

/** The archive-quota window of `now`. */
export function quotaWindow(now: Date): QuotaWindow {
  const hourMs = 60 * 60 * 1000;
  const end = Math.floor(now.getTime() / hourMs) * hourMs + hourMs;
  return {
    window: now.toISOString().slice(0, 13),
    expiresAt: Math.floor((end + hourMs) / 1000),
    retryAfterSeconds: Math.max(1, Math.ceil((end - now.getTime()) / 1000)),
  };
}

/** The body of the 202 answer. */
export interface AcceptedAnswer {
  readonly transactionId: string;
  readonly requestId: string;
  /** ACTC for a new transaction; whatever status it has now for a repeat of one. */
  readonly status: string;
  readonly messageType: string;
  readonly links: { readonly status: string };
}
