import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { auth, errors, headerOf, restApiEvents, routeTable, type Caller } from '@mxflow/middleware';
import { createMessageBus, dynamoDbClient, observability, platformProblems, s3Client, snsClient, verifierFor } from '@mxflow/runtime';
import {
  DynamoDbAuditLog,
  DynamoDbDeadLetterStore,
  DynamoDbEntityDirectory,
  DynamoDbLedger,
  DynamoDbLowBalanceMonitor,
  DynamoDbMappingDirectory,
  DynamoDbTransactionLog,
  S3Archive,
  SnsNotifier,
  type AuditEntry,
} from '@mxflow/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ClientSecretIssuer, readConfig } from '../config';
import { NotFoundError } from '../domain/errors';
import { ADMIN_SCOPE, parseBody } from '../domain/requests';
import { adminProblems } from './problems';

const config = readConfig();
const { logger, metrics, tracer } = await observability('admin');
export { logger, metrics, tracer };
const dynamodb = dynamoDbClient(config, tracer);
const mappings = new DynamoDbMappingDirectory({ client: dynamodb, tableName: config.mappingTable });

/** The adapters the admin API works through, made once per container. */
export const store = {
  entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }),
  mappings,
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable }),
  monitor: new DynamoDbLowBalanceMonitor({ client: dynamodb, tableName: config.liquidityTable }),
  audit: new DynamoDbAuditLog({ client: dynamodb, tableName: config.auditTable }),
  // Reconciliation reads the transactions and the archive; nothing else here does.
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  archive: new S3Archive({ client: s3Client(config, tracer), bucket: config.archiveBucket }),
  deadLetters: new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable }),
  notifier: new SnsNotifier({ client: snsClient(config, tracer), topicArn: config.notificationTopicArn }),
  // Connects on the first replay only.
  bus: createMessageBus(config, 'mxflow-admin'),
};

const verifier = verifierFor(config);

/** Whether this stage's admin API issues client secrets (one machine), or Cognito holds them (AWS). */
export const issuesClientSecrets = config.clientSecretIssuer === ClientSecretIssuer.platform;

/** The Lambda context once auth has run. */
export interface AdminContext extends Context {
  caller: Caller;
}

type Handler = (event: APIGatewayProxyEventV2, context: AdminContext) => Promise<APIGatewayProxyStructuredResultV2>;

/** The middy chain of every admin route: tracing, logging, problem+json errors, then auth with `payments/admin`. */
export function adminRoute(lambdaHandler: Handler) {
  return middy(lambdaHandler)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    // A route group on the private REST API sends payload 1.0 events: every handler reads 2.0.
    .use(restApiEvents())
    .use(errors({ logger, mappers: [adminProblems, platformProblems] }))
    .use(auth({ verifier, directory: mappings, requiredScope: ADMIN_SCOPE }));
}

/** The routes of one handler by their route key; an unknown one answers 404. */
export const routes = (table: Readonly<Record<string, Handler>>): Handler => routeTable(table, (routeKey) => new NotFoundError(`no admin route ${routeKey}`));

/** A JSON answer. */
export function json(body: unknown, statusCode = 200, headers: Readonly<Record<string, string>> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/** The request's JSON body. */
export const bodyOf = (event: APIGatewayProxyEventV2) => parseBody(event.body, event.isBase64Encoded);

/** The `If-Match` header of a request. */
export const ifMatchOf = (event: APIGatewayProxyEventV2): string | undefined => headerOf(event, 'if-match');

/**
 * A path parameter as sent: API Gateway hands it over decoded, a local
 * gateway may not, so an escaped one (a dead-letter id's `%3A`) is decoded once.
 */
export function pathParameter(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const value = event.pathParameters?.[name];
  if (value === undefined || !/%[0-9A-Fa-f]{2}/.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Records a change in the audit log, as made by the caller now. */
export function audited(context: AdminContext, entry: Omit<AuditEntry, 'actor' | 'timestamp'>, timestamp = new Date().toISOString()): Promise<AuditEntry> {
  return store.audit.record({ ...entry, actor: { clientId: context.caller.clientId, entityId: context.caller.entityId }, timestamp });
}
