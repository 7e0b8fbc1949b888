import { ErrorCode, Iso20022Error } from '../errors';

/**
 * A response cannot be built from what it was given: the original message
 * lacks an element the response must echo, a rejection has no reason code, or
 * a value is too long for its element. This is a caller's mistake, not a
 * business rejection of the original message.
 */
export class ResponseInputError extends Iso20022Error {
  /** Where the problem is: a JSON path into the original message, or the name of the option. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(ErrorCode.JSON_SHAPE, `${path}: ${message}`, options);
    this.name = 'ResponseInputError';
    this.path = path;
  }
}
