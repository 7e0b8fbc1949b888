import { encodeReplay } from '@mxflow/contracts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConflictError, InvalidRequestError, NotFoundError } from '../domain/errors';
import { parsePage } from '../domain/requests';
import { Subject, deadLetterView } from '../domain/views';
import { adminRoute, audited, json, pathParameter, routes, store } from './chain';

function idOf(event: APIGatewayProxyEventV2): string {
  const id = pathParameter(event, 'id');
  if (!id || id.length > 300) throw new InvalidRequestError('id', 'is not a dead-letter id (<topic>:<partition>:<offset>, URL-encoded)');
  return id;
}

const lambdaHandler = routes({
  'GET /v1/admin/dead-letters': async (event) => {
    const page = await store.deadLetters.list(parsePage(event.queryStringParameters));
    return json({ items: page.items.map(deadLetterView), ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
  'GET /v1/admin/dead-letters/{id}': async (event) => {
    const id = idOf(event);
    const letter = await store.deadLetters.get(id);
    if (!letter) throw new NotFoundError(`There is no dead letter ${id}.`);
    return json(deadLetterView(letter));
  },
  'POST /v1/admin/dead-letters/{id}/replay': async (event, context) => {
    const id = idOf(event);
    const at = new Date().toISOString();
    // Marked first, so that of two concurrent replays only one record goes out.
    const letter = await store.deadLetters.markReplayed(id, context.caller.clientId, at);
    if (!letter) throw new ConflictError('already-replayed', `dead letter ${id} was re-driven already`, [{ path: 'id', message: 'was re-driven already' }]);
    await store.bus.publish([encodeReplay(letter)]);
    await audited(context, { subject: Subject.deadLetter(id), action: 'dead-letter.replay', before: { replayed: false }, after: { replayed: true, topic: letter.topic } }, at);
    return json(deadLetterView(letter), 202);
  },
});

/** The dead letters: list, show, and re-drive once onto the original topic. */
export const handler = adminRoute(lambdaHandler);
