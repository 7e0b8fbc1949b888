import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { childIdsOf, transactionView, viewerOf, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const viewer = viewerOf(context.caller);
  const history = await store.log.history(id);
  const summary = visibleSummary(history.summary, viewer);
  // A pain.001's transfers: their states in one batched read, not one call per transfer.
  const childIds = childIdsOf(summary);
  const children = childIds.length ? await store.log.summaries(childIds) : [];
  return json(transactionView(summary, history.steps, viewer, children));
};

/**
 * `GET /v1/transactions/{id}`: status, reason, ids, parties, amount and step
 * history, for either party (and the platform operator) only; a pain.001's
 * with its transfers' transactions.
 */
export const handler = readRoute(lambdaHandler);
