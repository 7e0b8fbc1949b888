import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type Request } from '@middy/core';
import { detectMessage, type EngineOptions } from '@mxflow/iso20022';
import {
  archive,
  auth,
  bodyBytes,
  createTokenVerifier,
  errors,
  headerOf,
  snapshot,
  transaction,
  type MessageToArchive,
  type SubmitContext,
} from '@mxflow/middleware';
import { DynamoDbMappingDirectory, DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readConfig, TokenFlavour } from '../config';
import {
  assessMessage,
  checkContentType,
  checkNotDuplicate,
  duplicateKeyOf,
  incomingRecord,
  Status,
  type AcceptedAnswer,
} from '../domain/submission';
import { createMessageBus } from './message-bus';
import { submitProblems } from './problems';

/** Scope a token needs to submit messages. */
export const SUBMIT_SCOPE = 'payments/write';

const config = readConfig();
const logger = new Logger({ serviceName: 'incoming' });
const metrics = new Metrics({ namespace: 'mxflow', serviceName: 'incoming' });
const tracer = new Tracer({ serviceName: 'incoming' });

const dynamodb = tracer.captureAWSv3Client(
  new DynamoDBClient({ region: config.region, ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}) }),
);
const s3 = tracer.captureAWSv3Client(
  new S3Client({ region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}) }),
);
const bus = createMessageBus(config);
const transactionLog = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });
const verifier = createTokenVerifier({
  issuer: config.authIssuer,
  jwksUri: config.authJwksUri,
  ...(config.tokenFlavour === TokenFlavour.cognito
    ? { type: null, tokenUse: 'access' }
    : { audience: config.authAudience }),
});
const engine: EngineOptions = { limits: { maxBytes: config.maxMessageBytes } };

/** The raw message and its type; refuses a non-XML content type and input that is no ISO 20022 message before anything is archived. */
function submittedMessage(request: Request): MessageToArchive {
  const event = request.event as APIGatewayProxyEventV2;
  checkContentType(headerOf(event, 'content-type'));
  const body = bodyBytes(event);
  return { body, messageType: detectMessage(body, engine).messageType };
}

const lambdaHandler = async (event: APIGatewayProxyEventV2, context: SubmitContext): Promise<APIGatewayProxyStructuredResultV2> => {
  const accepted = assessMessage(bodyBytes(event), engine);
  const duplicateKey = duplicateKeyOf(context.caller.entityId, accepted);
  if (duplicateKey) checkNotDuplicate(accepted, await transactionLog.transactionsWithDuplicateKey(duplicateKey));
  await context.recordStep(Status.ACTC, { messageIds: accepted.messageIds, ...(duplicateKey ? { duplicateKey } : {}) });
  const record = incomingRecord(accepted, context.transaction, context.caller.entityId);
  await bus.send(record.topic, [record.message]);
  metrics.addDimension('messageType', accepted.message.messageType);
  metrics.addMetric('messagesAccepted', MetricUnit.Count, 1);
  const answer: AcceptedAnswer = { transactionId: context.transaction.transactionId, requestId: context.transaction.requestId, status: Status.ACTC };
  return { statusCode: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) };
};

/** `POST /v1/messages`: authenticate, archive, record RCVD, validate, record ACTC or RJCT, produce to `incoming.<msgType>`. */
export const handler = middy(lambdaHandler)
  .use(captureLambdaHandler(tracer))
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .use(errors({ logger, mappers: [submitProblems] }))
  .use(auth({ verifier, directory: new DynamoDbMappingDirectory({ client: dynamodb, tableName: config.mappingTable }), requiredScope: SUBMIT_SCOPE }))
  .use(transaction())
  .use(archive({ store: new S3Archive({ client: s3, bucket: config.archiveBucket }), direction: 'incoming', message: submittedMessage }))
  .use(snapshot({ log: transactionLog, service: 'incoming' }));
