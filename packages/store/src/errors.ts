/** Base class for every error raised by `@mxflow/store`. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A Kafka request (connect, produce, commit, admin) failed. */
export class KafkaStoreError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaStoreError';
  }
}

/** The options given to a Kafka factory are unusable. */
export class KafkaConfigError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaConfigError';
  }
}

/** A DynamoDB request failed (throttling, network, service error). Retrying may succeed. */
export class DynamoDbStoreError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DynamoDbStoreError';
  }
}

/** An S3 request failed (throttling, network, service error). Retrying may succeed. */
export class S3StoreError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3StoreError';
  }
}

/** The transaction already has this step: a step is written once. Retrying cannot succeed. */
export class StepAlreadyRecordedError extends StoreError {
  readonly transactionId: string;
  readonly step: string;
  constructor(transactionId: string, step: string, options?: { cause?: unknown }) {
    super(`transaction ${transactionId} already has step ${step}`, options);
    this.name = 'StepAlreadyRecordedError';
    this.transactionId = transactionId;
    this.step = step;
  }
}

/** The archive key already holds different bytes. Retrying cannot succeed. */
export class ArchiveConflictError extends StoreError {
  readonly key: string;
  constructor(key: string, options?: { cause?: unknown }) {
    super(`archive key ${key} already holds a different object`, options);
    this.name = 'ArchiveConflictError';
    this.key = key;
  }
}

/** A debit would take a balance below zero. Nothing was written. */
export class InsufficientFundsError extends StoreError {
  readonly entityId: string;
  readonly currency: string;
  constructor(entityId: string, currency: string, options?: { cause?: unknown }) {
    super(`the ${currency} balance of ${entityId} does not cover the amount`, options);
    this.name = 'InsufficientFundsError';
    this.entityId = entityId;
    this.currency = currency;
  }
}

/** An entity has no balance in the currency, or it is kept with another exponent. Nothing was written. */
export class LedgerAccountError extends StoreError {
  readonly entityId: string;
  readonly currency: string;
  constructor(entityId: string, currency: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerAccountError';
    this.entityId = entityId;
    this.currency = currency;
  }
}

/**
 * The transaction already reached a final status (ACSC, RJCT, CANC …): nothing
 * more is recorded for it. Retrying cannot succeed.
 */
export class TransactionFinalError extends StoreError {
  readonly transactionId: string;
  /** The final status it holds. */
  readonly status: string;
  constructor(transactionId: string, status: string, options?: { cause?: unknown }) {
    super(`transaction ${transactionId} is final with status ${status}`, options);
    this.name = 'TransactionFinalError';
    this.transactionId = transactionId;
    this.status = status;
  }
}

/**
 * The transaction (or operation reference) already posted something different
 * under the same posting key: another amount, currency or counterparty.
 * Nothing was written. Retrying cannot succeed.
 */
export class LedgerConflictError extends StoreError {
  readonly transactionId: string;
  constructor(transactionId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerConflictError';
    this.transactionId = transactionId;
  }
}

/**
 * The request cannot be carried out as given: a malformed amount, currency or
 * timestamp, a transfer to oneself, a reserved step name, an unreadable
 * cursor. Nothing was written. Retrying cannot succeed.
 */
export class StoreRequestError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreRequestError';
  }
}

/**
 * A return found its original changed since it was read (another return, or a
 * status it may not be returned from). Nothing was written: read the original
 * again and decide anew.
 */
export class ReturnConflictError extends StoreError {
  readonly originalTransactionId: string;
  constructor(originalTransactionId: string, options?: { cause?: unknown }) {
    super(`transaction ${originalTransactionId} changed while its return was being posted`, options);
    this.name = 'ReturnConflictError';
    this.originalTransactionId = originalTransactionId;
  }
}

/** There is no dead letter with this id. */
export class DeadLetterNotFoundError extends StoreError {
  readonly id: string;
  constructor(id: string, options?: { cause?: unknown }) {
    super(`there is no dead letter ${id}`, options);
    this.name = 'DeadLetterNotFoundError';
    this.id = id;
  }
}

/** There is no item with this key (an entity, a mapping). Nothing was written. */
export class ItemNotFoundError extends StoreError {
  /** What was looked for: `entity`, `mapping`. */
  readonly kind: string;
  readonly id: string;
  constructor(kind: string, id: string, options?: { cause?: unknown }) {
    super(`there is no ${kind} ${id}`, options);
    this.name = 'ItemNotFoundError';
    this.kind = kind;
    this.id = id;
  }
}

/**
 * The item changed since the writer read it: its version is not the one the
 * write expected. Nothing was written; read it again and decide anew.
 */
export class VersionConflictError extends StoreError {
  readonly kind: string;
  readonly id: string;
  readonly expectedVersion: number;
  /** The version it holds now. */
  readonly actualVersion: number;
  constructor(kind: string, id: string, expectedVersion: number, actualVersion: number, options?: { cause?: unknown }) {
    super(`${kind} ${id} is at version ${actualVersion}, not ${expectedVersion}`, options);
    this.name = 'VersionConflictError';
    this.kind = kind;
    this.id = id;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * The transaction's deadline passed before the step could be recorded: money
 * moves only before it. Nothing was written; the transaction is timed out
 * instead. Retrying cannot succeed.
 */
export class DeadlinePassedError extends StoreError {
  readonly transactionId: string;
  /** The deadline it had, ISO 8601 UTC. */
  readonly deadline: string;
  constructor(transactionId: string, deadline: string, options?: { cause?: unknown }) {
    super(`transaction ${transactionId} passed its deadline ${deadline}`, options);
    this.name = 'DeadlinePassedError';
    this.transactionId = transactionId;
    this.deadline = deadline;
  }
}

/**
 * A unique key (a UETR, a TxId, a MsgId of one sender) is held by another
 * transaction. Nothing was written. Retrying cannot succeed.
 */
export class KeyClaimedError extends StoreError {
  readonly key: string;
  /** The transaction that holds it. */
  readonly owner: string;
  /** What the holder claimed it with (a body's digest, its request id). */
  readonly attributes: Readonly<Record<string, string>>;
  constructor(key: string, owner: string, options?: { cause?: unknown; attributes?: Readonly<Record<string, string>> }) {
    super(`${key} is held by transaction ${owner}`, options);
    this.name = 'KeyClaimedError';
    this.key = key;
    this.owner = owner;
    this.attributes = options?.attributes ?? {};
  }
}

/**
 * A directory record (an entity, a client's mapping) that a write relied on
 * changed since it was read: nothing was written. Read it again and decide anew.
 */
export class RecordChangedError extends StoreError {
  readonly kind: 'entity' | 'mapping';
  readonly id: string;
  constructor(kind: 'entity' | 'mapping', id: string, options?: { cause?: unknown }) {
    super(`${kind} ${id} changed since it was read`, options);
    this.name = 'RecordChangedError';
    this.kind = kind;
    this.id = id;
  }
}

/**
 * An entity the write relied on is no longer as it was read (suspended, or
 * gone). Nothing was written: read it again and decide anew.
 */
export class EntityChangedError extends StoreError {
  readonly entityId: string;
  constructor(entityId: string, options?: { cause?: unknown }) {
    super(`entity ${entityId} changed since it was read`, options);
    this.name = 'EntityChangedError';
    this.entityId = entityId;
  }
}
