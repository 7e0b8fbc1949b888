import type { MSKEvent } from 'aws-lambda';

/** One record of an MSK event, decoded. */
export interface KafkaEventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch: when the record was produced. The same on every redelivery. */
  readonly timestamp: number;
  readonly key?: string;
  readonly value: Buffer;
  /** Header values as UTF-8 text; the last value wins when a name repeats. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Every record of an MSK (or self-managed Kafka) event, partition by
 * partition, in offset order. Lambda may put several partitions in one event.
 */
export function recordsOf(event: Pick<MSKEvent, 'records'>): KafkaEventRecord[] {
  const records: KafkaEventRecord[] = [];
  for (const batch of Object.values(event.records ?? {})) {
    for (const record of batch) {
      const headers: Record<string, string> = {};
      for (const header of record.headers ?? []) {
        for (const [name, bytes] of Object.entries(header)) headers[name] = Buffer.from(bytes).toString('utf8');
      }
      records.push({
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        ...(record.key ? { key: Buffer.from(record.key, 'base64').toString('utf8') } : {}),
        value: Buffer.from(record.value ?? '', 'base64'),
        headers,
      });
    }
  }
  return records;
}
