/**
 * What the admin API refuses, each knowing its problem+json answer. Store
 * failures are mapped in the handlers; these are the API's own rules.
 */

/** A field-level issue, as problem+json lists it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  readonly reasonCode?: string;
}

/** Base class for every error raised by the admin service. */
export class AdminServiceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdminServiceError';
  }
}

/** The request body, a path segment or a query parameter is unusable; the problem names it. */
export class InvalidRequestError extends AdminServiceError {
  readonly path: string;
  /** The ISO 20022 reason code of the refusal, where one fits (DT01 for a date). */
  readonly reasonCode: string | undefined;
  constructor(path: string, message: string, options?: { cause?: unknown; reasonCode?: string }) {
    super(message, options);
    this.name = 'InvalidRequestError';
    this.path = path;
    this.reasonCode = options?.reasonCode;
  }

  toProblem() {
    const issue: FieldIssue = { path: this.path, message: this.message, ...(this.reasonCode ? { reasonCode: this.reasonCode } : {}) };
    return {
      type: 'invalid-request',
      title: 'Bad Request',
      status: 400,
      detail: `${this.path}: ${this.message}`,
      errors: [issue],
      ...(this.reasonCode ? { extensions: { reasonCode: this.reasonCode } } : {}),
    };
  }
}

/** There is no such entity, mapping or dead letter. */
export class NotFoundError extends AdminServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }

  toProblem() {
    return { type: 'not-found', title: 'Not Found', status: 404, detail: this.message };
  }
}

/**
 * The request conflicts with the current state: an id taken, a balance not
 * zero, a dead letter already re-driven, a withdrawal the balance does not
 * cover (AM04). Nothing was changed.
 */
export class ConflictError extends AdminServiceError {
  readonly type: string;
  readonly issues: readonly FieldIssue[];
  constructor(type: string, message: string, issues: readonly FieldIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
    this.type = type;
    this.issues = issues;
  }

  toProblem() {
    const reasonCode = this.issues.find((issue) => issue.reasonCode)?.reasonCode;
    return {
      type: this.type,
      title: 'Conflict',
      status: 409,
      detail: this.message,
      ...(this.issues.length ? { errors: this.issues } : {}),
      ...(reasonCode ? { extensions: { reasonCode } } : {}),
    };
  }
}

/**
 * The route exists, but not in this stage: client secrets there are Cognito
 * app-client secrets, which Terraform makes and rotates (`infra/modules/api-auth`).
 */
export class ClientSecretsElsewhereError extends AdminServiceError {
  readonly clientId: string;
  constructor(clientId: string, options?: { cause?: unknown }) {
    super(
      `The secret of client ${clientId} is a Cognito app-client secret in this stage: Terraform makes and rotates it (infra/modules/api-auth), and the admin API issues none.`,
      options,
    );
    this.name = 'ClientSecretsElsewhereError';
    this.clientId = clientId;
  }

  toProblem() {
    return { type: 'client-secrets-elsewhere', title: 'Not Implemented', status: 501, detail: this.message };
  }
}
