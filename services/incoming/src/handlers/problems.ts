import {
  defaultCatalogue,
  HostileInputError,
  InputTooLargeError,
  Iso20022Error,
  JsonFormError,
  MalformedXmlError,
  UnsupportedMessageError,
} from '@mxflow/iso20022';
import type { Problem, ProblemMapper } from '@mxflow/middleware';
import { platformProblems } from '@mxflow/runtime';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { INCOMING_MESSAGE_TYPES, Reason } from '@mxflow/contracts';
import {
  ArchiveQuotaExceededError,
  InvalidIdempotencyKeyError,
  MessageRejectedError,
  RejectionKind,
  UnhandledMessageTypeError,
  UnsupportedContentTypeError,
} from '../domain/errors';
import { INVALID_FILE_FORMAT } from '../domain/submission';

const SUPPORTED = `Send an ISO 20022 message (${INCOMING_MESSAGE_TYPES.join(', ')}) as application/xml, or in the JSON form as application/json.`;

const ISO_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:';

/**
 * What to say of a namespace the catalogue does not have: another version of
 * a message the platform takes is named with the versions it takes
 * (pacs.008.001.02: send pacs.008.001.08); anything else gets the list of messages.
 */
export function unsupportedNamespace(namespace: string): { detail: string; supportedVersions?: string[] } {
  const messageId = namespace.startsWith(ISO_NAMESPACE) ? namespace.slice(ISO_NAMESPACE.length) : undefined;
  const messageType = messageId?.split('.').slice(0, 2).join('.');
  if (messageId && messageType && INCOMING_MESSAGE_TYPES.includes(messageType)) {
    const supportedVersions = defaultCatalogue()
      .entries()
      .map((entry) => entry.namespace)
      .filter((candidate) => candidate.startsWith(`${ISO_NAMESPACE}${messageType}.`))
      .map((candidate) => candidate.slice(ISO_NAMESPACE.length))
      .sort();
    if (supportedVersions.length > 0) {
      return {
        detail: `${messageId} is a version of ${messageType} this platform does not take. Send ${messageType} as ${supportedVersions.join(' or ')}.`,
        supportedVersions,
      };
    }
  }
  return { detail: `Messages of namespace '${namespace}' are not accepted. ${SUPPORTED}` };
}

function rejection(error: MessageRejectedError): Problem {
  if (error.kind === RejectionKind.forbidden) {
    return {
      type: 'forbidden-sender',
      title: 'Forbidden',
      status: 403,
      detail:
        error.reasonCode === Reason.AG10
          ? `A suspended participant may not send messages; the transaction is rejected with reason code ${error.reasonCode}.`
          : `A participant may only send messages as its own instructing agent; the transaction is rejected with reason code ${error.reasonCode}.`,
      errors: error.issues.map((issue) => ({ path: issue.path, message: issue.message, reasonCode: issue.reasonCode })),
      extensions: { reasonCode: error.reasonCode, transactionStatus: 'RJCT' },
    };
  }
  if (error.kind === RejectionKind.late) {
    return {
      type: 'message-too-late',
      title: 'Message Rejected',
      status: 422,
      detail: `The message's deadline (its CreDtTm plus the SLA of its type and scheme) passed before it arrived; the transaction is rejected with reason code ${error.reasonCode}, and nothing is queued.`,
      errors: error.issues.map((issue) => ({ path: issue.path, message: issue.message, reasonCode: issue.reasonCode })),
      extensions: { reasonCode: error.reasonCode, transactionStatus: 'RJCT' },
    };
  }
  const malformed = error.kind === RejectionKind.malformed;
  return {
    type: malformed ? 'malformed-message' : 'message-rejected',
    title: malformed ? 'Malformed Message' : 'Message Rejected',
    status: malformed ? 400 : 422,
    detail:
      error.kind === RejectionKind.rules
        ? `The message breaks ${error.issues.length} business rule(s); the transaction is rejected with reason code ${error.reasonCode}.`
        : `The message is not ${malformed ? 'well-formed XML' : 'valid against its schema'}; the transaction is rejected with reason code ${error.reasonCode}.`,
    errors: error.issues.map((issue) => ({
      path: issue.path,
      message: issue.message,
      reasonCode: issue.reasonCode,
      ...(issue.line ? { line: issue.line, column: issue.column } : {}),
    })),
    extensions: { reasonCode: error.reasonCode, transactionStatus: 'RJCT' },
  };
}

/**
 * Maps what the submit path can throw to problem details: rejections and
 * unusable input to 4xx naming the field, infrastructure failures to 503, a
 * broken write-once invariant to 500. Middleware errors map themselves.
 */
export const submitProblems: ProblemMapper = (error) => {
  if (error instanceof MessageRejectedError) return rejection(error);
  if (error instanceof ArchiveQuotaExceededError) {
    return {
      type: 'archive-quota-exceeded',
      title: 'Too Many Requests',
      status: 429,
      detail: `Every submission is archived write-once, rejected ones too; this participant may archive ${error.limitBytes} bytes per hour, and that is used up.`,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof JsonFormError) {
    return {
      type: 'invalid-json-form',
      title: 'Message Rejected',
      status: 422,
      detail: `The body is not a message in the JSON form ({"messageId", "document", "appHdr"?}) valid against its JSON Schema; it is refused with reason code ${INVALID_FILE_FORMAT}.`,
      errors: error.issues.map((issue) => ({ path: issue.path, message: issue.message, reasonCode: INVALID_FILE_FORMAT })),
      extensions: { reasonCode: INVALID_FILE_FORMAT },
    };
  }
  if (error instanceof IdempotencyValidationError) {
    return {
      type: 'idempotency-key-reused',
      title: 'Conflict',
      status: 409,
      detail: 'This idempotency key (the Idempotency-Key header, or else the MsgId and instructing agent) was used for a different body.',
      errors: [{ path: 'Idempotency-Key', message: 'already used for a different message' }],
    };
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return {
      type: 'request-in-progress',
      title: 'Conflict',
      status: 409,
      detail: 'The same message is being processed right now. Send it again in a moment to get its answer.',
      headers: { 'Retry-After': '1' },
      errors: [{ path: 'Idempotency-Key', message: 'a request with this key is in progress' }],
    };
  }
  if (error instanceof InvalidIdempotencyKeyError) {
    return { type: 'invalid-idempotency-key', title: 'Bad Request', status: 400, detail: error.message, errors: [{ path: 'Idempotency-Key', message: error.message }] };
  }
  if (error instanceof UnsupportedContentTypeError) {
    return {
      type: 'unsupported-media-type',
      title: 'Unsupported Media Type',
      status: 415,
      detail: `${error.contentType} is not accepted. ${SUPPORTED}`,
      errors: [{ path: 'Content-Type', message: `${error.contentType} is neither an XML nor a JSON media type` }],
    };
  }
  if (error instanceof UnhandledMessageTypeError) {
    return {
      type: 'unsupported-message',
      title: 'Unsupported Message',
      status: 415,
      detail: `${error.messageType} messages are not taken in. ${SUPPORTED}`,
      errors: [{ path: '/Document/@xmlns', message: `no service handles ${error.messageType}` }],
      extensions: { messageType: error.messageType, supportedTypes: INCOMING_MESSAGE_TYPES },
    };
  }
  if (error instanceof UnsupportedMessageError) {
    const { detail, supportedVersions } = unsupportedNamespace(error.namespace);
    return {
      type: 'unsupported-message',
      title: 'Unsupported Message',
      status: 415,
      detail,
      errors: [{ path: '/Document/@xmlns', message: supportedVersions ? `unsupported version '${error.namespace}'` : `unsupported namespace '${error.namespace}'` }],
      extensions: { namespace: error.namespace, supportedTypes: INCOMING_MESSAGE_TYPES, ...(supportedVersions ? { supportedVersions } : {}) },
    };
  }
  if (error instanceof InputTooLargeError) {
    return {
      type: 'message-too-large',
      title: 'Content Too Large',
      status: 413,
      detail: `A message may have at most ${error.limit} bytes.`,
      errors: [{ path: 'body', message: error.message }],
    };
  }
  if (error instanceof MalformedXmlError || error instanceof HostileInputError || error instanceof Iso20022Error) {
    return {
      type: 'malformed-message',
      title: 'Malformed Message',
      status: 400,
      detail: 'The body is not an ISO 20022 message this service can read.',
      errors: [{ path: '/', message: error.message, ...(error instanceof MalformedXmlError && error.line ? { line: error.line, column: error.column } : {}) }],
      extensions: { code: error.code },
    };
  }
  return platformProblems(error);
};
