import type { Problem, ProblemMapper } from '@mxflow/middleware';
import { StoreError, ArchiveConflictError, StepAlreadyRecordedError } from '@mxflow/store';
import { ConfigurationError } from './errors';

/** 503 for a backing service that did not answer: the caller may retry. */
export const unavailableProblem: Problem = {
  type: 'service-unavailable',
  title: 'Service Unavailable',
  status: 503,
  detail: 'A backing service did not answer. It is safe to send the request again.',
  headers: { 'Retry-After': '1' },
};

/**
 * What every HTTP function maps the same way: a store failure is 503 (retry),
 * a broken write-once invariant or a configuration error is 500 (a defect,
 * logged, nothing to retry).
 */
export const platformProblems: ProblemMapper = (error) => {
  if (error instanceof ArchiveConflictError || error instanceof StepAlreadyRecordedError || error instanceof ConfigurationError) return undefined;
  if (error instanceof StoreError) return unavailableProblem;
  return undefined;
};
