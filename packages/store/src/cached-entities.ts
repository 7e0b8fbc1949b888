import type { ClientMapping, Entity, EntityDirectory, MappingDirectory } from './ports';

/** Options of {@link CachedEntityDirectory}. */
export interface CachedEntityDirectoryOptions {
  /** How long a lookup is kept, in milliseconds (default 5000). */
  readonly ttlMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

interface Entry<T> {
  readonly at: number;
  readonly value: Promise<T | undefined>;
}

/** Lookups kept for `ttlMs`; a failed one is not kept. */
class Kept<T> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<T>>();

  constructor(options: CachedEntityDirectoryOptions) {
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  get(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.#now();
    const entry = this.#entries.get(key);
    if (entry && now - entry.at < this.#ttlMs) return entry.value;
    const value = read();
    this.#entries.set(key, { at: now, value });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  forget(key?: string): void {
    if (key === undefined) this.#entries.clear();
    else this.#entries.delete(key);
  }
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
  readonly #kept: Kept<Entity>;

  constructor(inner: EntityDirectory, options: CachedEntityDirectoryOptions = {}) {
    this.#inner = inner;
    this.#kept = new Kept(options);
  }

  get(entityId: string): Promise<Entity | undefined> {
    return this.#kept.get(`id#${entityId}`, () => this.#inner.get(entityId));
  }

  findByBic(bic: string): Promise<Entity | undefined> {
    return this.#kept.get(`bic#${bic.trim().toUpperCase()}`, () => this.#inner.findByBic(bic));
  }

  create(entity: Entity): Promise<boolean> {
    this.forget();
    return this.#inner.create(entity);
  }

  /** Drops every kept lookup, so that the next ones read the table. */
  forget(): void {
    this.#kept.forget();
  }
}

/**
 * A mapping directory that keeps each client's mapping (a miss too) for a
 * short time. What it returns may be up to `ttlMs` old: a write that relies
 * on it checks the mapping's version in the same write (`RecordRead`), and a
 * refusal is decided on a fresh read ({@link forget} first).
 */
export class CachedMappingDirectory implements MappingDirectory {
  readonly #inner: MappingDirectory;
  readonly #kept: Kept<ClientMapping>;

  constructor(inner: MappingDirectory, options: CachedEntityDirectoryOptions = {}) {
    this.#inner = inner;
    this.#kept = new Kept(options);
  }

  find(clientId: string): Promise<ClientMapping | undefined> {
    return this.#kept.get(clientId, () => this.#inner.find(clientId));
  }

  /** Drops the kept mapping of `clientId` (of every client without one). */
  forget(clientId?: string): void {
    this.#kept.forget(clientId);
  }
}
