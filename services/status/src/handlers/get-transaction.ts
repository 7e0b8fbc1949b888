import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { transactionView, visibleSummary } from '../domain/views';
import { json, readRoute, store, type ReadContext } from './chain';

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: ReadContext) => {
  const id = event.pathParameters?.id ?? '';
  const summary = visibleSummary(await store.log.summary(id), context.caller.entityId);
  return json(transactionView(summary, await store.log.steps(id)));
};

/** `GET /v1/transactions/{id}`: status, reason, ids, parties, amount and step history, for either party only. */
export const handler = readRoute(lambdaHandler);
