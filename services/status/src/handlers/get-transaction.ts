import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { transactionView, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const history = await store.log.history(id);
  return json(transactionView(visibleSummary(history.summary, context.caller.entityId), history.steps));
};

/** `GET /v1/transactions/{id}`: status, reason, ids, parties, amount and step history, for either party only. */
export const handler = readRoute(lambdaHandler);
