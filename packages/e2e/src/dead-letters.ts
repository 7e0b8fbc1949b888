import { randomUUID } from 'node:crypto';
import type { DeadLetter } from '@mxflow/store';

/**
 * A dead letter as the pain001 consumer would have kept it, for a record of
 * `incoming.pain.001` sent by `entityId`, with a fresh id. A test re-drives
 * it and reads the replay back from the topic in a consumer group of its own.
 */
export function probeDeadLetter(entityId: string): DeadLetter {
  const offset = String(Date.now());
  return {
    id: `incoming.pain.001:0:${offset}`,
    consumer: 'pain001',
    topic: 'incoming.pain.001',
    partition: 0,
    offset,
    key: entityId,
    value: JSON.stringify({ probe: offset }),
    headers: { 'transaction-id': randomUUID(), 'message-type': 'pain.001' },
    error: { name: 'DynamoDbStoreError', message: 'the table did not answer' },
    attempts: 3,
    failedAt: new Date().toISOString(),
  };
}
