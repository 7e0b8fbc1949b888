import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import middy, { type Request } from '@middy/core';
import { detectMessage, type EngineOptions } from '@mxflow/iso20022';
import { archive, auth, bodyBytes, callerFrom, errors, headerOf, restApiEvents, snapshot, transaction, type MessageToArchive, type SubmitContext } from '@mxflow/middleware';
import { createMessageBus, dynamoDbClient, observability, readSchemasConfig, s3Client, useOperatorSchemas, verifierFor } from '@mxflow/runtime';
import {
  CachedEntityDirectory,
  CachedMappingDirectory,
  DynamoDbEntityDirectory,
  DynamoDbMappingDirectory,
  DynamoDbTransactionLog,
  DynamoDbUsageMeter,
  KeyClaimedError,
  RecordChangedError,
  S3Archive,
  type Entity,
  type RecordRead,
} from '@mxflow/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { INCOMING_MESSAGE_TYPES } from '@mxflow/contracts';
import { readConfig } from '../config';
import { UnhandledMessageTypeError } from '../domain/errors';
import {
  assessMessage,
  checkContentType,
  checkInTime,
  checkInstructingAgent,
  checkNotDuplicate,
  deadlineFor,
  duplicateKeyOf,
  incomingRecord,
  instructingAgentOf,
  Status,
  type AcceptedAnswer,
  type AcceptedMessage,
} from '../domain/submission';
import { IDEMPOTENCY_PATHS, idempotencyInput, idempotent } from './idempotency';
import { jsonForm } from './json-form';
import { archiveQuota } from './quota';
import { submitProblems } from './problems';
import { SUBMIT_SCOPE } from './scopes';
import { negativeResponse } from './respond';

export { SUBMIT_SCOPE };

const config = readConfig();
const { logger, metrics, tracer } = await observability('incoming');
// The operator's schemas (a folder in the bundle, or an S3 prefix), read once: a broken file stops the cold start, naming it.
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);
const bus = createMessageBus(config, 'mxflow-incoming');
// Connected while the rest of the module initialises, so that the first message does not wait for it.
bus.warm();
const transactionLog = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable, entityTableName: config.entityTable, mappingTableName: config.mappingTable });
// The caller's mapping and the instructing agent's entity are kept a few seconds. The acceptance's write checks that
// both are still at the version read, so a suspension or a revoked client refuses the next message at once
// (403, AG10); and a refusal is decided on a fresh read only.
const mappings = new CachedMappingDirectory(new DynamoDbMappingDirectory({ client: dynamodb, tableName: config.mappingTable }));
const entities = new CachedEntityDirectory(new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }));
const engine: EngineOptions = { limits: { maxBytes: config.maxMessageBytes } };
const idempotencyStore = new DynamoDBPersistenceLayer({ tableName: config.idempotencyTable, awsSdkV3Client: dynamodb });
const idempotencyConfig = new IdempotencyConfig({
  ...IDEMPOTENCY_PATHS,
  // A repeat under the same Idempotency-Key within a day gets the first answer; after that (or without the header) the MsgId claim decides.
  expiresAfterSeconds: 24 * 60 * 60,
  throwOnNoIdempotencyKey: false,
});

/** The raw message and its type; refuses a non-XML content type and input that is no ISO 20022 message before anything is archived. */
function submittedMessage(request: Request): MessageToArchive {
  const event = request.event as APIGatewayProxyEventV2;
  checkContentType(headerOf(event, 'content-type'));
  const body = bodyBytes(event);
  const { messageType } = detectMessage(body, engine);
  if (!INCOMING_MESSAGE_TYPES.includes(messageType)) throw new UnhandledMessageTypeError(messageType);
  return { body, messageType };
}

/** The 202 of a transaction: its id, its status, and where to follow it. */
function acceptedAnswer(transactionId: string, requestId: string, status: string, messageType: string): APIGatewayProxyStructuredResultV2 {
  const answer: AcceptedAnswer = { transactionId, requestId, status, messageType, links: { status: `/v1/transactions/${transactionId}` } };
  return { statusCode: 202, headers: { 'content-type': 'application/json', location: answer.links.status }, body: JSON.stringify(answer) };
}

/**
 * A repeat of exactly the bytes an earlier transaction of this sender holds
 * the MsgId with (a retry after a lost answer, a crash, a 503): it gets that
 * transaction's answer, whatever state it is in. One still open is produced
 * to its topic again, under its own ids, in case the first time never got
 * there; the processors decide a transaction once.
 */
async function answerRepeat(
  accepted: AcceptedMessage,
  claim: Pick<KeyClaimedError, 'owner' | 'attributes'>,
  entityId: string,
  deadline: string | undefined,
): Promise<APIGatewayProxyStructuredResultV2> {
  const summary = await transactionLog.summary(claim.owner);
  const requestId = claim.attributes.requestId ?? '';
  if (summary && !summary.final) {
    await bus.publish([incomingRecord(accepted, { transactionId: claim.owner, requestId }, entityId, claim.attributes.archiveKey, summary.deadline ?? deadline)]);
  }
  metrics.addMetric('repeatsAnswered', MetricUnit.Count, 1);
  return acceptedAnswer(claim.owner, requestId, summary?.status ?? Status.ACTC, accepted.message.messageType);
}

/** Records RCVD and ACTC with the MsgId claim; resolves the claim another transaction holds instead, when one does (nothing is written then). */
async function recordAcceptance(context: SubmitContext, details: Parameters<SubmitContext['recordStep']>[1]): Promise<KeyClaimedError | undefined> {
  try {
    await context.recordStep(Status.ACTC, details);
    return undefined;
  } catch (error) {
    if (error instanceof KeyClaimedError) return error;
    throw error;
  }
}

/** The first refusal among checks that throw one, or `undefined` when every check passes. */
function firstRefusal(checks: readonly (() => void)[]): unknown {
  for (const check of checks) {
    try {
      check();
    } catch (refusal) {
      return refusal;
    }
  }
  return undefined;
}

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: SubmitContext): Promise<APIGatewayProxyStructuredResultV2> => {
  const accepted = assessMessage(bodyBytes(event), engine);
  const { entityId, clientId } = context.caller;
  const agent = instructingAgentOf(accepted.message.document);
  const { transactionId, requestId, receivedAt } = context.transaction;
  const deadline = deadlineFor(accepted.message.messageType, accepted.message.document, config.slaRules, receivedAt);
  const duplicateKey = duplicateKeyOf(entityId, accepted);
  // What may have changed since the same bytes were first accepted (a suspension, the clock): a retry of them gets
  // that transaction's answer, not a refusal the first one did not get.
  const judge = (agentEntity: Entity | undefined) =>
    firstRefusal([
      () => agent && checkInstructingAgent(accepted, agent, entityId, agentEntity?.entityId, agentEntity?.status),
      () => checkInTime(accepted, deadline, new Date().toISOString()),
    ]);
  /** The instructing agent's entity and the refusal it makes, if any; a refusal of a kept entity is judged again on a fresh read. */
  const decide = async (): Promise<{ agentEntity?: Entity; refusal: unknown }> => {
    let agentEntity = agent ? await entities.findByBic(agent.bic) : undefined;
    let refusal = judge(agentEntity);
    if (refusal && agent) {
      entities.forget();
      agentEntity = await entities.findByBic(agent.bic);
      refusal = judge(agentEntity);
    }
    return { ...(agentEntity ? { agentEntity } : {}), refusal };
  };
  /** A refused message whose exact bytes an earlier transaction of this sender holds the MsgId with gets that one's answer. */
  const refuse = async (refusal: unknown): Promise<APIGatewayProxyStructuredResultV2> => {
    const held = duplicateKey ? await transactionLog.heldBy(`msgid#${duplicateKey}`) : undefined;
    if (held?.attributes.bodySha256 === context.archived.sha256) return answerRepeat(accepted, held, entityId, deadline);
    throw refusal;
  };
  let { agentEntity, refusal } = await decide();
  if (refusal) return refuse(refusal);
  // The MsgId is claimed in the same write as the transaction's first steps: of two submissions at the same
  // instant exactly one exists, and the claim remembers the bytes, so that a repeat of them gets that one's answer.
  const claims = duplicateKey
    ? [{ key: `msgid#${duplicateKey}`, attributes: { bodySha256: context.archived.sha256, requestId, archiveKey: context.archived.key } }]
    : [];
  const details = { messageIds: accepted.messageIds, ...(duplicateKey ? { duplicateKey } : {}), ...(deadline ? { deadline } : {}), claims };
  let mappingVersion = context.caller.mappingVersion ?? 0;
  const readsOf = (entity: Entity | undefined): RecordRead[] => [
    { kind: 'mapping', id: clientId, version: mappingVersion },
    ...(entity ? [{ kind: 'entity' as const, id: entity.entityId, version: entity.version ?? 0 }] : []),
  ];
  let held: KeyClaimedError | undefined;
  try {
    held = await recordAcceptance(context, { ...details, reads: readsOf(agentEntity) });
  } catch (error) {
    if (!(error instanceof RecordChangedError)) throw error;
    // The mapping or the entity changed since it was kept: judge again on fresh reads, and write once more.
    mappings.forget(clientId);
    entities.forget();
    const caller = callerFrom(context.claims, await mappings.find(clientId), SUBMIT_SCOPE);
    // Mapped to another entity meanwhile: what was archived and checked was for the old one. The client sends again.
    if (caller.entityId !== entityId) throw error;
    mappingVersion = caller.mappingVersion ?? 0;
    ({ agentEntity, refusal } = await decide());
    if (refusal) return refuse(refusal);
    held = await recordAcceptance(context, { ...details, reads: readsOf(agentEntity) });
  }
  if (held) {
    if (held.attributes.bodySha256 === context.archived.sha256) return answerRepeat(accepted, held, entityId, deadline);
    checkNotDuplicate(accepted, [held.owner]);
  }
  await bus.publish([incomingRecord(accepted, context.transaction, entityId, context.archived.key, deadline)]);
  metrics.addDimension('messageType', accepted.message.messageType);
  metrics.addMetric('messagesAccepted', MetricUnit.Count, 1);
  return acceptedAnswer(transactionId, requestId, Status.ACTC, accepted.message.messageType);
};

/** `POST /v1/messages`: authenticate, archive, record RCVD, validate, record ACTC or RJCT, produce to `incoming.<msgType>` (or the negative response to `outgoing.<type>`). */
export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  // A route group on the private REST API sends payload 1.0 events: every handler reads 2.0.
  .use(restApiEvents())
  .use(errors({ logger, mappers: [submitProblems] }))
  .use(auth({ verifier: verifierFor(config), directory: mappings, requiredScope: SUBMIT_SCOPE }))
  .use(transaction())
  .use(jsonForm(engine))
  .use(idempotencyInput())
  // A repeat under the same Idempotency-Key returns the stored 202 before anything is archived or recorded again.
  .use(idempotent({ persistenceStore: idempotencyStore, config: idempotencyConfig }))
  .use(archiveQuota({ meter: new DynamoDbUsageMeter({ client: dynamodb, tableName: config.usageTable }), limitBytes: config.archiveQuotaBytesPerHour }))
  .use(archive({ store: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }), direction: 'incoming', message: submittedMessage }))
  .use(negativeResponse({ bus, log: transactionLog, engine, onFailure: (error) => logger.error('the negative response could not be produced', { error: error as Error }) }))
  // A rejection is recorded as pending its answer: if the answer never goes out (a crash), the timeout sweep sends it.
  .use(snapshot({ log: transactionLog, service: 'incoming', answerRejections: true }));
