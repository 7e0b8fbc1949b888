import type { ConsumedRecord } from '@mxflow/store';

/** The `eventSource` values Lambda sets for Kafka event source mappings. */
export const EventSource = {
  MSK: 'aws:kafka',
  SELF_MANAGED: 'SelfManagedKafka',
} as const;
/** One of {@link EventSource}. */
export type EventSourceName = (typeof EventSource)[keyof typeof EventSource];

/** One record as Lambda shows it: key and value in base64, headers as byte arrays. */
export interface MskEventRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME';
  key?: string;
  value: string;
  headers: Record<string, number[]>[];
}

/** The event a Lambda function receives from an MSK or self-managed Kafka event source. */
export interface MskEvent {
  eventSource: EventSourceName;
  /** Present for MSK only. */
  eventSourceArn?: string;
  bootstrapServers: string;
  records: Record<string, MskEventRecord[]>;
}

/** Where the records come from, as the event describes it. */
export interface EventOrigin {
  eventSource: EventSourceName;
  eventSourceArn?: string;
  bootstrapServers: readonly string[];
}

/** Shapes one record the way Lambda does. A null key is left out; a null value becomes an empty string. */
export function toEventRecord(record: ConsumedRecord): MskEventRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    timestampType: 'CREATE_TIME',
    ...(record.key === null ? {} : { key: record.key.toString('base64') }),
    value: (record.value ?? Buffer.alloc(0)).toString('base64'),
    headers: record.headers.map((h) => ({ [h.key]: [...h.value] })),
  };
}

/** Builds the Lambda event for records, grouped under `"<topic>-<partition>"` in offset order. */
export function toMskEvent(origin: EventOrigin, records: readonly ConsumedRecord[]): MskEvent {
  const grouped: Record<string, MskEventRecord[]> = {};
  for (const record of records) {
    const key = `${record.topic}-${record.partition}`;
    (grouped[key] ??= []).push(toEventRecord(record));
  }
  return {
    eventSource: origin.eventSource,
    ...(origin.eventSource === EventSource.MSK && origin.eventSourceArn !== undefined
      ? { eventSourceArn: origin.eventSourceArn }
      : {}),
    bootstrapServers: origin.bootstrapServers.join(','),
    records: grouped,
  };
}
