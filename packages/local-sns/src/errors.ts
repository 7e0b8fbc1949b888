/** Base class for every error raised by `@mxflow/local-sns`. */
export class LocalSnsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalSnsError';
  }
}

/**
 * An SNS Query API error, answered as `<ErrorResponse>` XML. `code` is SNS's
 * error code (the SDK appends `Exception` to it), `status` the HTTP status.
 */
export class SnsApiError extends LocalSnsError {
  readonly code: string;
  readonly status: number;
  /** `Sender` when the request is at fault, `Receiver` when the server is. */
  readonly faultType: 'Sender' | 'Receiver';
  constructor(
    code: string,
    status: number,
    message: string,
    options?: { cause?: unknown; faultType?: 'Sender' | 'Receiver' },
  ) {
    super(message, options);
    this.name = 'SnsApiError';
    this.code = code;
    this.status = status;
    this.faultType = options?.faultType ?? (status >= 500 ? 'Receiver' : 'Sender');
  }
}

/** A request parameter is missing or invalid (SNS `InvalidParameter`, 400). */
export class InvalidParameterError extends SnsApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidParameter', 400, message, options);
    this.name = 'InvalidParameterError';
  }
}

/** The topic or subscription does not exist (SNS `NotFound`, 404). */
export class NotFoundError extends SnsApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NotFound', 404, message, options);
    this.name = 'NotFoundError';
  }
}

/** The action is not one this endpoint implements (SNS `InvalidAction`, 400). */
export class InvalidActionError extends SnsApiError {
  constructor(action: string, options?: { cause?: unknown }) {
    super('InvalidAction', 400, `The action ${action} is not valid for this endpoint.`, options);
    this.name = 'InvalidActionError';
  }
}

/** A filter policy is not valid JSON or uses an unsupported operator. */
export class FilterPolicyError extends LocalSnsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FilterPolicyError';
  }
}

/** The persisted state or signing material in `dataDir` cannot be read. */
export class StateFileError extends LocalSnsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}

/** A message could not be delivered to a subscriber after every retry. */
export class DeliveryError extends LocalSnsError {
  readonly status?: number;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.status = options?.status;
  }
}
