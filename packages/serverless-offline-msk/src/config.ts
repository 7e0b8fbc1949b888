import { StartFrom, type StartFromName } from '@mxflow/store';
import { EventSource, type EventSourceName } from './event';
import { MskConfigError } from './errors';
import { checkFilterPatterns, type FilterPattern } from './filter';

/** Name of the environment variable with the local bootstrap servers (comma separated). */
export const BROKERS_ENV = 'MXFLOW_KAFKA_BROKERS';
/** Key of the plugin's settings under `custom`. */
export const CUSTOM_KEY = 'serverless-offline-msk';

/** Per-function settings that Serverless `msk` events cannot express. */
export interface FunctionSettings {
  /** Retries after the first failed invocation; omitted means retry until it succeeds, as Lambda does. */
  maximumRetryAttempts?: number;
  /** Topic that receives the records of a batch that ran out of retries. */
  onFailureTopic?: string;
  /** First retry delay in ms, doubled each time. */
  retryBackoffMs?: number;
  /** Longest retry delay in ms. */
  maxRetryBackoffMs?: number;
}

/** `custom.serverless-offline-msk`. */
export interface PluginSettings extends FunctionSettings {
  /** Local bootstrap servers; otherwise {@link BROKERS_ENV}. */
  brokers?: string | string[];
  functions?: Record<string, FunctionSettings>;
}

/** Serverless v3 `msk` event, as written in serverless.yml. */
export interface MskEventConfig {
  arn: string | Record<string, unknown>;
  topic: string;
  batchSize?: number;
  maximumBatchingWindow?: number;
  enabled?: boolean;
  startingPosition?: 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number;
  consumerGroupId?: string;
  /** Lambda's filter criteria: records that match none are not handed to the function (see filter.ts). */
  filterPatterns?: unknown;
}

/** Serverless v3 `kafka` (self-managed) event, as written in serverless.yml. */
export interface KafkaEventConfig extends Omit<MskEventConfig, 'arn'> {
  bootstrapServers?: string[];
}

/** The part of a Serverless function definition the plugin reads. */
export interface FunctionDefinition {
  name?: string;
  events?: ({ msk?: MskEventConfig; kafka?: KafkaEventConfig } & Record<string, unknown>)[];
}

/** Everything needed to run one Kafka event source of one function. */
export interface SourceDefinition {
  functionKey: string;
  /** The deployed function name, which serverless-offline's invoke endpoint expects. */
  functionName: string;
  eventSource: EventSourceName;
  eventSourceArn?: string;
  topic: string;
  groupId: string;
  batchSize: number;
  windowMs: number;
  startFrom: StartFromName;
  startTimestamp?: number;
  maximumRetryAttempts?: number;
  onFailureTopic?: string;
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
  /** The event's filter criteria; absent, every record goes to the function. */
  filterPatterns?: FilterPattern[];
}

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_WINDOW_SECONDS = 0.5;
const DEFAULT_RETRY_BACKOFF_MS = 1000;
const DEFAULT_MAX_RETRY_BACKOFF_MS = 30_000;

/** The local bootstrap servers: plugin settings first, then the environment. */
export function resolveBrokers(settings: PluginSettings, env: NodeJS.ProcessEnv): string[] {
  const raw = settings.brokers ?? env[BROKERS_ENV];
  const list = (Array.isArray(raw) ? raw : (raw ?? '').split(','))
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (list.length === 0) {
    throw new MskConfigError(`Set custom.${CUSTOM_KEY}.brokers or the environment variable ${BROKERS_ENV}`);
  }
  return list;
}

function startFrom(functionKey: string, position: MskEventConfig['startingPosition']): StartFromName {
  switch (position ?? 'TRIM_HORIZON') {
    case 'TRIM_HORIZON':
      return StartFrom.EARLIEST;
    case 'LATEST':
      return StartFrom.LATEST;
    case 'AT_TIMESTAMP':
      return StartFrom.TIMESTAMP;
    default:
      throw new MskConfigError(`Function ${functionKey}: unknown startingPosition ${String(position)}`);
  }
}

function arnText(functionKey: string, arn: MskEventConfig['arn']): string {
  // An intrinsic function (Fn::ImportValue, Ref) cannot be resolved offline; show it as written.
  if (typeof arn === 'string') return arn;
  if (arn && typeof arn === 'object') return JSON.stringify(arn);
  throw new MskConfigError(`Function ${functionKey}: an msk event needs an arn`);
}

function positiveInteger(functionKey: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MskConfigError(`Function ${functionKey}: ${key} must be a whole number ≥ 0, not ${String(value)}`);
  }
  return value;
}

interface KafkaEventEntry {
  event: KafkaEventConfig;
  arn: MskEventConfig['arn'] | undefined;
  eventSource: EventSourceName;
}

/**
 * Reads every enabled `msk` and `kafka` event of the service. Disabled events
 * are returned in `disabled` so the caller can say so.
 */
export function readSources(
  serviceName: string,
  functions: Record<string, FunctionDefinition>,
  settings: PluginSettings,
): { sources: SourceDefinition[]; disabled: { functionKey: string; topic: string }[] } {
  const sources: SourceDefinition[] = [];
  const disabled: { functionKey: string; topic: string }[] = [];
  for (const [functionKey, definition] of Object.entries(functions)) {
    const kafkaEvents = (definition.events ?? []).flatMap((e): KafkaEventEntry[] =>
      e.msk
        ? [{ event: e.msk as KafkaEventConfig, arn: e.msk.arn, eventSource: EventSource.MSK }]
        : e.kafka
          ? [{ event: e.kafka, arn: undefined, eventSource: EventSource.SELF_MANAGED }]
          : [],
    );
    const fnSettings = { ...settings, ...settings.functions?.[functionKey] };
    for (const { event, arn, eventSource } of kafkaEvents) {
      if (typeof event.topic !== 'string' || event.topic.length === 0) {
        throw new MskConfigError(`Function ${functionKey}: a Kafka event needs a topic`);
      }
      if (event.enabled === false) {
        disabled.push({ functionKey, topic: event.topic });
        continue;
      }
      const position = startFrom(functionKey, event.startingPosition);
      if (position === StartFrom.TIMESTAMP && event.startingPositionTimestamp === undefined) {
        throw new MskConfigError(`Function ${functionKey}: AT_TIMESTAMP needs startingPositionTimestamp`);
      }
      // One consumer group per event: with several events, the topic keeps the defaults apart.
      const defaultGroup =
        kafkaEvents.length > 1 ? `${serviceName}-${functionKey}-${event.topic}` : `${serviceName}-${functionKey}`;
      const maximumRetryAttempts = positiveInteger(functionKey, 'maximumRetryAttempts', fnSettings.maximumRetryAttempts);
      const filterPatterns = checkFilterPatterns(functionKey, event.filterPatterns);
      sources.push({
        functionKey,
        functionName: definition.name ?? functionKey,
        eventSource,
        ...(arn === undefined ? {} : { eventSourceArn: arnText(functionKey, arn) }),
        topic: event.topic,
        groupId: event.consumerGroupId ?? defaultGroup,
        batchSize: positiveInteger(functionKey, 'batchSize', event.batchSize) || DEFAULT_BATCH_SIZE,
        windowMs: Math.round((event.maximumBatchingWindow ?? DEFAULT_WINDOW_SECONDS) * 1000),
        startFrom: position,
        ...(event.startingPositionTimestamp === undefined
          ? {}
          : { startTimestamp: Math.round(event.startingPositionTimestamp * 1000) }),
        ...(maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts }),
        ...(fnSettings.onFailureTopic ? { onFailureTopic: fnSettings.onFailureTopic } : {}),
        retryBackoffMs: positiveInteger(functionKey, 'retryBackoffMs', fnSettings.retryBackoffMs) ?? DEFAULT_RETRY_BACKOFF_MS,
        maxRetryBackoffMs:
          positiveInteger(functionKey, 'maxRetryBackoffMs', fnSettings.maxRetryBackoffMs) ?? DEFAULT_MAX_RETRY_BACKOFF_MS,
        ...(filterPatterns ? { filterPatterns } : {}),
      });
    }
  }
  const seen = new Map<string, SourceDefinition>();
  for (const source of sources) {
    const other = seen.get(source.groupId);
    // Members of one group with different subscriptions would take each other's partitions away.
    if (other) {
      throw new MskConfigError(
        `Functions ${other.functionKey} (${other.topic}) and ${source.functionKey} (${source.topic}) share consumer group ${source.groupId}; give each Kafka event its own consumerGroupId`,
      );
    }
    seen.set(source.groupId, source);
  }
  return { sources, disabled };
}
