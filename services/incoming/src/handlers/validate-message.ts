import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { INCOMING_MESSAGE_TYPES } from '@mxflow/contracts';
import { detectMessage, type EngineOptions } from '@mxflow/iso20022';
import { auth, bodyBytes, errors, headerOf, restApiEvents, type Caller, type ProblemMapper } from '@mxflow/middleware';
import { dynamoDbClient, observability, readSchemasConfig, s3Client, useOperatorSchemas, verifierFor } from '@mxflow/runtime';
import { DynamoDbEntityDirectory, DynamoDbMappingDirectory } from '@mxflow/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readConfig } from '../config';
import { UnhandledMessageTypeError } from '../domain/errors';
import { assessMessage, checkContentType, checkInstructingAgent, instructingAgentOf } from '../domain/submission';
import { jsonForm } from './json-form';
import { submitProblems } from './problems';
import { SUBMIT_SCOPE } from './scopes';

const config = readConfig();
const { logger, tracer } = await observability('incoming');
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, tracer));
const dynamodb = dynamoDbClient(config, tracer);
const entities = new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable });
const engine: EngineOptions = { limits: { maxBytes: config.maxMessageBytes } };

/**
 * The problems of a submission, told as those of a dry run: nothing was
 * recorded, so no transaction is rejected; the reason code is the one a
 * submission would get.
 */
const validationProblems: ProblemMapper = (error) => {
  const problem = submitProblems(error);
  if (!problem?.extensions || !('transactionStatus' in problem.extensions)) return problem;
  const { transactionStatus: _recordedNowhere, ...extensions } = problem.extensions;
  return { ...problem, ...(problem.detail ? { detail: problem.detail.replace(/the transaction is rejected/, 'submitted, it would be rejected') } : {}), extensions: { ...extensions, dryRun: true } };
};

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: Context & { caller: Caller }): Promise<APIGatewayProxyStructuredResultV2> => {
  checkContentType(headerOf(event, 'content-type'));
  const body = bodyBytes(event);
  const { messageType } = detectMessage(body, engine);
  if (!INCOMING_MESSAGE_TYPES.includes(messageType)) throw new UnhandledMessageTypeError(messageType);
  const accepted = assessMessage(body, engine);
  const agent = instructingAgentOf(accepted.message.document);
  if (agent) {
    const agentEntity = await entities.findByBic(agent.bic);
    checkInstructingAgent(accepted, agent, context.caller.entityId, agentEntity?.entityId, agentEntity?.status);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ valid: true, messageType, messageId: accepted.message.messageId, messageIds: accepted.messageIds }),
  };
};

/**
 * `POST /v1/messages/validate`: every check of `POST /v1/messages` (schema,
 * business rules, the caller as instructing agent), as a dry run: nothing is
 * archived, recorded or produced. 200 when a submission would be accepted,
 * else the problem it would get.
 */
export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  // A route group on the private REST API sends payload 1.0 events: every handler reads 2.0.
  .use(restApiEvents())
  .use(errors({ logger, mappers: [validationProblems] }))
  .use(auth({ verifier: verifierFor(config), directory: new DynamoDbMappingDirectory({ client: dynamodb, tableName: config.mappingTable }), requiredScope: SUBMIT_SCOPE }))
  .use(jsonForm(engine));
