import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { InternalKey, internalOf } from './context';
import { PROBLEM_CONTENT_TYPE, isProblemSource, type Problem } from './problem';

/** Turns an error this middleware does not know into a problem, or passes (`undefined`). */
export type ProblemMapper = (error: unknown) => Problem | undefined;

/** The part of a Powertools logger the middleware uses. */
export type ProblemLogger = Pick<Logger, 'info' | 'error'>;

/** Options of {@link errors}. */
export interface ErrorsOptions {
  /** Mappers tried in order, before an error's own `toProblem()`. */
  readonly mappers?: readonly ProblemMapper[];
  /** Prefix of relative problem types (default `urn:mxflow:problem:`). */
  readonly typeBase?: string;
  /** Where refusals (info) and failures (error, with the stack) are logged. */
  readonly logger?: ProblemLogger;
}

const defaults = {
  mappers: [] as readonly ProblemMapper[],
  typeBase: 'urn:mxflow:problem:',
  logger: undefined as ProblemLogger | undefined,
};

/** The answer to an error nobody mapped: no internals, only what the caller can act on. */
export const internalProblem: Problem = {
  type: 'internal',
  title: 'Internal Server Error',
  status: 500,
  detail: 'The request could not be completed. It is safe to send the message again.',
};

function problemOf(error: unknown, mappers: readonly ProblemMapper[]): Problem {
  for (const mapper of mappers) {
    const problem = mapper(error);
    if (problem) return problem;
  }
  return isProblemSource(error) ? error.toProblem() : internalProblem;
}

/**
 * Answers every error with RFC 9457 problem details
 * (`application/problem+json`): `type`, `title`, `status`, `detail`, the
 * field-level `errors` (`path`, `message`, `reasonCode`), and the request and
 * transaction ids when the request got that far. 4xx answers name what was
 * wrong; 5xx answers say nothing about internals, which go to the log.
 * Use it first, so that its `onError` runs last.
 */
export function errors(options: ErrorsOptions = {}): MiddlewareObj<unknown, APIGatewayProxyResultV2> {
  const { mappers, typeBase, logger: given } = { ...defaults, ...options };
  const logger = given ?? new Logger({ serviceName: 'mxflow' });

  const onError = (request: Request<unknown, APIGatewayProxyResultV2>): void => {
    const error = request.error;
    const problem = problemOf(error, mappers);
    const ids = internalOf(request)[InternalKey.transaction];
    const recorded = internalOf(request)[InternalKey.snapshot];
    const extensions = {
      ...(ids ? { requestId: ids.requestId } : {}),
      // Only a transaction that has steps can be looked up.
      ...(ids && recorded?.statuses.length ? { transactionId: ids.transactionId } : {}),
      ...problem.extensions,
    };
    const failure = (error as { snapshotFailure?: unknown } | null)?.snapshotFailure;
    if (problem.status >= 500) logger.error('request failed', { status: problem.status, ...extensions, error: error as Error });
    else logger.info('request refused', { status: problem.status, type: problem.type, detail: problem.detail, ...extensions });
    if (failure) logger.error('the rejection step could not be recorded', { ...extensions, error: failure as Error });

    const type = /^[a-z][a-z0-9+.-]*:/i.test(problem.type) ? problem.type : `${typeBase}${problem.type}`;
    request.response = {
      statusCode: problem.status,
      headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.headers },
      body: JSON.stringify({
        type,
        title: problem.title,
        status: problem.status,
        ...(problem.detail ? { detail: problem.detail } : {}),
        ...(problem.errors?.length ? { errors: problem.errors } : {}),
        ...extensions,
      }),
    };
  };

  return { onError };
}
