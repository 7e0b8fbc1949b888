export { StoreError, KafkaStoreError, KafkaConfigError } from './errors';
export {
  StartFrom,
  type StartFromName,
  type KafkaSasl,
  type KafkaConnection,
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
