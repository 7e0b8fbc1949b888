import type { Problem, ProblemMapper } from '@mxflow/middleware';
import {
  DeadLetterNotFoundError,
  InsufficientFundsError,
  ItemNotFoundError,
  LedgerAccountError,
  LedgerConflictError,
  StoreRequestError,
  VersionConflictError,
} from '@mxflow/store';

/**
 * The store's answers that are the caller's to act on, before the platform
 * mapper turns every other store failure into a 503.
 */
export const adminProblems: ProblemMapper = (error): Problem | undefined => {
  if (error instanceof ItemNotFoundError) return { type: 'not-found', title: 'Not Found', status: 404, detail: `There is no ${error.kind} ${error.id}.` };
  if (error instanceof DeadLetterNotFoundError) return { type: 'not-found', title: 'Not Found', status: 404, detail: `There is no dead letter ${error.id}.` };
  if (error instanceof VersionConflictError) {
    return {
      type: 'version-conflict',
      title: 'Conflict',
      status: 409,
      detail: `${error.kind} ${error.id} changed meanwhile: it is at version ${error.actualVersion}, not ${error.expectedVersion}. Read it again.`,
      errors: [{ path: 'version', message: `is ${error.actualVersion} now` }],
      extensions: { version: error.actualVersion },
    };
  }
  if (error instanceof InsufficientFundsError) {
    return {
      type: 'insufficient-funds',
      title: 'Conflict',
      status: 409,
      detail: `The ${error.currency} balance of ${error.entityId} does not cover the withdrawal.`,
      errors: [{ path: 'amount', message: 'exceeds the balance', reasonCode: 'AM04' }],
      extensions: { reasonCode: 'AM04' },
    };
  }
  if (error instanceof LedgerConflictError) {
    return {
      type: 'reference-conflict',
      title: 'Conflict',
      status: 409,
      detail: `The reference ${error.transactionId} was already used for a different operation.`,
      errors: [{ path: 'reference', message: 'was already used for a different amount or type' }],
    };
  }
  if (error instanceof LedgerAccountError) {
    return { type: 'no-balance', title: 'Conflict', status: 409, detail: error.message, errors: [{ path: 'currency', message: error.message }] };
  }
  if (error instanceof StoreRequestError) return { type: 'invalid-request', title: 'Bad Request', status: 400, detail: error.message };
  return undefined;
};
