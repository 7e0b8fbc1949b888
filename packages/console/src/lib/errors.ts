/** Errors of the console. Each has a `name` and takes `{ cause }`. */

/** The base of every console error. */
export class ConsoleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleError';
  }
}

/** `config.json` is missing a field or has one of the wrong kind. */
export class ConfigError extends ConsoleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The token endpoint refused to issue a token, or a sign-in round trip was broken. */
export class SignInError extends ConsoleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
  }
}

/** An amount is not decimal text. */
export class AmountError extends ConsoleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AmountError';
  }
}

/** One item of a problem's `errors`. */
export interface ProblemIssue {
  readonly path?: string;
  readonly message: string;
  readonly reasonCode?: string;
  readonly line?: number;
  readonly column?: number;
}

/** An `application/problem+json` body. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly ProblemIssue[];
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** The API answered with an error status; `problem` is its body (or one made from the status when it had none). */
export class ProblemError extends ConsoleError {
  readonly problem: Problem;
  constructor(problem: Problem, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`, options);
    this.name = 'ProblemError';
    this.problem = problem;
  }
}
