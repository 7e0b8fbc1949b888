/** API keys the broker implements. */
export const ApiKey = {
  PRODUCE: 0,
  FETCH: 1,
  LIST_OFFSETS: 2,
  METADATA: 3,
  OFFSET_COMMIT: 8,
  OFFSET_FETCH: 9,
  FIND_COORDINATOR: 10,
  JOIN_GROUP: 11,
  HEARTBEAT: 12,
  LEAVE_GROUP: 13,
  SYNC_GROUP: 14,
  API_VERSIONS: 18,
  CREATE_TOPICS: 19,
  INIT_PRODUCER_ID: 22,
  CREATE_PARTITIONS: 37,
} as const;

/** The versions advertised in ApiVersions, all in non-flexible encodings except ApiVersions v3's body. */
export const SUPPORTED_VERSIONS: readonly { apiKey: number; min: number; max: number }[] = [
  { apiKey: ApiKey.PRODUCE, min: 3, max: 7 },
  { apiKey: ApiKey.FETCH, min: 4, max: 11 },
  { apiKey: ApiKey.LIST_OFFSETS, min: 1, max: 3 },
  { apiKey: ApiKey.METADATA, min: 1, max: 6 },
  { apiKey: ApiKey.OFFSET_COMMIT, min: 2, max: 5 },
  { apiKey: ApiKey.OFFSET_FETCH, min: 1, max: 4 },
  { apiKey: ApiKey.FIND_COORDINATOR, min: 0, max: 2 },
  { apiKey: ApiKey.JOIN_GROUP, min: 0, max: 5 },
  { apiKey: ApiKey.HEARTBEAT, min: 0, max: 3 },
  { apiKey: ApiKey.LEAVE_GROUP, min: 0, max: 3 },
  { apiKey: ApiKey.SYNC_GROUP, min: 0, max: 3 },
  { apiKey: ApiKey.API_VERSIONS, min: 0, max: 3 },
  { apiKey: ApiKey.CREATE_TOPICS, min: 0, max: 4 },
  { apiKey: ApiKey.INIT_PRODUCER_ID, min: 0, max: 1 },
  { apiKey: ApiKey.CREATE_PARTITIONS, min: 0, max: 1 },
];

/** True when the broker implements `apiKey` at `version`. */
export function isSupported(apiKey: number, version: number): boolean {
  const range = SUPPORTED_VERSIONS.find((v) => v.apiKey === apiKey);
  return range !== undefined && version >= range.min && version <= range.max;
}

/** Kafka error codes the broker answers with. */
export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC_EXCEPTION: 17,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  KAFKA_STORAGE_ERROR: 56,
} as const;
