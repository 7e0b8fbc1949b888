import type { Entity, EntityDirectory } from './ports';

/** Options of {@link CachedEntityDirectory}. */
export interface CachedEntityDirectoryOptions {
  /** How long a lookup is kept, in milliseconds (default 5000). */
  readonly ttlMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

interface Entry {
  readonly at: number;
  readonly value: Promise<Entity | undefined>;
}

/**
 * An entity directory that keeps each lookup (by id and by BIC, a miss too)
 * for a short time, so that a busy step does not read the same participants
 * for every message. What it returns may be up to `ttlMs` old: a step that
 * moves money checks the parties it relied on in the same write
 * (`TransferConditions.activeEntities`) and calls {@link forget} when they
 * changed. Writes go straight through.
 */
export class CachedEntityDirectory implements EntityDirectory {
  readonly #inner: EntityDirectory;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(inner: EntityDirectory, options: CachedEntityDirectoryOptions = {}) {
    this.#inner = inner;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  get(entityId: string): Promise<Entity | undefined> {
    return this.#cached(`id#${entityId}`, () => this.#inner.get(entityId));
  }

  findByBic(bic: string): Promise<Entity | undefined> {
    return this.#cached(`bic#${bic.trim().toUpperCase()}`, () => this.#inner.findByBic(bic));
  }

  create(entity: Entity): Promise<boolean> {
    this.forget();
    return this.#inner.create(entity);
  }

  /** Drops every kept lookup, so that the next ones read the table. */
  forget(): void {
    this.#entries.clear();
  }

  #cached(key: string, read: () => Promise<Entity | undefined>): Promise<Entity | undefined> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && now - entry.at < this.#ttlMs) return entry.value;
    const value = read();
    this.#entries.set(key, { at: now, value });
    // A failed read is not kept: the next lookup tries again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }
}
