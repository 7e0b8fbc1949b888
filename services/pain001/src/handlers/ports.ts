import { createMessageBus, dynamoDbClient, observability, readSchemasConfig, s3Client, useOperatorSchemas } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import { readConfig } from '../config';
import type { InitiationPorts } from '../domain/initiation';
import type { ReportPorts } from '../domain/report';

/** What both functions of the service use, made once per cold start. */
export const config = readConfig();
export const telemetry = await observability('pain001');
// The operator's schemas (a folder in the bundle, or an S3 prefix), read once: a broken file stops the cold start, naming it.
await useOperatorSchemas(readSchemasConfig(), () => s3Client(config, telemetry.tracer));
const dynamodb = dynamoDbClient(config, telemetry.tracer);
const log = new DynamoDbTransactionLog({ client: dynamodb, tableName: config.transactionTable });
const archive = new S3Archive({ client: s3Client(config, telemetry.tracer), bucket: config.archiveBucket });
const bus = createMessageBus(config, 'mxflow-pain001');

export const ports: InitiationPorts & ReportPorts = {
  log,
  archive,
  entities: new DynamoDbEntityDirectory({ client: dynamodb, tableName: config.entityTable }),
  bus,
  now: () => new Date(),
  slaRules: config.slaRules,
};

export const deadLetterStore = new DynamoDbDeadLetterStore({ client: dynamodb, tableName: config.deadLetterTable });
