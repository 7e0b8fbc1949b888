/** Base class for every error raised by `@mxflow/serverless-offline-msk`. */
export class OfflineMskError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OfflineMskError';
  }
}

/** The plugin or event configuration is unusable. */
export class MskConfigError extends OfflineMskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MskConfigError';
  }
}

/** The function threw, timed out, or could not be reached through serverless-offline. */
export class InvocationError extends OfflineMskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvocationError';
  }
}

/** A consumer group for a Kafka event could not be started (broker unreachable, group refused). */
export class EventSourceStartError extends OfflineMskError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventSourceStartError';
  }
}
