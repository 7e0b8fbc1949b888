export * from './errors';
export { readInfrastructure } from './infra';
export type {
  BucketDefinition,
  Infrastructure,
  KafkaTopicDefinition,
  NotificationTopicDefinition,
  OAuthDefinition,
  PolicyDocument,
  TableDefinition,
} from './infra';
