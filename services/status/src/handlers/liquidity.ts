import { balanceView, postingView } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { liquidityRequest, viewerOf } from '../domain/views';
import { json, readRoute, routes, store, type ReadContext } from './chain';

const lambdaHandler = routes({
  'GET /v1/liquidity': async (event: APIGatewayProxyEventV2, context: ReadContext) => {
    const { entityId } = liquidityRequest(event.queryStringParameters, viewerOf(context.caller));
    const balances = await store.ledger.balances(entityId);
    return json({ entityId, balances: balances.map((balance) => balanceView(balance)) });
  },
  'GET /v1/liquidity/postings': async (event: APIGatewayProxyEventV2, context: ReadContext) => {
    const { entityId, currency } = liquidityRequest(event.queryStringParameters, viewerOf(context.caller));
    const postings = await store.ledger.postings(entityId, currency);
    return json({ entityId, items: postings.map(postingView) });
  },
});

/**
 * `GET /v1/liquidity[?participant=]` and `GET /v1/liquidity/postings[?currency=][&participant=]`:
 * the caller's own balances and postings; the platform operator names the participant.
 */
export const handler = readRoute(lambdaHandler);
