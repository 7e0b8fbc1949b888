import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { auth, errors, restApiEvents, routeTable, type Caller } from '@mxflow/middleware';
import { dynamoDbClient, observability, platformProblems, s3Client, verifierFor } from '@mxflow/runtime';
import { DynamoDbEntityDirectory, DynamoDbLedger, DynamoDbMappingDirectory, DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readConfig } from '../config';
import { NotFoundError } from '../domain/errors';

/** Scope every route of the Status API needs. */
export const READ_SCOPE = 'payments/read';

const config = readConfig();
const { logger, tracer } = await observability('status');
const dynamodb = dynamoDbClient(config, tracer);
/** The one S3 client of a container: the archive, and the operator's schemas. */
export const s3 = s3Client(config, tracer);

/** The adapters the Status API reads through, made once per container. */
export const store = {
  log: new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable }),
  archive: new S3Archive({ client: s3, bucket: config.archiveBucket }),
  entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }),
  ledger: new DynamoDbLedger({ client: dynamodb, tableName: config.liquidityTable }),
};

const directory = new DynamoDbMappingDirectory({ client: dynamodb, tableName: config.mappingTable });
const verifier = verifierFor(config);

/** The Lambda context once auth has run. */
export interface ReadContext extends Context {
  caller: Caller;
}

type Handler = (event: APIGatewayProxyEventV2, context: ReadContext) => Promise<APIGatewayProxyStructuredResultV2>;

/** The middy chain of every Status API route: tracing, logging, problem+json errors, then auth with `payments/read`. */
export function readRoute(lambdaHandler: Handler) {
  return middy(lambdaHandler)
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger))
    // A route group on the private REST API sends payload 1.0 events: every handler reads 2.0.
    .use(restApiEvents())
    .use(errors({ logger, mappers: [platformProblems] }))
    .use(auth({ verifier, directory, requiredScope: READ_SCOPE }));
}

/** The routes of one handler by their route key; an unknown one answers 404. */
export const routes = (table: Readonly<Record<string, Handler>>): Handler => routeTable(table, (routeKey) => new NotFoundError(`no status route ${routeKey}`));

/** A JSON answer. */
export function json(body: unknown, statusCode = 200): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}
