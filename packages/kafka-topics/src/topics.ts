import { reconcileKafkaTopics, type KafkaConnection, type TopicReconciliation, type TopicSpec } from '@mxflow/store';

/** One topic of the map: what `module "kafka_topics"` of `infra/platform/main.tf` declares for it. */
export interface TopicMapEntry {
  partitions: number;
  config?: Record<string, string>;
}

/**
 * What Terraform sends the function (the input of `aws_lambda_invocation` in
 * `infra/modules/kafka-topics`): the platform's topic map, which the local
 * cloud reads from the same HCL, and the replication factor.
 */
export interface TopicMapEvent {
  topics: Record<string, TopicMapEntry>;
  replicationFactor?: number;
}

/** The event is not a topic map. Terraform's apply fails with this message. */
export class TopicMapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TopicMapError';
  }
}

/** Checks the event and turns it into topic specs, sorted by name. */
export function topicSpecs(event: unknown): TopicSpec[] {
  const map = (event as Partial<TopicMapEvent> | null)?.topics;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new TopicMapError('the event has no topics map');
  const replicationFactor = (event as TopicMapEvent).replicationFactor;
  if (replicationFactor !== undefined && replicationFactor !== null && !(Number.isInteger(replicationFactor) && replicationFactor > 0)) {
    throw new TopicMapError(`replicationFactor ${String(replicationFactor)} is not a positive integer`);
  }
  return Object.entries(map)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, entry]) => {
      if (!(Number.isInteger(entry?.partitions) && entry.partitions > 0)) {
        throw new TopicMapError(`topic ${topic}: partitions ${String(entry?.partitions)} is not a positive integer`);
      }
      return {
        topic,
        numPartitions: entry.partitions,
        ...(replicationFactor ? { replicationFactor } : {}),
        config: entry.config ?? {},
      };
    });
}

/**
 * Creates the topics of the map that are missing and raises partition counts
 * below the map's; never deletes a topic or lowers a count. Returns the report,
 * which the handler also logs.
 */
export async function applyTopicMap(connection: KafkaConnection, event: unknown): Promise<TopicReconciliation> {
  return reconcileKafkaTopics(connection, topicSpecs(event));
}
