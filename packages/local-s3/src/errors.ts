/** Base class of every error thrown by `@mxflow/local-s3`. */
export class LocalS3Error extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalS3Error';
  }
}

/**
 * An error the server answers to the client as an S3 XML error document.
 * `code` is the S3 error code (`NoSuchKey`, `AccessDenied`...), `status` the HTTP status.
 */
export class S3ApiError extends LocalS3Error {
  readonly code: string;
  readonly status: number;
  /** Extra response headers (e.g. `x-amz-delete-marker` on a 404 for a deleted key). */
  readonly headers: Record<string, string>;
  /** Extra child elements of `<Error>` (e.g. `Key`, `BucketName`, `Condition`). */
  readonly fields: Record<string, string>;

  constructor(
    code: string,
    status: number,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string>; fields?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'S3ApiError';
    this.code = code;
    this.status = status;
    this.headers = options?.headers ?? {};
    this.fields = options?.fields ?? {};
  }
}

/** Reading or writing the data directory failed. */
export class StorageError extends LocalS3Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** The server or CLI was given options it cannot use. */
export class ConfigurationError extends LocalS3Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Shorthands for the S3 errors this server answers, so codes and statuses stay consistent. */
export const s3Errors = {
  accessDenied: (message = 'Access Denied') => new S3ApiError('AccessDenied', 403, message),
  noSuchBucket: (bucket: string) =>
    new S3ApiError('NoSuchBucket', 404, 'The specified bucket does not exist', { fields: { BucketName: bucket } }),
  noSuchKey: (key: string, headers?: Record<string, string>) =>
    new S3ApiError('NoSuchKey', 404, 'The specified key does not exist.', { fields: { Key: key }, headers }),
  noSuchVersion: (key: string, versionId: string) =>
    new S3ApiError('NoSuchVersion', 404, 'The specified version does not exist.', {
      fields: { Key: key, VersionId: versionId },
    }),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3ApiError('InvalidArgument', 400, message, {
      fields: name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
    }),
  invalidRequest: (message: string) => new S3ApiError('InvalidRequest', 400, message),
  malformedXml: () =>
    new S3ApiError(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  invalidBucketState: (message: string) => new S3ApiError('InvalidBucketState', 409, message),
  badDigest: (message: string) => new S3ApiError('BadDigest', 400, message),
  notImplemented: (message = 'A header you provided implies functionality that is not implemented') =>
    new S3ApiError('NotImplemented', 501, message),
  preconditionFailed: (condition: string) =>
    new S3ApiError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      fields: { Condition: condition },
    }),
  methodNotAllowed: (headers?: Record<string, string>) =>
    new S3ApiError('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', {
      headers,
    }),
} as const;
