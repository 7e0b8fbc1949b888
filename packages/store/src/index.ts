export {
  StoreError,
  KafkaStoreError,
  KafkaConfigError,
  DynamoDbStoreError,
  S3StoreError,
  StepAlreadyRecordedError,
  ArchiveConflictError,
  InsufficientFundsError,
  LedgerAccountError,
  LedgerConflictError,
  TransactionFinalError,
  StoreRequestError,
  ReturnConflictError,
  DeadLetterNotFoundError,
  ItemNotFoundError,
  VersionConflictError,
  DeadlinePassedError,
  KeyClaimedError,
  EntityChangedError,
  RecordChangedError,
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
  type TopicReconciliation,
} from './kafka/port';
export { createKafkaProducer, createKafkaConsumer, ensureKafkaTopics, reconcileKafkaTopics } from './kafka/kafkajs';
export {
  ClientStatus,
  type ClientStatusName,
  type ClientMapping,
  type MappingDirectory,
  type MessageIds,
  type TransactionStep,
  type TransactionLog,
  type KeyClaim,
  type RecordRead,
  type RecordOptions,
  type ArchiveEntry,
  type ArchiveReceipt,
  type Archive,
  type TransactionParties,
  type TransactionSummary,
  type TransactionPage,
  type TransactionQuery,
  EntityStatus,
  type EntityStatusName,
  type Entity,
  type EntityDirectory,
  type LedgerAmount,
  type UsageMeter,
  type Balance,
  type Posting,
  type LedgerTransfer,
  type TransferReceipt,
  type TransferConditions,
  type Ledger,
  type TransactionReference,
  type ReturnOfOriginal,
  type DeadLetter,
  type DeadLetterPage,
  type DeadLetterStore,
  type Page,
  type PageQuery,
  type EntityChanges,
  type EntityRegistry,
  type MappingChanges,
  type MappingRegistry,
  type ClientSecretRecord,
  type MappingWithSecret,
  type AuditActor,
  type AuditEntry,
  type AuditQuery,
  type AuditLog,
  LowBalanceChange,
  type LowBalanceChangeName,
  type LowBalanceMonitor,
  type SweepWork,
} from './ports';
export { DynamoDbDeadLetterStore, type DynamoDbDeadLetterStoreOptions } from './dynamodb/dead-letters';
export { DynamoDbMappingDirectory, type DynamoDbMappingDirectoryOptions } from './dynamodb/mapping';
export { DynamoDbTransactionLog, createdKey, type DynamoDbTransactionLogOptions } from './dynamodb/transaction-log';
export { DynamoDbEntityDirectory, type DynamoDbEntityDirectoryOptions } from './dynamodb/entities';
export { DynamoDbLedger, type DynamoDbLedgerOptions } from './dynamodb/ledger';
export { S3Archive, type S3ArchiveOptions } from './s3/archive';
export { SnsNotifier, SnsStoreError, type Notifier, type SnsNotifierOptions } from './sns/notifier';
export { DynamoDbUsageMeter, type DynamoDbUsageMeterOptions } from './dynamodb/usage';
export { AmbiguousOriginalError, originalFor, type OriginalLookup } from './originals';
export { DynamoDbAuditLog, type DynamoDbAuditLogOptions } from './dynamodb/audit';
export { DynamoDbLowBalanceMonitor, type DynamoDbLowBalanceMonitorOptions } from './dynamodb/thresholds';
export { alertOnLowBalance, type LowBalancePorts } from './low-balance';
export { balanceView, postingView } from './views';
export { CachedEntityDirectory, CachedMappingDirectory, type CachedEntityDirectoryOptions } from './cached-entities';
