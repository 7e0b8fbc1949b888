import { createMessageBus, dynamoDbClient, observability, s3Client } from '@mxflow/runtime';
import { DynamoDbDeadLetterStore, DynamoDbEntityDirectory, DynamoDbTransactionLog, S3Archive } from '@mxflow/store';
import { readConfig } from '../config';
import type { InitiationPorts } from '../domain/initiation';
import type { ReportPorts } from '../domain/report';

/** What both functions of the service use, made once per cold start. */
export const config = readConfig();
export const telemetry = observability('pain001');
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
