/** Base class of every error the broker raises on purpose. */
export class KafkaBrokerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaBrokerError';
  }
}

/** A request frame that cannot be decoded: the connection that sent it is closed. */
export class MalformedRequestError extends KafkaBrokerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MalformedRequestError';
  }
}

/** A log segment or metadata file on disk that cannot be read back. */
export class StorageError extends KafkaBrokerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** A broker option or command-line argument that makes no sense. */
export class BrokerConfigError extends KafkaBrokerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokerConfigError';
  }
}
