export { RuntimeError, ConfigurationError } from './errors';
export {
  requireEnv,
  requireEnvs,
  readConsumerConfig,
  type ConsumerConfig,
  optionalEnv,
  oneOf,
  positiveIntEnv,
  readAwsConfig,
  readKafkaConfig,
  readAuthConfig,
  TokenFlavour,
  KafkaAuth,
  type AwsConfig,
  type KafkaConfig,
  type AuthConfig,
} from './env';
export { dynamoDbClient, s3Client, snsClient } from './aws';
export { createMessageBus, type MessageBus } from './kafka';
export { observability, tracingEnabled, type Observability } from './observability';
export { recordsOf, type KafkaEventRecord } from './msk';
export { platformProblems, unavailableProblem } from './problems';
export { verifierFor } from './auth';
export { deadLetters, type DeadLettersOptions } from './dead-letters';
export { consumerMiddlewares, type ConsumerOptions } from './consumer';
export { readSchemasConfig, useOperatorSchemas, type SchemasConfig } from './schemas';
export { FaultKind, FaultSpecError, crashAfterWrites, faultsFor, faultyPublisher, injectedFaults, parseFaults, type Fault } from './faults';
export { rejectionAnswer } from './rejection-answer';
