export * from './errors';
export { PROBLEM_CONTENT_TYPE, isProblemSource, type Problem, type ProblemField, type ProblemSource } from './problem';
export {
  ArchiveDirection,
  InternalKey,
  isBusinessRejection,
  internalOf,
  type ArchivedMessage,
  type BusinessRejection,
  type Caller,
  type MiddlewareInternal,
  type RecordStep,
  type SnapshotState,
  type StepDetails,
  type SubmitContext,
  type TransactionIds,
} from './context';
export { bodyBytes, headerOf, routeTable } from './http';
export { createTokenVerifier, scopesOf, type AccessTokenClaims, type TokenVerifier, type TokenVerifierOptions } from './auth/verify';
export { auth, callerFrom, type AuthOptions } from './auth/middleware';
export { transaction, type TransactionOptions } from './transaction';
export { archive, type ArchiveOptions, type MessageToArchive } from './archive';
export { archiveKey } from '@mxflow/contracts';
export { snapshot, nextTimestamp, type SnapshotOptions } from './snapshot';
export { errors, internalProblem, type ErrorsOptions, type ProblemLogger, type ProblemMapper } from './errors-middleware';
export { httpApiEventOf, isRestApiEvent, restApiEvents } from './rest-events';
