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
