/** Base class of every error the local cloud raises. */
export class LocalStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalStackError';
  }
}

/** The Terraform definitions hold something the local cloud cannot read or provision. */
export class InfraDefinitionError extends LocalStackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InfraDefinitionError';
  }
}

/** A part of the local cloud failed to start; `part` names it. */
export class PartStartError extends LocalStackError {
  constructor(
    readonly part: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${part}: ${message}`, options);
    this.name = 'PartStartError';
  }
}
