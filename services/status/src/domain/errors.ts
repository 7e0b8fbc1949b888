/** Base class for every error raised by the status service. */
export class StatusServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StatusServiceError';
  }
}

/**
 * The transaction or message does not exist, or the caller is not a party to
 * it: both answer 404, so that nobody learns that a transaction exists.
 */
export class NotFoundError extends StatusServiceError {
  constructor(message = 'no such transaction', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }

  toProblem() {
    return { type: 'not-found', title: 'Not Found', status: 404, detail: 'There is no such transaction, or you are not a party to it.' };
  }
}

/** A query parameter or path segment is unusable; the problem names it. */
export class InvalidQueryError extends StatusServiceError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidQueryError';
    this.path = path;
  }

  toProblem() {
    return {
      type: 'invalid-query',
      title: 'Bad Request',
      status: 400,
      detail: this.message,
      errors: [{ path: this.path, message: this.message }],
    };
  }
}
