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
