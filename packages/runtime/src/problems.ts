import type { Problem, ProblemMapper } from '@mxflow/middleware';
import { ArchiveConflictError, StepAlreadyRecordedError, StoreError } from '@mxflow/store';

/** 503 for a backing service that did not answer: the caller may retry. */
export const unavailableProblem: Problem = {
  type: 'service-unavailable',
  title: 'Service Unavailable',
  status: 503,
  detail: 'A backing service did not answer. It is safe to send the request again.',
  headers: { 'Retry-After': '1' },
};

/**
 * What every HTTP function maps the same way: a store failure is 503 (retry).
 * A broken write-once invariant is no such failure: it stays unmapped, a 500
 * that is logged, since retrying cannot help.
 */
export const platformProblems: ProblemMapper = (error) =>
  error instanceof StoreError && !(error instanceof ArchiveConflictError || error instanceof StepAlreadyRecordedError) ? unavailableProblem : undefined;
