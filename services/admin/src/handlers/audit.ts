import { InvalidRequestError } from '../domain/errors';
import { parsePage } from '../domain/requests';
import { auditView } from '../domain/views';
import { adminRoute, json, routes, store } from './chain';

const lambdaHandler = routes({
  'GET /v1/admin/audit': async (event) => {
    const query = event.queryStringParameters;
    const subject = query?.subject;
    if (subject !== undefined && !/^[a-z-]+\/.+$/.test(subject)) throw new InvalidRequestError('subject', `'${subject}' is not a subject (entity/<id>, mapping/<clientId>, dead-letter/<id>)`);
    const page = await store.audit.list({ ...parsePage(query), ...(subject ? { subject } : {}) });
    return json({ items: page.items.map(auditView), ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
});

/** `GET /v1/admin/audit?subject=&limit=&cursor=`: every change, newest first. */
export const handler = adminRoute(lambdaHandler);
