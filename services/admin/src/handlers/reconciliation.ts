import { parseReconciliationDate } from '../domain/requests';
import { adminRoute, json, routes, store } from './chain';
import { reconcileDay } from './reconciliation-input';

const lambdaHandler = routes({
  'GET /v1/admin/reconciliation': async (event) => {
    const date = parseReconciliationDate(event.queryStringParameters?.date, new Date());
    // A day that does not add up is an answer, not a failure: `balanced` says which, `mismatches` what.
    return json(await reconcileDay(store, date));
  },
});

/** `GET /v1/admin/reconciliation?date=YYYY-MM-DD`: whether the books of that UTC day (default today) add up, and what does not. */
export const handler = adminRoute(lambdaHandler);
