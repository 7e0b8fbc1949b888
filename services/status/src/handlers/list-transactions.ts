import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { listQuery, summaryView } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const page = await store.log.list(context.caller.entityId, listQuery(event.queryStringParameters));
  return json({
    items: page.items.map(summaryView),
    ...(page.cursor ? { cursor: page.cursor, links: { next: `/v1/transactions?${new URLSearchParams({ ...event.queryStringParameters, cursor: page.cursor })}` } } : {}),
  });
};

/** `GET /v1/transactions?status=&from=&to=&limit=&cursor=`: the caller's own transactions, sent or received, newest first. */
export const handler = readRoute(lambdaHandler);
