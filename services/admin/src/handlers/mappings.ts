import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConflictError, NotFoundError } from '../domain/errors';
import { expectedVersion, parseMapping, parseMappingChanges, pathId } from '../domain/requests';
import { Subject, mappingState, mappingView } from '../domain/views';
import { adminRoute, audited, bodyOf, ifMatchOf, json, pathParameter, routes, store, type AdminContext } from './chain';

async function entityOf(entityId: string) {
  const entity = await store.entities.get(entityId);
  if (!entity) throw new NotFoundError(`There is no entity ${entityId}.`);
  return entity;
}

async function current(event: APIGatewayProxyEventV2) {
  const clientId = pathId(pathParameter(event, 'clientId'), 'clientId');
  const mapping = await store.mappings.find(clientId);
  if (!mapping) throw new NotFoundError(`There is no mapping of client ${clientId}.`);
  return mapping;
}

/** An operator cannot lock itself out: its own mapping is changed by another operator. */
function notOwn(clientId: string, context: AdminContext): void {
  if (clientId === context.caller.clientId) throw new ConflictError('own-mapping', 'An operator cannot change or delete the mapping it acts through', [{ path: 'clientId', message: 'is the caller' }]);
}

const etag = (version: number | undefined) => ({ etag: `"${version ?? 0}"` });

const lambdaHandler = routes({
  'GET /v1/admin/entities/{id}/mappings': async (event) => {
    const entity = await entityOf(pathId(event.pathParameters?.id));
    return json({ items: (await store.mappings.listByEntity(entity.entityId)).map(mappingView) });
  },
  'POST /v1/admin/entities/{id}/mappings': async (event, context) => {
    const entity = await entityOf(pathId(event.pathParameters?.id));
    const mapping = parseMapping(bodyOf(event), entity.entityId);
    if (!(await store.mappings.create(mapping))) throw new ConflictError('mapping-exists', `client ${mapping.clientId} is mapped already`, [{ path: 'clientId', message: 'is mapped already' }]);
    const created = { ...mapping, version: 1 };
    await audited(context, { subject: Subject.mapping(mapping.clientId), action: 'mapping.create', after: mappingState(created) });
    return json(mappingView(created), 201, { location: `/v1/admin/mappings/${encodeURIComponent(mapping.clientId)}`, ...etag(1) });
  },
  'GET /v1/admin/mappings/{clientId}': async (event) => {
    const mapping = await current(event);
    return json(mappingView(mapping), 200, etag(mapping.version));
  },
  'PATCH /v1/admin/mappings/{clientId}': async (event, context) => {
    const mapping = await current(event);
    notOwn(mapping.clientId, context);
    const body = bodyOf(event);
    const changes = parseMappingChanges(body);
    if (changes.entityId !== undefined) await entityOf(changes.entityId);
    const updated = await store.mappings.update(mapping.clientId, changes, expectedVersion(ifMatchOf(event), body, mapping.version ?? 0));
    await audited(context, { subject: Subject.mapping(mapping.clientId), action: 'mapping.update', before: mappingState(mapping), after: mappingState(updated) });
    return json(mappingView(updated), 200, etag(updated.version));
  },
  'DELETE /v1/admin/mappings/{clientId}': async (event, context) => {
    const mapping = await current(event);
    notOwn(mapping.clientId, context);
    await store.mappings.delete(mapping.clientId, expectedVersion(ifMatchOf(event), undefined, mapping.version ?? 0));
    await audited(context, { subject: Subject.mapping(mapping.clientId), action: 'mapping.delete', before: mappingState(mapping) });
    return { statusCode: 204 };
  },
});

/** The client mappings: per entity, and one by client id. */
export const handler = adminRoute(lambdaHandler);
