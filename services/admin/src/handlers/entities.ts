import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConflictError, NotFoundError } from '../domain/errors';
import { AdminStatus, expectedVersion, parseEntity, parseEntityChanges, parsePage, pathId, type AdminStatusName } from '../domain/requests';
import { Subject, assertDeletable, entityState, entityView, statusChange } from '../domain/views';
import { adminRoute, audited, bodyOf, ifMatchOf, json, routes, store, type AdminContext } from './chain';

async function current(event: APIGatewayProxyEventV2) {
  const entityId = pathId(event.pathParameters?.id);
  const entity = await store.entities.get(entityId);
  if (!entity) throw new NotFoundError(`There is no entity ${entityId}.`);
  return entity;
}

const etag = (version: number | undefined) => ({ etag: `"${version ?? 0}"` });

async function setStatus(event: APIGatewayProxyEventV2, context: AdminContext, to: AdminStatusName) {
  const entity = await current(event);
  const change = statusChange(entity, to);
  if (!change) return json(entityView(entity), 200, etag(entity.version));
  const updated = await store.entities.update(entity.entityId, { status: change.status }, expectedVersion(ifMatchOf(event), undefined, entity.version ?? 0));
  await audited(context, { subject: Subject.entity(entity.entityId), action: change.action, before: entityState(entity), after: entityState(updated) });
  return json(entityView(updated), 200, etag(updated.version));
}

const lambdaHandler = routes({
  'GET /v1/admin/entities': async (event) => {
    const page = await store.entities.list(parsePage(event.queryStringParameters));
    return json({ items: page.items.map(entityView), ...(page.cursor ? { cursor: page.cursor } : {}) });
  },
  'POST /v1/admin/entities': async (event, context) => {
    const entity = parseEntity(bodyOf(event));
    const holder = await store.entities.findByBic(entity.bic);
    if (holder) throw new ConflictError('bic-taken', `${entity.bic} is the BIC of ${holder.entityId}`, [{ path: 'bic', message: `belongs to ${holder.entityId}` }]);
    if (!(await store.entities.create(entity))) throw new ConflictError('entity-exists', `entity ${entity.entityId} exists`, [{ path: 'entityId', message: 'is taken' }]);
    const created = { ...entity, version: 1 };
    await audited(context, { subject: Subject.entity(entity.entityId), action: 'entity.create', after: entityState(created) });
    return json(entityView(created), 201, { location: `/v1/admin/entities/${entity.entityId}`, ...etag(1) });
  },
  'GET /v1/admin/entities/{id}': async (event) => {
    const entity = await current(event);
    return json(entityView(entity), 200, etag(entity.version));
  },
  'PATCH /v1/admin/entities/{id}': async (event, context) => {
    const entity = await current(event);
    const body = bodyOf(event);
    const changes = parseEntityChanges(body, entity);
    if (changes.bic !== undefined && changes.bic !== entity.bic) {
      const holder = await store.entities.findByBic(changes.bic);
      if (holder && holder.entityId !== entity.entityId) throw new ConflictError('bic-taken', `${changes.bic} is the BIC of ${holder.entityId}`, [{ path: 'bic', message: `belongs to ${holder.entityId}` }]);
    }
    const updated = await store.entities.update(entity.entityId, changes, expectedVersion(ifMatchOf(event), body, entity.version ?? 0));
    await audited(context, { subject: Subject.entity(entity.entityId), action: 'entity.update', before: entityState(entity), after: entityState(updated) });
    return json(entityView(updated), 200, etag(updated.version));
  },
  'DELETE /v1/admin/entities/{id}': async (event, context) => {
    const entity = await current(event);
    const [balances, mappings] = await Promise.all([store.ledger.balances(entity.entityId), store.mappings.listByEntity(entity.entityId)]);
    assertDeletable(entity.entityId, balances, mappings);
    await store.entities.delete(entity.entityId, expectedVersion(ifMatchOf(event), undefined, entity.version ?? 0));
    await audited(context, { subject: Subject.entity(entity.entityId), action: 'entity.delete', before: entityState(entity) });
    return { statusCode: 204 };
  },
  'POST /v1/admin/entities/{id}/suspend': (event, context) => setStatus(event, context, AdminStatus.SUSPENDED),
  'POST /v1/admin/entities/{id}/reinstate': (event, context) => setStatus(event, context, AdminStatus.ACTIVE),
});

/** The entities: list, create, read, update, delete, suspend and reinstate. */
export const handler = adminRoute(lambdaHandler);
