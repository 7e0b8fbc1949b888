/**
 * What the admin API shows, and what it decides from what it read: the
 * entity views, the deletion rule, the suspension change, the low-balance alert.
 */
import { formatMoney } from '@mxflow/iso20022/money';
import type { AuditEntry, Balance, ClientMapping, DeadLetter, Entity } from '@mxflow/store';
import { ConflictError } from './errors';
import { AdminStatus, type AdminStatusName } from './requests';

/** Subjects of the audit log. */
export const Subject = {
  entity: (entityId: string) => `entity/${entityId}`,
  mapping: (clientId: string) => `mapping/${clientId}`,
  deadLetter: (id: string) => `dead-letter/${id}`,
} as const;

/** One entity as the API shows it. */
export function entityView(entity: Entity) {
  return {
    entityId: entity.entityId,
    name: entity.name,
    bic: entity.bic,
    bics: [...entity.bics],
    accounts: [...entity.accounts],
    status: entity.status,
    notifications: [...(entity.notifications ?? [])],
    version: entity.version ?? 0,
    links: { self: `/v1/admin/entities/${entity.entityId}`, mappings: `/v1/admin/entities/${entity.entityId}/mappings`, liquidity: `/v1/admin/entities/${entity.entityId}/liquidity` },
  };
}

/** One client mapping as the API shows it. */
export function mappingView(mapping: ClientMapping) {
  return {
    clientId: mapping.clientId,
    entityId: mapping.entityId,
    scopes: [...mapping.scopes],
    status: mapping.status,
    version: mapping.version ?? 0,
    links: { self: `/v1/admin/mappings/${encodeURIComponent(mapping.clientId)}`, entity: `/v1/admin/entities/${mapping.entityId}` },
  };
}

/** A dead letter, with whether and when it was re-driven. */
export function deadLetterView(letter: DeadLetter) {
  return {
    ...letter,
    replayed: letter.replayedAt !== undefined,
    links: { self: `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}`, replay: `/v1/admin/dead-letters/${encodeURIComponent(letter.id)}/replay` },
  };
}

/** An audit entry: who, when, what, before and after. */
export function auditView(entry: AuditEntry) {
  return {
    id: entry.id,
    subject: entry.subject,
    action: entry.action,
    actor: entry.actor,
    timestamp: entry.timestamp,
    epochMs: Date.parse(entry.timestamp),
    ...(entry.before === undefined ? {} : { before: entry.before }),
    ...(entry.after === undefined ? {} : { after: entry.after }),
  };
}

/** The audit form of an entity: its fields without links. */
export const entityState = (entity: Entity) => ({
  name: entity.name,
  bic: entity.bic,
  bics: [...entity.bics],
  accounts: [...entity.accounts],
  status: entity.status,
  notifications: [...(entity.notifications ?? [])],
  version: entity.version ?? 0,
});

/** The audit form of a mapping. */
export const mappingState = (mapping: ClientMapping) => ({
  entityId: mapping.entityId,
  scopes: [...mapping.scopes],
  status: mapping.status,
  version: mapping.version ?? 0,
});

/**
 * An entity may go only when nothing is left of it: every balance zero and
 * no client mapped to it.
 *
 * @throws ConflictError naming the balances and clients that remain
 */
export function assertDeletable(entityId: string, balances: readonly Balance[], mappings: readonly ClientMapping[]): void {
  const held = balances.filter((balance) => balance.minor !== 0n);
  if (held.length) {
    throw new ConflictError(
      'entity-has-balance',
      `${entityId} still holds ${held.map((balance) => `${formatMoney(balance)} ${balance.currency}`).join(', ')}; withdraw it first`,
      held.map((balance) => ({ path: `balances.${balance.currency}`, message: `${formatMoney(balance)} is not zero` })),
    );
  }
  if (mappings.length) {
    throw new ConflictError(
      'entity-has-mappings',
      `${entityId} still has clients mapped to it: ${mappings.map((mapping) => mapping.clientId).join(', ')}; delete them first`,
      mappings.map((mapping) => ({ path: `mappings.${mapping.clientId}`, message: 'is mapped to this entity' })),
    );
  }
}

/** The action and new status of a suspension or reinstatement; `undefined` when the entity is there already. */
export function statusChange(entity: Entity, to: AdminStatusName): { action: string; status: AdminStatusName } | undefined {
  if (entity.status === to) return undefined;
  return { action: to === AdminStatus.SUSPENDED ? 'entity.suspend' : 'entity.reinstate', status: to };
}

