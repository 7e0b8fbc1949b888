import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { transactionView, viewerOf, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const history = await store.log.history(id);
  return json(transactionView(visibleSummary(history.summary, viewerOf(context.caller)), history.steps));
};

/** `GET /v1/transactions/{id}`: status, reason, ids, parties, amount and step history, for either party (and the platform operator) only. */
export const handler = readRoute(lambdaHandler);
