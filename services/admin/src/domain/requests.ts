/**
 * What the admin API accepts: each request body, path segment and query
 * parameter checked and turned into the store's terms. Every refusal names
 * the field.
 */
import { Reason } from '@mxflow/contracts';
import { formatMoney, money, type Money } from '@mxflow/iso20022/money';
import type { ClientMapping, Entity, EntityChanges, MappingChanges, PageQuery } from '@mxflow/store';
import { InvalidRequestError } from './errors';

/** The scope every admin route needs. */
export const ADMIN_SCOPE = 'payments/admin';

/** The statuses an admin may give an entity or a mapping. */
export const AdminStatus = { ACTIVE: 'ACTIVE', SUSPENDED: 'SUSPENDED' } as const;
/** One of {@link AdminStatus}. */
export type AdminStatusName = (typeof AdminStatus)[keyof typeof AdminStatus];

/**
 * The messages a participant may receive as notifications of the postings on
 * its settlement account: today the camt.054 debit/credit notification.
 */
export const NotificationType = { CAMT_054: 'camt.054' } as const;
/** One of {@link NotificationType}. */
export type NotificationTypeName = (typeof NotificationType)[keyof typeof NotificationType];
const NOTIFICATION_TYPES: readonly string[] = Object.values(NotificationType);

/** Liquidity operations: the leg name of their posting too. */
export const LiquidityType = { TOP_UP: 'top-up', WITHDRAWAL: 'withdrawal' } as const;
/** One of {@link LiquidityType}. */
export type LiquidityTypeName = (typeof LiquidityType)[keyof typeof LiquidityType];

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// A BIC: institution (4 letters), country (2 letters), location (2), optional branch (3).
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
// An account identifier (IBAN or a domestic one): letters and digits.
const ACCOUNT = /^[A-Z0-9]{5,34}$/;
// Scopes of the resource server (`payments/read`).
const SCOPE = /^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/;
// The reference ends up in the posting key, whose separator is `#`.
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const CURRENCY = /^[A-Z]{3}$/;

type Body = Record<string, unknown>;

/** The JSON object of a request body. @throws InvalidRequestError (path `body`) otherwise. */
export function parseBody(body: string | undefined, isBase64Encoded = false): Body {
  if (body === undefined || body === '') throw new InvalidRequestError('body', 'a JSON object is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
  } catch (cause) {
    throw new InvalidRequestError('body', 'is not JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidRequestError('body', 'must be a JSON object');
  return parsed as Body;
}

function refuseUnknown(body: Body, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new InvalidRequestError(unknown, `is not a field of this request (allowed: ${allowed.join(', ')})`);
}

function text(body: Body, field: string, pattern: RegExp | undefined, required: true): string;
function text(body: Body, field: string, pattern: RegExp | undefined, required: false): string | undefined;
function text(body: Body, field: string, pattern: RegExp | undefined, required: boolean): string | undefined {
  const value = body[field];
  if (value === undefined) {
    if (required) throw new InvalidRequestError(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidRequestError(field, 'must be a non-empty string');
  if (value.length > 140) throw new InvalidRequestError(field, 'is longer than 140 characters');
  if (pattern && !pattern.test(value)) throw new InvalidRequestError(field, `'${value}' is not in the expected form`);
  return value;
}

function list(body: Body, field: string, pattern: RegExp, normalise: (value: string) => string = (value) => value): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidRequestError(field, 'must be a list of strings');
  return [
    ...new Set(
      value.map((item, index) => {
        const normalised = typeof item === 'string' ? normalise(item.trim()) : item;
        if (typeof normalised !== 'string' || !pattern.test(normalised)) throw new InvalidRequestError(`${field}[${index}]`, `'${String(item)}' is not in the expected form`);
        return normalised;
      }),
    ),
  ];
}

function status(body: Body): AdminStatusName | undefined {
  const value = body.status;
  if (value === undefined) return undefined;
  if (value !== AdminStatus.ACTIVE && value !== AdminStatus.SUSPENDED) throw new InvalidRequestError('status', `must be ${AdminStatus.ACTIVE} or ${AdminStatus.SUSPENDED}`);
  return value;
}

/**
 * `notifications`: the message types the participant is to receive, each one
 * offered ({@link NotificationType}), without repeats and sorted; `[]` switches
 * them off. A refusal carries NARR: the problem's words say why.
 */
function notifications(body: Body): NotificationTypeName[] | undefined {
  const value = body.notifications;
  if (value === undefined) return undefined;
  const offered = NOTIFICATION_TYPES.map((type) => `'${type}'`).join(', ');
  if (!Array.isArray(value)) throw new InvalidRequestError('notifications', `must be a list of message types (offered: ${offered}; [] for none)`, { reasonCode: Reason.NARR });
  const types = value.map((item: unknown, index) => {
    if (typeof item !== 'string' || !NOTIFICATION_TYPES.includes(item)) {
      throw new InvalidRequestError(`notifications[${index}]`, `'${String(item)}' is not a message type offered as a notification (offered: ${offered})`, { reasonCode: Reason.NARR });
    }
    return item as NotificationTypeName;
  });
  return [...new Set(types)].sort();
}

const upper = (value: string): string => value.toUpperCase();
const compact = (value: string): string => value.replace(/\s+/g, '').toUpperCase();

/** An id in a path (`{id}`), checked. */
export function pathId(value: string | undefined, name = 'id'): string {
  if (!value || !ID.test(value)) throw new InvalidRequestError(name, `'${value ?? ''}' is not an id (letters, digits, '.', '_', '-'; at most 64)`);
  return value;
}

/** `POST /v1/admin/entities`: a new participant, ACTIVE unless said otherwise, notified of nothing unless it lists `notifications`. */
export function parseEntity(body: Body): Entity {
  refuseUnknown(body, ['entityId', 'name', 'bic', 'bics', 'accounts', 'status', 'notifications']);
  const entityId = pathId(text(body, 'entityId', undefined, true), 'entityId');
  const name = text(body, 'name', undefined, true);
  const bic = upper(text(body, 'bic', undefined, true));
  if (!BIC.test(bic)) throw new InvalidRequestError('bic', `'${bic}' is not a BIC`);
  const bics = list(body, 'bics', BIC, upper) ?? [];
  const notified = notifications(body);
  return {
    entityId,
    name,
    bic,
    bics: [bic, ...bics.filter((other) => other !== bic)],
    accounts: list(body, 'accounts', ACCOUNT, compact) ?? [],
    status: status(body) ?? AdminStatus.ACTIVE,
    ...(notified?.length ? { notifications: notified } : {}),
  };
}

/**
 * `PATCH /v1/admin/entities/{id}`: the fields to change. The BICs are
 * resolved against the current entity, so that the primary BIC always stays
 * among them. The status changes through suspend and reinstate only.
 */
export function parseEntityChanges(body: Body, current: Entity): EntityChanges {
  refuseUnknown(body, ['name', 'bic', 'bics', 'accounts', 'notifications', 'version']);
  const name = text(body, 'name', undefined, false);
  const given = text(body, 'bic', undefined, false);
  const bic = given === undefined ? undefined : upper(given);
  if (bic !== undefined && !BIC.test(bic)) throw new InvalidRequestError('bic', `'${bic}' is not a BIC`);
  const bics = list(body, 'bics', BIC, upper);
  const accounts = list(body, 'accounts', ACCOUNT, compact);
  const notified = notifications(body);
  const changes: EntityChanges = {
    ...(name === undefined ? {} : { name }),
    ...(bic === undefined && bics === undefined ? {} : { bic: bic ?? current.bic, bics: bics ?? [...current.bics] }),
    ...(accounts === undefined ? {} : { accounts }),
    ...(notified === undefined ? {} : { notifications: notified }),
  };
  if (Object.keys(changes).length === 0) throw new InvalidRequestError('body', 'names nothing to change (name, bic, bics, accounts, notifications)');
  return changes;
}

/** `POST /v1/admin/entities/{id}/mappings`: a client of that entity. */
export function parseMapping(body: Body, entityId: string): ClientMapping {
  refuseUnknown(body, ['clientId', 'scopes', 'status']);
  const scopes = list(body, 'scopes', SCOPE);
  if (!scopes?.length) throw new InvalidRequestError('scopes', 'must list at least one scope');
  return { clientId: pathId(text(body, 'clientId', undefined, true), 'clientId'), entityId, scopes, status: status(body) ?? AdminStatus.ACTIVE };
}

/** `PATCH /v1/admin/mappings/{clientId}`: the fields to change. */
export function parseMappingChanges(body: Body): MappingChanges {
  refuseUnknown(body, ['entityId', 'scopes', 'status', 'version']);
  const entityId = text(body, 'entityId', undefined, false);
  const scopes = list(body, 'scopes', SCOPE);
  if (scopes && scopes.length === 0) throw new InvalidRequestError('scopes', 'must list at least one scope');
  const given = status(body);
  const changes: MappingChanges = {
    ...(entityId === undefined ? {} : { entityId: pathId(entityId, 'entityId') }),
    ...(scopes === undefined ? {} : { scopes }),
    ...(given === undefined ? {} : { status: given }),
  };
  if (Object.keys(changes).length === 0) throw new InvalidRequestError('body', 'names nothing to change (entityId, scopes, status)');
  return changes;
}

/**
 * The version a write expects: `If-Match: "3"` or a `version` field. Absent,
 * the write expects the version just read, which still refuses a change made
 * between that read and the write.
 */
export function expectedVersion(ifMatch: string | undefined, body: Body | undefined, read: number): number {
  const fromHeader = ifMatch?.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  const raw = fromHeader ?? body?.version;
  if (raw === undefined) return read;
  const version = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isSafeInteger(version) || version < 0) throw new InvalidRequestError(fromHeader === undefined ? 'version' : 'If-Match', `'${String(raw)}' is not a version`);
  return version;
}

/** A liquidity operation: its signed amount (negative withdraws) and the reference that makes it idempotent. */
export interface LiquidityRequest {
  readonly type: LiquidityTypeName;
  /** Positive: what the operator asked for. */
  readonly amount: Money;
  /** Signed, as the posting holds it. */
  readonly posting: Money;
  readonly reference: string;
}

/** A currency code in a path or body. */
export function currencyOf(value: unknown, path = 'currency'): string {
  if (typeof value !== 'string' || !CURRENCY.test(value)) throw new InvalidRequestError(path, `'${String(value ?? '')}' is not an ISO 4217 currency code`);
  return value;
}

function amountOf(value: unknown, currency: string, path: string): Money {
  if (typeof value !== 'string') throw new InvalidRequestError(path, 'must be a decimal string such as "125.00"');
  try {
    return money(value, currency);
  } catch (cause) {
    throw new InvalidRequestError(path, (cause as Error).message, { cause });
  }
}

/** `POST /v1/admin/entities/{id}/liquidity`: `{ type: 'top-up'|'withdrawal', amount: '125.00', currency: 'EUR', reference }`. */
export function parseLiquidity(body: Body): LiquidityRequest {
  refuseUnknown(body, ['type', 'amount', 'currency', 'reference']);
  const type = body.type;
  if (type !== LiquidityType.TOP_UP && type !== LiquidityType.WITHDRAWAL) throw new InvalidRequestError('type', `must be '${LiquidityType.TOP_UP}' or '${LiquidityType.WITHDRAWAL}'`);
  const currency = currencyOf(body.currency);
  const amount = amountOf(body.amount, currency, 'amount');
  if (amount.minor === 0n) throw new InvalidRequestError('amount', 'must be more than zero');
  const reference = text(body, 'reference', REFERENCE, true);
  return { type, amount, posting: type === LiquidityType.WITHDRAWAL ? { ...amount, minor: -amount.minor } : amount, reference };
}

/** `PUT /v1/admin/entities/{id}/thresholds/{currency}`: `{ amount: '100.00' }`. */
export function parseThreshold(body: Body, currency: string): Money {
  refuseUnknown(body, ['amount']);
  return amountOf(body.amount, currency, 'amount');
}

/** `?limit=&cursor=` of a list. */
export function parsePage(query: Readonly<Record<string, string | undefined>> | undefined): PageQuery {
  const limit = query?.limit;
  const cursor = query?.cursor;
  let parsed: number | undefined;
  if (limit !== undefined) {
    parsed = Number(limit);
    if (!Number.isInteger(parsed) || parsed < 1 || parsed > 200) throw new InvalidRequestError('limit', 'must be a whole number from 1 to 200');
  }
  return { ...(parsed === undefined ? {} : { limit: parsed }), ...(cursor ? { cursor } : {}) };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 20022 reason code of an invalid date (ExternalStatusReason1Code DT01). */
const INVALID_DATE = 'DT01';

/**
 * `?date=YYYY-MM-DD` of a reconciliation: a UTC calendar day, not after
 * `today`, which it defaults to.
 *
 * @throws InvalidRequestError naming `date`, with reason code DT01
 */
export function parseReconciliationDate(value: string | undefined, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  if (value === undefined || value === '') return today;
  const parts = DATE.exec(value);
  const refuse = (message: string): never => {
    throw new InvalidRequestError('date', message, { reasonCode: INVALID_DATE });
  };
  if (!parts) return refuse(`'${value}' is not a date in the form YYYY-MM-DD`);
  const day = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  // Date.UTC rolls 2026-02-30 over into March: a day that does not exist comes back different.
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) return refuse(`'${value}' is not a calendar day`);
  if (value > today) return refuse(`${value} is after today (${today}, UTC): there is nothing to reconcile yet`);
  return value;
}

/** A decimal amount for a view or the audit log. */
export const decimal = (amount: Money): string => formatMoney(amount);
