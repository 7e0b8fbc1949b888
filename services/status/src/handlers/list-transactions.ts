import { INCOMING_MESSAGE_TYPES } from '@mxflow/contracts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listRequest, searchResults, summaryView, viewerOf, type ListRequest, type Viewer } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

/** Every entity of the platform: whose transactions the operator lists when it names no participant. */
async function everyEntity(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.entities.list({ limit: 200, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((entity) => entity.entityId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

/** A search by MsgId, EndToEndId or UETR: through the reference indexes, for each message type asked for. */
async function search(request: ListRequest & { reference: NonNullable<ListRequest['reference']> }, viewer: Viewer) {
  const { field, value } = request.reference;
  const types = request.query.messageType ? [request.query.messageType] : INCOMING_MESSAGE_TYPES;
  const found = await Promise.all(types.map((messageType) => store.log.findByReference({ messageType, [field]: value }, 50)));
  return json({ items: searchResults(found.flat(), request).map((summary) => summaryView(summary, viewer)) });
}

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const viewer = viewerOf(context.caller);
  const request = listRequest(event.queryStringParameters, viewer);
  if (request.reference) return search({ ...request, reference: request.reference }, viewer);
  const entityIds = request.participant === 'all' ? await everyEntity() : request.participant;
  const page = await store.log.list(entityIds, request.query);
  return json({
    items: page.items.map((summary) => summaryView(summary, viewer)),
    ...(page.cursor ? { cursor: page.cursor, links: { next: `/v1/transactions?${new URLSearchParams({ ...event.queryStringParameters, cursor: page.cursor })}` } } : {}),
  });
};

/**
 * `GET /v1/transactions?status=&type=&counterparty=&from=&to=&msgId=&endToEndId=&uetr=&participant=&limit=&cursor=`:
 * the caller's own transactions, sent or received, newest first; the
 * platform operator's are every participant's, or those of `participant`.
 */
export const handler = readRoute(lambdaHandler);
