import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { childIdsOf, requestToPayLookup, transactionView, viewerOf, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const viewer = viewerOf(context.caller);
  const history = await store.log.history(id);
  const summary = visibleSummary(history.summary, viewer);
  // A pain.001's transfers: their states in one batched read, not one call per transfer.
  const childIds = childIdsOf(summary);
  const related = requestToPayLookup(summary);
  const [children, linked] = await Promise.all([childIds.length ? store.log.summaries(childIds) : [], related ? store.log.findByReference(related, 10) : []]);
  return json(transactionView(summary, history.steps, viewer, children, linked));
};

/**
 * `GET /v1/transactions/{id}`: status, reason, ids, parties, amount and step
 * history, for either party (and the platform operator) only; a pain.001's
 * with its transfers' transactions; a request to pay (pain.013) with the
 * payments made for it, and a payment with the request it pays.
 */
export const handler = readRoute(lambdaHandler);
