import { statementKey } from '@mxflow/contracts';
import { balanceView, postingView } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../domain/errors';
import { liquidityRequest, statementView, statementsRequest, viewerOf } from '../domain/views';
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
  'GET /v1/statements': async (event: APIGatewayProxyEventV2, context: ReadContext) => {
    const request = statementsRequest(event.queryStringParameters, viewerOf(context.caller), new Date());
    const currencies = request.currency ? [request.currency] : (await store.ledger.balances(request.entityId)).map((balance) => balance.currency).sort();
    const found = await Promise.all(
      currencies.map(async (currency) => {
        const key = statementKey(request.date, request.entityId, currency);
        return (await store.archive.has(key)) ? [statementView(request, currency, key)] : [];
      }),
    );
    return json({ entityId: request.entityId, date: request.date, items: found.flat() });
  },
  'GET /v1/statements/{date}/{currency}': async (event: APIGatewayProxyEventV2, context: ReadContext) => {
    const request = statementsRequest({ ...event.queryStringParameters, ...event.pathParameters }, viewerOf(context.caller), new Date());
    const bytes = await store.archive.get(statementKey(request.date, request.entityId, request.currency ?? ''));
    if (!bytes) throw new NotFoundError(`no statement of ${request.currency} for ${request.date}`);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/xml', 'cache-control': 'no-store', 'content-disposition': `attachment; filename="camt.053-${request.date}-${request.currency}.xml"` },
      body: Buffer.from(bytes).toString('utf8'),
    };
  },
});

/**
 * `GET /v1/liquidity[?participant=]` and `GET /v1/liquidity/postings[?currency=][&participant=]`:
 * the caller's own balances and postings; the platform operator names the participant.
 * `GET /v1/statements[?date=][&currency=][&participant=]` lists the end-of-day
 * statements (camt.053) of a business day (yesterday by default), and
 * `GET /v1/statements/{date}/{currency}` serves one as XML.
 */
export const handler = readRoute(lambdaHandler);
