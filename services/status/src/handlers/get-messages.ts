import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../domain/errors';
import { archivedMessages, messageFor, messagesView, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const history = await store.log.history(id);
  const messages = archivedMessages(visibleSummary(history.summary, context.caller.entityId), history.steps);
  const direction = event.pathParameters?.direction;
  if (direction === undefined) return json(messagesView(id, messages));
  const message = messageFor(messages, direction, context.caller.entityId);
  const body = await store.archive.get(message.key);
  if (!body) throw new NotFoundError(`archive object ${message.key} is missing`);
  const bytes = Buffer.from(body);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/xml',
      'cache-control': 'no-store',
      // RFC 9530: the SHA-256 of the exact archived bytes.
      'repr-digest': `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`,
      'x-archive-key': message.key,
    },
    // Base64 so that the bytes reach the caller exactly as archived.
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
};

/** `GET /v1/transactions/{id}/messages[/{direction}]`: the list of archived messages, or one of them byte for byte. */
export const handler = readRoute(lambdaHandler);
