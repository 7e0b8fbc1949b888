export {
  StoreError,
  KafkaStoreError,
  KafkaConfigError,
  DynamoDbStoreError,
  S3StoreError,
  StepAlreadyRecordedError,
  ArchiveConflictError,
} from './errors';
export {
  StartFrom,
  type StartFromName,
  type KafkaSasl,
  type KafkaConnection,
  type KafkaLogEntry,
  type OutgoingMessage,
  type KafkaProducer,
  type RecordHeader,
  type ConsumedRecord,
  type PartitionBatch,
  type BatchControl,
  type KafkaConsumerOptions,
  type KafkaConsumer,
  type TopicSpec,
} from './kafka/port';
export { createKafkaProducer, createKafkaConsumer, ensureKafkaTopics } from './kafka/kafkajs';
export {
  ClientStatus,
  type ClientStatusName,
  type ClientMapping,
  type MappingDirectory,
  type MessageIds,
  type TransactionStep,
  type TransactionLog,
  type ArchiveEntry,
  type ArchiveReceipt,
  type Archive,
} from './ports';
export { DynamoDbMappingDirectory, type DynamoDbMappingDirectoryOptions } from './dynamodb/mapping';
export { DynamoDbTransactionLog, type DynamoDbTransactionLogOptions } from './dynamodb/transaction-log';
export { S3Archive, type S3ArchiveOptions } from './s3/archive';
