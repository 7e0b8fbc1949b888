import { generateClientSecret, hashClientSecret } from '@mxflow/local-oauth/secrets';
import type { ClientSecretRecord } from '@mxflow/store';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ClientSecretsElsewhereError, ConflictError, NotFoundError } from '../domain/errors';
import { expectedVersion, parseMapping, parseMappingChanges, pathId } from '../domain/requests';
import { Subject, mappingState, mappingView } from '../domain/views';
import { adminRoute, audited, bodyOf, ifMatchOf, issuesClientSecrets, json, pathParameter, routes, store, type AdminContext } from './chain';

async function entityOf(entityId: string) {
  const entity = await store.entities.get(entityId);
  if (!entity) throw new NotFoundError(`There is no entity ${entityId}.`);
  return entity;
}

async function currentWithSecret(event: APIGatewayProxyEventV2) {
  const clientId = pathId(pathParameter(event, 'clientId'), 'clientId');
  const found = await store.mappings.findWithSecret(clientId);
  if (!found) throw new NotFoundError(`There is no mapping of client ${clientId}.`);
  return found;
}

const current = async (event: APIGatewayProxyEventV2) => (await currentWithSecret(event)).mapping;

/** A new client secret: the secret, to show once, and the hash to keep. */
function issueSecret(): { clientSecret: string; record: ClientSecretRecord } {
  const clientSecret = generateClientSecret();
  return { clientSecret, record: { hash: hashClientSecret(clientSecret), issuedAt: new Date().toISOString() } };
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
    // Where the platform issues secrets, a new client gets one with its mapping, in the same write: it can ask for a token at once.
    const secret = issuesClientSecrets ? issueSecret() : undefined;
    if (!(await store.mappings.create(mapping, secret?.record))) throw new ConflictError('mapping-exists', `client ${mapping.clientId} is mapped already`, [{ path: 'clientId', message: 'is mapped already' }]);
    const created = { ...mapping, version: 1 };
    const issued = secret ? { secretIssuedAt: secret.record.issuedAt } : {};
    await audited(context, { subject: Subject.mapping(mapping.clientId), action: 'mapping.create', after: { ...mappingState(created), ...issued } });
    return json({ ...mappingView(created), ...(secret ? { clientSecret: secret.clientSecret } : {}), ...issued }, 201, {
      location: `/v1/admin/mappings/${encodeURIComponent(mapping.clientId)}`,
      ...etag(1),
    });
  },
  'GET /v1/admin/mappings/{clientId}': async (event) => {
    const { mapping, secret } = await currentWithSecret(event);
    return json({ ...mappingView(mapping), ...(secret ? { secretIssuedAt: secret.issuedAt } : {}) }, 200, etag(mapping.version));
  },
  'POST /v1/admin/mappings/{clientId}/secret': async (event, context) => {
    const clientId = pathId(pathParameter(event, 'clientId'), 'clientId');
    if (!issuesClientSecrets) throw new ClientSecretsElsewhereError(clientId);
    const secret = issueSecret();
    // One conditional write: the old secret stops working with it, and a client without a mapping gets none.
    if (!(await store.mappings.replaceSecret(clientId, secret.record))) throw new NotFoundError(`There is no mapping of client ${clientId}.`);
    await audited(context, { subject: Subject.mapping(clientId), action: 'mapping.secret.rotate', after: { secretIssuedAt: secret.record.issuedAt } });
    return json({ clientId, clientSecret: secret.clientSecret, secretIssuedAt: secret.record.issuedAt, links: { mapping: `/v1/admin/mappings/${encodeURIComponent(clientId)}` } });
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

/** The client mappings: per entity, and one by client id; and, where the platform issues them, their clients' secrets. */
export const handler = adminRoute(lambdaHandler);
