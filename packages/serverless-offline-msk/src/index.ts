export { ServerlessOfflineMsk, type ServerlessLike } from './plugin';
export { toMskEvent, toEventRecord, EventSource, type MskEvent, type MskEventRecord, type EventOrigin, type EventSourceName } from './event';
export { decide, takeBatch, backoffMs, MAX_BATCH_RAW_BYTES, type BatchingOptions, type BatchDecision, type PartitionState } from './batching';
export {
  readSources,
  resolveBrokers,
  BROKERS_ENV,
  CUSTOM_KEY,
  type PluginSettings,
  type FunctionSettings,
  type SourceDefinition,
  type FunctionDefinition,
  type MskEventConfig,
  type KafkaEventConfig,
} from './config';
export { createLambdaEndpointInvoker, type Invoke } from './invoker';
export { startSource, FailureHeader, type PluginLog, type RunningSource, type SourceDependencies } from './source';
export { OfflineMskError, MskConfigError, InvocationError, EventSourceStartError } from './errors';
export { checkFilterPatterns, matchesFilters, type FilterPattern } from './filter';
