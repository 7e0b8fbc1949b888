import { alertOnLowBalance, balanceView, postingView, type Balance } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { NotFoundError } from '../domain/errors';
import { currencyOf, decimal, parseBody, parseLiquidity, parseThreshold, pathId } from '../domain/requests';
import { Subject } from '../domain/views';
import { adminRoute, audited, bodyOf, json, routes, store } from './chain';

async function entityIdOf(event: APIGatewayProxyEventV2): Promise<string> {
  const entityId = pathId(event.pathParameters?.id);
  if (!(await store.entities.get(entityId))) throw new NotFoundError(`There is no entity ${entityId}.`);
  return entityId;
}

const balanceText = (balance: Balance | undefined) => (balance ? decimal(balance) : undefined);

/** Publishes the alert of a crossing below the threshold; the monitor makes sure only one caller sees that crossing. */
const alertIfCrossed = (entityId: string, currency: string): Promise<boolean> => alertOnLowBalance(store, entityId, currency);

const lambdaHandler = routes({
  'GET /v1/admin/entities/{id}/liquidity': async (event) => {
    const entityId = await entityIdOf(event);
    const balances = await store.ledger.balances(entityId);
    const thresholds = await Promise.all(balances.map((balance) => store.monitor.threshold(entityId, balance.currency)));
    return json({ entityId, balances: balances.map((balance, index) => balanceView(balance, thresholds[index])) });
  },
  'GET /v1/admin/entities/{id}/liquidity/postings': async (event) => {
    const entityId = await entityIdOf(event);
    const given = event.queryStringParameters?.currency;
    const postings = await store.ledger.postings(entityId, given === undefined ? undefined : currencyOf(given));
    return json({ entityId, items: postings.map(postingView) });
  },
  'POST /v1/admin/entities/{id}/liquidity': async (event, context) => {
    const entityId = await entityIdOf(event);
    const request = parseLiquidity(bodyOf(event));
    const { currency } = request.amount;
    const timestamp = new Date().toISOString();
    const before = await store.ledger.balance(entityId, currency);
    // A posting, never an edit of the balance: the ledger moves both in one write, once per reference.
    const receipt = await store.ledger.adjust(entityId, request.posting, request.reference, request.type, timestamp);
    const after = await store.ledger.balance(entityId, currency);
    if (!receipt.alreadyPosted) {
      await audited(
        context,
        {
          subject: Subject.entity(entityId),
          action: `liquidity.${request.type}`,
          before: { currency, balance: balanceText(before) ?? null },
          after: { currency, balance: balanceText(after) ?? null, amount: decimal(request.amount), reference: request.reference },
        },
        timestamp,
      );
    }
    const alerted = await alertIfCrossed(entityId, currency);
    return json(
      {
        entityId,
        type: request.type,
        amount: decimal(request.amount),
        currency,
        reference: request.reference,
        alreadyPosted: receipt.alreadyPosted,
        balance: balanceText(after),
        lowBalanceAlert: alerted,
      },
      receipt.alreadyPosted ? 200 : 201,
    );
  },
  'PUT /v1/admin/entities/{id}/thresholds/{currency}': async (event, context) => {
    const entityId = await entityIdOf(event);
    const currency = currencyOf(event.pathParameters?.currency);
    const threshold = parseThreshold(parseBody(event.body, event.isBase64Encoded), currency);
    const previous = await store.monitor.threshold(entityId, currency);
    await store.monitor.setThreshold(entityId, currency, threshold.minor);
    await audited(context, {
      subject: Subject.entity(entityId),
      action: 'threshold.set',
      before: { currency, threshold: previous === undefined ? null : decimal({ ...threshold, minor: previous }) },
      after: { currency, threshold: decimal(threshold) },
    });
    // A threshold above the balance is a crossing too.
    const alerted = await alertIfCrossed(entityId, currency);
    return json({ entityId, currency, threshold: decimal(threshold), lowBalanceAlert: alerted });
  },
  'DELETE /v1/admin/entities/{id}/thresholds/{currency}': async (event, context) => {
    const entityId = await entityIdOf(event);
    const currency = currencyOf(event.pathParameters?.currency);
    const previous = await store.monitor.threshold(entityId, currency);
    if (previous === undefined) throw new NotFoundError(`${entityId} has no ${currency} threshold.`);
    const balance = await store.ledger.balance(entityId, currency);
    await store.monitor.setThreshold(entityId, currency, undefined);
    await audited(context, {
      subject: Subject.entity(entityId),
      action: 'threshold.remove',
      before: { currency, threshold: balance ? decimal({ ...balance, minor: previous }) : previous.toString() },
    });
    return { statusCode: 204 };
  },
});

/** Liquidity: balances, postings, top-ups and withdrawals, and low-balance thresholds. */
export const handler = adminRoute(lambdaHandler);
