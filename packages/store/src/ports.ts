/**
 * Small interfaces the workflow steps depend on. The adapters in `dynamodb/`
 * and `s3/` implement them with an injected AWS SDK client; tests and other
 * worlds can implement them differently.
 */

import type { DeadLetterValue } from '@mxflow/contracts';
import type { Money } from '@mxflow/iso20022/money';

/** Status of an identity client in the mapping table. */
export const ClientStatus = {
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
} as const;
/** One of {@link ClientStatus}, or any other string an operator wrote. */
export type ClientStatusName = (typeof ClientStatus)[keyof typeof ClientStatus] | (string & {});

/** What the mapping table says about an identity client. */
export interface ClientMapping {
  readonly clientId: string;
  readonly entityId: string;
  /** Scopes the operator allows this client; a token's scope is checked against these too. */
  readonly scopes: readonly string[];
  readonly status: ClientStatusName;
  /** Write count of the item: an admin change names the version it read, so that two admins cannot overwrite each other. */
  readonly version?: number;
}

/** Resolves an identity client (OAuth `client_id`) to the participant entity it acts for. */
export interface MappingDirectory {
  /** The mapping of `clientId`, or `undefined` when there is none. */
  find(clientId: string): Promise<ClientMapping | undefined>;
}

/** The identifiers a message carries, kept with every step. */
export interface MessageIds {
  /** GrpHdr/MsgId. */
  readonly msgId?: string;
  /** Every EndToEndId, in message order. */
  readonly endToEndIds?: readonly string[];
  /** Every UETR, in message order. */
  readonly uetrs?: readonly string[];
  /** Every TxId (PmtId/TxId), in message order. */
  readonly txIds?: readonly string[];
  /** Every InstrId (PmtId/InstrId), in message order. */
  readonly instructionIds?: readonly string[];
}

/** One workflow step of a transaction, as the transaction table holds it. */
export interface TransactionStep {
  /** UUID of the transaction. */
  readonly transactionId: string;
  /** Sort key, unique per transaction: `<service>#<status>`, e.g. `incoming#RCVD`. */
  readonly step: string;
  /** ISO 20022 status (RCVD, ACTC, RJCT, ACSP, ACSC …). */
  readonly status: string;
  /** When the step happened: ISO 8601 UTC with milliseconds. */
  readonly timestamp: string;
  /** Id of the request (API call or event) that produced this step. */
  readonly requestId: string;
  /** `pacs.008` */
  readonly messageType?: string;
  readonly messageIds?: MessageIds;
  /** Participant entity on whose behalf the message came in. */
  readonly entityId?: string;
  /** Key of the archived message this step refers to. */
  readonly archiveKey?: string;
  /**
   * Base64 SHA-256 of the archived message's bytes (as {@link ArchiveReceipt.sha256}),
   * when the step knew them: reconciliation checks the archive still holds exactly
   * these bytes. Steps recorded before it was kept have only the key.
   */
  readonly archiveSha256?: string;
  /** ISO 20022 reason code of a rejection (ExternalStatusReason1Code). */
  readonly reasonCode?: string;
  /**
   * What makes a message a duplicate of another (entity, type and MsgId),
   * written on the step that accepted it. The guarantee itself is a claim
   * (see {@link TransactionLog.claim}), not a query.
   */
  readonly duplicateKey?: string;
  /** The parties, once known: the sender on the first step, the receiver once resolved. */
  readonly parties?: TransactionParties;
  /** The settlement amount, once read from the message. */
  readonly amount?: LedgerAmount;
  /** Whether this status ends the transaction (ACSC, RJCT, CANC …). */
  readonly final?: boolean;
  /**
   * A step that records what happened to the transaction without changing its
   * state (an outgoing message archived and notified). It may follow a final status.
   */
  readonly informational?: boolean;
  /** When the transaction times out unless final (its CreDtTm plus its SLA): ISO 8601 UTC. */
  readonly deadline?: string;
  /** The transaction this one was made from (a pacs.008 from a pain.001). */
  readonly parentTransactionId?: string;
  /** The transaction this one refers to (the original of a return, cancellation or status request). */
  readonly originalTransactionId?: string;
  /** What a request was answered with: CNCL or RJCR (camt.029), the status a pacs.002 reported. */
  readonly answer?: string;
  /** Words that go with the reason code (a response's AddtlInf, at most 105 characters). */
  readonly detail?: string;
}

/** Options of {@link TransactionLog.record}. */
export interface RecordOptions {
  /**
   * A final step whose answer the recorder sends itself, with no redelivery
   * behind it (the timeout sweep, a refusal at the door): the transaction stays in the sweep until
   * {@link TransactionLog.answered} says the answer is out, so that a crash
   * between the two is answered by the next sweep.
   */
  readonly answerPending?: boolean;
}

/** A unique key claimed for a transaction, with what it was claimed with (string attributes kept on the claim). */
export interface KeyClaim {
  readonly key: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * A directory record a decision was made on, at the version it was read:
 * the write of that decision checks that the record is still at it
 * (RecordChangedError otherwise), so that the read may come from a cache.
 */
export interface RecordRead {
  readonly kind: 'entity' | 'mapping';
  /** The entity id, or the client id of a mapping. */
  readonly id: string;
  /** Its `version` when read (0 for an item without one). */
  readonly version: number;
}

/** Who may read a transaction: the entity that sent it and the one it is addressed to. */
export interface TransactionParties {
  readonly senderEntity?: string;
  readonly receiverEntity?: string;
}

/**
 * The current state of a transaction: one item per transaction (sort key
 * `STATE`), updated with every recorded step.
 */
export interface TransactionSummary {
  readonly transactionId: string;
  readonly status: string;
  readonly reasonCode?: string;
  readonly messageType?: string;
  readonly messageIds?: MessageIds;
  readonly senderEntity?: string;
  readonly receiverEntity?: string;
  readonly amount?: LedgerAmount;
  /** First step's timestamp. */
  readonly createdAt: string;
  /** Last step's timestamp. */
  readonly updatedAt: string;
  /** True once a final status was recorded. */
  readonly final: boolean;
  /** The step that recorded the final status (`pacs008#ACSC`, `timeout#RJCT`), once final. */
  readonly finalStep?: string;
  /** When it times out unless final. */
  readonly deadline?: string;
  /** What returns (pacs.004) took back of it so far. */
  readonly returned?: LedgerAmount;
  readonly parentTransactionId?: string;
  readonly originalTransactionId?: string;
  /** What a request was answered with (see {@link TransactionStep.answer}). */
  readonly answer?: string;
  /** Words that go with the reason code. */
  readonly detail?: string;
}

/**
 * How a message refers to an earlier transaction: its type and one of its ids
 * (OrgnlUETR, OrgnlEndToEndId, OrgnlMsgId).
 */
export interface TransactionReference {
  /** Type of the referenced message (`pacs.008`). */
  readonly messageType: string;
  readonly uetr?: string;
  readonly endToEndId?: string;
  readonly msgId?: string;
}

/** A page of a list query. */
export interface TransactionPage {
  readonly items: readonly TransactionSummary[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

/** Filters of {@link TransactionLog.list}. */
export interface TransactionQuery {
  readonly status?: string;
  /** Only transactions of this message type (`pacs.008`). */
  readonly messageType?: string;
  /** Only transactions with this entity as the other party (sender or receiver). */
  readonly counterparty?: string;
  /** Inclusive lower bound of `createdAt`, ISO 8601. */
  readonly from?: string;
  /** Exclusive upper bound of `createdAt`, ISO 8601. */
  readonly to?: string;
  /** Page size, default 50, at most 200. */
  readonly limit?: number;
  readonly cursor?: string;
}

/** What the timeout sweep has to do now, and when next ({@link TransactionLog.sweepWork}). */
export interface SweepWork {
  /** Ids of the transactions to act on now, earliest first. */
  readonly overdue: readonly string[];
  /** More are due than were asked for. */
  readonly more?: boolean;
  /** The deadline of the earliest open transaction that is not due yet. */
  readonly nextDeadline?: Date;
}

/** The transaction table: one item per step, each written once. */
export interface TransactionLog {
  /**
   * Records a step.
   *
   * @throws StepAlreadyRecordedError when this transaction already has this step.
   */
  record(step: TransactionStep, options?: RecordOptions): Promise<void>;
  /**
   * Records a step that may have been recorded already (a redelivery), or come
   * after another step ended the transaction: neither is a failure. Resolves
   * the transaction's state as it stands afterwards, whoever wrote it, so the
   * caller answers with what was recorded.
   */
  recordOnce(step: TransactionStep): Promise<TransactionSummary | undefined>;
  /**
   * Records the first steps of a new transaction (received, then accepted or
   * rejected) and claims its unique keys, in one atomic write: the
   * transaction exists with its decision, or not at all.
   *
   * `reads` are the directory records the decision relied on, checked in the
   * same write. With `options.answerPending`, a final last step is recorded
   * as pending its answer (see {@link RecordOptions}).
   *
   * @throws RecordChangedError when one of `reads` is no longer at its version (nothing is written; this
   * comes before a held key); KeyClaimedError when another transaction holds a key (nothing is written);
   * StepAlreadyRecordedError when the transaction exists already
   */
  recordFirstSteps(steps: readonly TransactionStep[], claims?: readonly KeyClaim[], reads?: readonly RecordRead[], options?: RecordOptions): Promise<void>;
  /** Every recorded step of a transaction, oldest first. */
  steps(transactionId: string): Promise<TransactionStep[]>;
  /** Whether the transaction has this step (one strongly consistent read of that item alone). */
  hasStep(transactionId: string, step: string): Promise<boolean>;
  /** The current state and every step of a transaction, oldest first, from one consistent read. */
  history(transactionId: string): Promise<{ readonly summary?: TransactionSummary; readonly steps: TransactionStep[] }>;
  /** The current state of a transaction, or `undefined` when it has none. Strongly consistent. */
  summary(transactionId: string): Promise<TransactionSummary | undefined>;
  /**
   * The current state of several transactions, in the order of `transactionIds`,
   * those without one left out. Strongly consistent, in batches of 100 keys.
   */
  summaries(transactionIds: readonly string[]): Promise<TransactionSummary[]>;
  /** The transactions an entity (or any of several) sent or received, newest first. */
  list(entityIds: string | readonly string[], query?: TransactionQuery): Promise<TransactionPage>;
  /**
   * Claims a unique key (a UETR from one sender, a MsgId) for a transaction
   * with a conditional write. Resolves the owner: `transactionId` when this
   * call or an earlier one by the same transaction claimed it, another id when
   * another transaction holds it.
   */
  claim(key: string, transactionId: string): Promise<string>;
  /** Who holds a key, and what it was claimed with; `undefined` when nobody does. Strongly consistent. */
  heldBy(key: string): Promise<{ readonly owner: string; readonly attributes: Readonly<Record<string, string>> } | undefined>;
  /** Gives up a key this transaction claimed (a rejected payment); a key another transaction holds stays. */
  release(key: string, transactionId: string): Promise<void>;
  /**
   * The transactions a reference may mean, newest first: every transaction of
   * that type carrying the UETR (else the EndToEndId, else the MsgId). The
   * caller decides which one is the caller's to see.
   */
  findByReference(reference: TransactionReference, limit?: number): Promise<TransactionSummary[]>;
  /**
   * Ids of the transactions the timeout sweep must act on, earliest first:
   * open (not final) ones whose deadline is at or before `now`, and before
   * them final ones recorded with `answerPending` whose answer is not out yet.
   */
  overdue(now: Date, limit?: number): Promise<string[]>;
  /**
   * What the timeout sweep has to do, in one read: the ids {@link overdue}
   * gives, whether more are due than `limit`, and the deadline of the
   * earliest open transaction not due yet (none when nothing else is open).
   */
  sweepWork(now: Date, limit?: number): Promise<SweepWork>;
  /**
   * Takes a final transaction recorded with `answerPending` out of the sweep,
   * once its answer is out.
   *
   * @throws StoreRequestError when the transaction is not final
   */
  answered(transactionId: string): Promise<void>;
}

/** An object to archive. */
export interface ArchiveEntry {
  readonly key: string;
  readonly body: Uint8Array;
  /** Default `application/xml`. */
  readonly contentType?: string;
  /** Written as object metadata (ASCII values). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What an archive write did. */
export interface ArchiveReceipt {
  readonly key: string;
  /** S3 version id, when the bucket is versioned. */
  readonly versionId?: string;
  /** Base64 SHA-256 of the body. */
  readonly sha256: string;
  /** True when the same bytes were already archived under this key (a retry). */
  readonly alreadyArchived: boolean;
}

/** Write-once storage of raw messages. */
export interface Archive {
  /**
   * Writes an object once. Writing the same bytes again is a no-op that
   * reports `alreadyArchived`.
   *
   * @throws ArchiveConflictError when the key already holds different bytes.
   */
  put(entry: ArchiveEntry): Promise<ArchiveReceipt>;
  /** The bytes under `key`, or `undefined` when there are none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Whether `key` holds an object, without reading it. */
  has(key: string): Promise<boolean>;
}

/** Status of a participant entity. */
export const EntityStatus = {
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
} as const;
/** One of {@link EntityStatus}, or any other string an operator wrote. */
export type EntityStatusName = (typeof EntityStatus)[keyof typeof EntityStatus] | (string & {});

/** A participant of the platform, as the entity table holds it. */
export interface Entity {
  readonly entityId: string;
  readonly name: string;
  /** Its primary BIC (indexed by `byBic`). */
  readonly bic: string;
  /** Every BIC it answers to, the primary one included. */
  readonly bics: readonly string[];
  /** Account identifiers (IBANs) it holds. */
  readonly accounts: readonly string[];
  readonly status: EntityStatusName;
  /**
   * The message types the participant receives as notifications of the
   * postings on its settlement account (`'camt.054'`), sorted. Absent or
   * empty: it receives none.
   */
  readonly notifications?: readonly string[];
  /** Write count of the item: an admin change names the version it read, so that two admins cannot overwrite each other. */
  readonly version?: number;
}

/** The entity table: participants by id and by BIC. */
export interface EntityDirectory {
  /** The entity, or `undefined` when there is none. */
  get(entityId: string): Promise<Entity | undefined>;
  /**
   * The entity whose primary BIC is `bic`. An 8-character BIC also matches the
   * entity whose primary BIC is that BIC with `XXX` (its head office).
   */
  findByBic(bic: string): Promise<Entity | undefined>;
  /** Writes an entity unless one with its id exists; resolves true when written. */
  create(entity: Entity): Promise<boolean>;
}

/** An amount in minor units of a currency: the platform's one Money type. */
export type LedgerAmount = Money;

/** The balance of one entity in one currency. */
export interface Balance extends LedgerAmount {
  readonly entityId: string;
  readonly updatedAt: string;
}

/** One leg of a transaction on one entity's balance. */
export interface Posting {
  readonly entityId: string;
  readonly currency: string;
  readonly exponent: number;
  /** Signed: negative debits, positive credits. */
  readonly minor: bigint;
  /** The transaction (or operation) that posted it. */
  readonly transactionId: string;
  /** `debit`, `credit`, or an operation name (`opening`, `top-up`). */
  readonly leg: string;
  /** When it was posted: ISO 8601 UTC with milliseconds. */
  readonly timestamp: string;
}

/** A movement of liquidity from one entity to another. */
export interface LedgerTransfer {
  readonly transactionId: string;
  readonly debtorEntity: string;
  readonly creditorEntity: string;
  /** Positive. */
  readonly amount: LedgerAmount;
  /** ISO 8601 UTC with milliseconds. */
  readonly timestamp: string;
}

/**
 * The return of (part of) a settled transaction, written with the return's
 * transfer: the original's returned amount goes from `before` to `after`, and
 * its status becomes PART or RTND, only if nobody changed it meanwhile.
 */
export interface ReturnOfOriginal {
  readonly originalTransactionId: string;
  /** What earlier returns took back, as read with the original's state. */
  readonly returnedBefore: bigint;
  readonly returnedAfter: bigint;
  /** PART, or RTND once the whole amount came back. */
  readonly status: string;
  /** The return's own transaction id, the original's step name carries it. */
  readonly returnTransactionId: string;
  readonly requestId: string;
  readonly timestamp: string;
}

/** What else a transfer checks and writes in its one atomic write. */
export interface TransferConditions {
  /**
   * Unique keys (a sender's UETR, TxId) claimed for the transaction in the
   * same write: when another transaction holds one, nothing moves
   * (KeyClaimedError). A rejected payment therefore never holds a key.
   */
  readonly claims?: readonly string[];
  /**
   * Entities that must still be ACTIVE when the money moves: the parties, when
   * the decision read them from a cache (EntityChangedError otherwise: read
   * them again and decide anew).
   */
  readonly activeEntities?: readonly string[];
}

/** What a transfer did. */
export interface TransferReceipt {
  /** True when this transaction's postings already existed (a redelivery): nothing moved again. */
  readonly alreadyPosted: boolean;
}

/**
 * The liquidity table: one balance item per entity and currency, and one
 * posting item per transaction leg. A balance always equals the sum of its postings.
 */
export interface Ledger {
  /**
   * Debits the debtor and credits the creditor in one atomic write, with the
   * two posting items keyed by transaction id and leg. A repeat of the same
   * transaction id moves nothing and reports `alreadyPosted`.
   *
   * With `step`, that step of the transaction is recorded in the same atomic
   * write: the liquidity moves only if the transaction has no final status yet
   * (a timeout that got there first wins), and a repeat finds both done.
   *
   * @throws InsufficientFundsError when the debtor's balance does not cover the amount (nothing changes);
   * LedgerAccountError when either side has no balance in the currency, or the exponent disagrees;
   * TransactionFinalError when `step` finds the transaction already final (nothing changes);
   * ReturnConflictError when `returnOf` finds the original changed since it was read (nothing changes: read it again);
   * DeadlinePassedError when `step` comes at or after the transaction's deadline (nothing changes);
   * KeyClaimedError when another transaction holds one of `conditions.claims`; EntityChangedError when
   * one of `conditions.activeEntities` is no longer ACTIVE.
   */
  transfer(transfer: LedgerTransfer, step?: TransactionStep, returnOf?: ReturnOfOriginal, conditions?: TransferConditions): Promise<TransferReceipt>;
  /**
   * Credits (positive) or debits (negative) one entity for an operation such as
   * an opening balance or a top-up, creating the balance when absent. Keyed by
   * `reference`, so a repeat posts nothing.
   *
   * @throws InsufficientFundsError when a debit would make the balance negative.
   */
  adjust(entityId: string, amount: LedgerAmount, reference: string, leg: string, timestamp: string): Promise<TransferReceipt>;
  /** The balance of an entity in a currency, or `undefined`. */
  balance(entityId: string, currency: string): Promise<Balance | undefined>;
  /** Every balance of an entity. */
  balances(entityId: string): Promise<Balance[]>;
  /** Every posting of an entity, oldest first; of one currency when given. */
  postings(entityId: string, currency?: string): Promise<Posting[]>;
}

/** Usage counted per subject and time window, against a limit: archive bytes per participant and hour. */
export interface UsageMeter {
  /**
   * Adds `amount` to what `subject` used in `window`, unless the total would
   * pass `limit`. Resolves true when counted, false when refused (nothing is
   * added then). The count may be forgotten after `expiresAt` (epoch seconds).
   */
  consume(subject: string, window: string, amount: number, limit: number, expiresAt: number): Promise<boolean>;
}

/** A record a consumer gave up on, as the dead-letter table keeps it: the dead letter, and its re-drive. */
export interface DeadLetter extends DeadLetterValue {
  /** When it was re-driven, and by whom; absent while it waits. */
  readonly replayedAt?: string;
  readonly replayedBy?: string;
}

/** A page of dead letters, newest first. */
export interface DeadLetterPage {
  readonly items: readonly DeadLetter[];
  readonly cursor?: string;
}

/** The dead-letter table: attempts of records being retried, and the records given up on. */
export interface DeadLetterStore {
  /**
   * Counts one more failed attempt at the record `id` and resolves the count
   * so far. Attempt counts are forgotten after a day.
   */
  attempt(id: string): Promise<number>;
  /** Keeps a dead letter; resolves false when it was kept already (a second give-up). */
  put(letter: DeadLetter): Promise<boolean>;
  get(id: string): Promise<DeadLetter | undefined>;
  list(options?: { readonly limit?: number; readonly cursor?: string }): Promise<DeadLetterPage>;
  /**
   * Marks a dead letter re-driven, once: resolves the marked letter, or
   * `undefined` when it had been re-driven already.
   *
   * @throws DeadLetterNotFoundError when there is no such dead letter
   */
  markReplayed(id: string, by: string, at: string): Promise<DeadLetter | undefined>;
}

/** A page of an admin list, in key order. */
export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

/** Paging of an admin list. */
export interface PageQuery {
  /** Page size, default 50, at most 200. */
  readonly limit?: number;
  readonly cursor?: string;
}

/** What an admin may change of an entity; absent fields stay as they are. */
export interface EntityChanges {
  readonly name?: string;
  /** The new primary BIC; it stays among `bics`. */
  readonly bic?: string;
  readonly bics?: readonly string[];
  readonly accounts?: readonly string[];
  readonly status?: EntityStatusName;
  /** The message types it is notified with from now on; empty switches notifications off. */
  readonly notifications?: readonly string[];
}

/**
 * The entity table as the admin API writes it. Every write after the first
 * names the version it read: a write on a stale version changes nothing.
 */
export interface EntityRegistry extends EntityDirectory {
  /** Every entity, a page at a time (in table order; each page sorted by id). */
  list(query?: PageQuery): Promise<Page<Entity>>;
  /**
   * Changes an entity if its version is still `expectedVersion`, and resolves it as written (version + 1).
   *
   * @throws ItemNotFoundError when there is no such entity; VersionConflictError when its version moved on
   */
  update(entityId: string, changes: EntityChanges, expectedVersion: number): Promise<Entity>;
  /**
   * Deletes an entity if its version is still `expectedVersion`.
   *
   * @throws ItemNotFoundError when there is no such entity; VersionConflictError when its version moved on
   */
  delete(entityId: string, expectedVersion: number): Promise<void>;
}

/** What an admin may change of a client mapping; absent fields stay as they are. */
export interface MappingChanges {
  readonly entityId?: string;
  readonly scopes?: readonly string[];
  readonly status?: ClientStatusName;
}

/**
 * A client secret the platform issued (the local world; in AWS the secrets
 * are Cognito's): its stored form only, never the secret itself.
 */
export interface ClientSecretRecord {
  /** The secret's salted hash (`hashClientSecret` of `@mxflow/local-oauth/secrets`). */
  readonly hash: string;
  /** When it was issued, ISO 8601 UTC with milliseconds. */
  readonly issuedAt: string;
}

/** A mapping with the secret the platform issued to its client, if any. */
export interface MappingWithSecret {
  readonly mapping: ClientMapping;
  readonly secret?: ClientSecretRecord;
}

/** The mapping table as the admin API writes it; versioned like {@link EntityRegistry}. */
export interface MappingRegistry extends MappingDirectory {
  /** Writes a mapping (with its client's secret, when given) unless the client has one; resolves true when written (version 1). */
  create(mapping: ClientMapping, secret?: ClientSecretRecord): Promise<boolean>;
  /** The mapping and its client's platform-issued secret, in one consistent read; undefined without a mapping. */
  findWithSecret(clientId: string): Promise<MappingWithSecret | undefined>;
  /**
   * Replaces the client's secret at once (the old one stops working), keeping
   * the mapping's fields and version; resolves false when there is no mapping.
   */
  replaceSecret(clientId: string, secret: ClientSecretRecord): Promise<boolean>;
  /** Every mapping of an entity, in client id order. */
  listByEntity(entityId: string): Promise<ClientMapping[]>;
  /**
   * Changes a mapping if its version is still `expectedVersion`, and resolves it as written.
   *
   * @throws ItemNotFoundError; VersionConflictError
   */
  update(clientId: string, changes: MappingChanges, expectedVersion: number): Promise<ClientMapping>;
  /**
   * Deletes a mapping if its version is still `expectedVersion`.
   *
   * @throws ItemNotFoundError; VersionConflictError
   */
  delete(clientId: string, expectedVersion: number): Promise<void>;
}

/** Who made an admin change: the token's client and the entity it is mapped to. */
export interface AuditActor {
  readonly clientId: string;
  readonly entityId: string;
}

/** One change, as the audit table keeps it. */
export interface AuditEntry {
  /** What changed: `entity/<id>`, `mapping/<clientId>`, `dead-letter/<id>`. */
  readonly subject: string;
  /** What was done: `entity.create`, `entity.suspend`, `liquidity.top-up`, `threshold.set`, `dead-letter.replay` … */
  readonly action: string;
  readonly actor: AuditActor;
  /** When: ISO 8601 UTC with milliseconds. */
  readonly timestamp: string;
  /** The state before and after, as JSON values (amounts as decimal text); absent for a creation or a deletion. */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Unique per entry, set when recorded. */
  readonly id?: string;
}

/** Filters of {@link AuditLog.list}. */
export interface AuditQuery extends PageQuery {
  /** Only the entries of this subject. */
  readonly subject?: string;
}

/** The audit table: every admin change, written once, read newest first. */
export interface AuditLog {
  /** Records an entry; resolves it with its id. */
  record(entry: AuditEntry): Promise<AuditEntry>;
  /** Entries newest first: of one subject, or of every subject. */
  list(query?: AuditQuery): Promise<Page<AuditEntry>>;
}

/** What a low-balance check found: the balance just went below its threshold, or back to it or above. */
export const LowBalanceChange = {
  CROSSED_BELOW: 'crossed-below',
  RECOVERED: 'recovered',
} as const;
/** One of {@link LowBalanceChange}. */
export type LowBalanceChangeName = (typeof LowBalanceChange)[keyof typeof LowBalanceChange];

/**
 * Low-balance thresholds per entity and currency. A crossing is reported once:
 * of any number of concurrent checks after the balance went below, exactly one
 * resolves `crossed-below`, and none again until the balance has recovered.
 */
export interface LowBalanceMonitor {
  /**
   * Sets (or with `undefined`, removes) the threshold, in minor units of the balance's exponent.
   *
   * @throws LedgerAccountError when the entity has no balance in the currency
   */
  setThreshold(entityId: string, currency: string, minor: bigint | undefined): Promise<void>;
  /** The threshold, when one is set. */
  threshold(entityId: string, currency: string): Promise<bigint | undefined>;
  /** Compares the balance with its threshold; resolves what changed since the last check that reported something. */
  check(entityId: string, currency: string): Promise<LowBalanceChangeName | undefined>;
  /** {@link check} for several entities, their balances read together; one answer per entity given (a repeated one answers once). */
  checkMany(entityIds: readonly string[], currency: string): Promise<(LowBalanceChangeName | undefined)[]>;
}
