/**
 * Small interfaces the workflow steps depend on. The adapters in `dynamodb/`
 * and `s3/` implement them with an injected AWS SDK client; tests and other
 * worlds can implement them differently.
 */

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
  /** ISO 20022 reason code of a rejection (ExternalStatusReason1Code). */
  readonly reasonCode?: string;
  /**
   * What makes a message a duplicate of another (entity, type and MsgId),
   * written on the step that accepted it; indexed by `byDuplicateKey`.
   */
  readonly duplicateKey?: string;
}

/** The transaction table: one item per step, each written once. */
export interface TransactionLog {
  /**
   * Records a step.
   *
   * @throws StepAlreadyRecordedError when this transaction already has this step.
   */
  record(step: TransactionStep): Promise<void>;
  /** Every recorded step of a transaction, oldest first. */
  steps(transactionId: string): Promise<TransactionStep[]>;
  /**
   * Ids of the transactions with a step carrying `duplicateKey`. The index is
   * eventually consistent: two submissions within the same instant may both
   * pass.
   */
  transactionsWithDuplicateKey(duplicateKey: string): Promise<string[]>;
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
}
