import { crashAfterWrites, faultsFor } from './faults';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { AwsConfig } from './env';

/** A DynamoDB client for the configured region, or the local endpoint; traced when a tracer is given. */
export function dynamoDbClient(config: AwsConfig, tracer?: Tracer): DynamoDBClient {
  // The local stage's injected crashes after writes, if any (faults.ts); nothing elsewhere.
  const client = crashAfterWrites(new DynamoDBClient({ region: config.region, ...(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {}) }), faultsFor('*'));
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** An S3 client (path-style against a local endpoint); traced when a tracer is given. */
export function s3Client(config: AwsConfig, tracer?: Tracer): S3Client {
  const client = new S3Client({ region: config.region, ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {}) });
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** An SNS client; traced when a tracer is given. */
export function snsClient(config: AwsConfig, tracer?: Tracer): SNSClient {
  const client = new SNSClient({ region: config.region, ...(config.snsEndpoint ? { endpoint: config.snsEndpoint } : {}) });
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
