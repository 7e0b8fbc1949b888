/** Base class of the errors of the mxflow command. */
export class CliError extends Error {
  /** Process exit code the error leads to. */
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The command line is wrong: unknown command or option, missing argument, a value out of its list. Exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
    this.name = 'UsageError';
  }
}

/** The input cannot be used: unreadable file, not a message, not schema-valid. Exit code 1. */
export class InputError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.invalid, options);
    this.name = 'InputError';
  }
}

/** The schemas folder (`--schemas`, `MXFLOW_SCHEMAS_DIR`) cannot be read: a missing folder, or an XSD the engine refuses, named with the reason. Exit code 2. */
export class SchemasError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
    this.name = 'SchemasError';
  }
}

/** Exit codes of the mxflow command. */
export const ExitCode = {
  ok: 0,
  invalid: 1,
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
