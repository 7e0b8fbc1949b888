import { createHash } from 'node:crypto';
import { toJson } from '@mxflow/iso20022';
import { headerOf } from '@mxflow/middleware';
import { readSchemasConfig, useOperatorSchemas } from '@mxflow/runtime';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../domain/errors';
import { archivedMessages, messageFor, messagesView, viewerOf, visibleSummary } from '../domain/views';
import { json, readRoute, s3, store, type ReadContext } from './chain';

// An archived message of an operator's drop-in version converts with the operator's schemas.
await useOperatorSchemas(readSchemasConfig(), () => s3);

/** Whether the caller asks for the JSON form rather than the exact bytes. */
const wantsJson = (event: APIGatewayProxyEventV2): boolean => /\bapplication\/json\b/i.test(headerOf(event, 'accept') ?? '');

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const viewer = viewerOf(context.caller);
  const history = await store.log.history(id);
  const messages = archivedMessages(visibleSummary(history.summary, viewer), history.steps);
  const direction = event.pathParameters?.direction;
  if (direction === undefined) return json(messagesView(id, messages, viewer));
  const message = messageFor(messages, direction, viewer, event.queryStringParameters?.archiveKey);
  const body = await store.archive.get(message.key);
  if (!body) throw new NotFoundError(`archive object ${message.key} is missing`);
  const bytes = Buffer.from(body);
  // RFC 9530: the SHA-256 of the exact archived bytes, whichever form is sent.
  const digest = `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
  if (wantsJson(event)) {
    const parsed = toJson(bytes);
    return {
      ...json({ messageType: message.messageType, messageId: parsed.messageId, ...(parsed.appHdr ? { appHdr: parsed.appHdr } : {}), document: parsed.document }),
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'repr-digest': digest, 'x-archive-key': message.key, vary: 'accept' },
    };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/xml', 'cache-control': 'no-store', 'repr-digest': digest, 'x-archive-key': message.key, vary: 'accept' },
    // Base64 so that the bytes reach the caller exactly as archived.
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
};

/**
 * `GET /v1/transactions/{id}/messages[/{direction}[?archiveKey=]]`: the list
 * of archived messages, or one of them byte for byte (its JSON form with
 * `Accept: application/json`).
 */
export const handler = readRoute(lambdaHandler);
