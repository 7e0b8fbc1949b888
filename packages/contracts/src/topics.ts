/** Kafka topic names: one place, so that producers and consumers cannot drift apart. */
export const Topic = {
  /** What the incoming service produces for the processor of `messageType` (`pacs.008`). */
  incoming: (messageType: string): string => `incoming.${messageType}`,
  /** What a processor produces for the outgoing service. */
  outgoing: (messageType: string): string => `outgoing.${messageType}`,
  /**
   * Where a record of `topic` goes once its consumer gave up on it
   * (`incoming.pacs.008.dlq`): each topic has one consumer, so this is also a
   * dead-letter topic per consumer.
   */
  deadLetter: (topic: string): string => `${topic}.dlq`,
} as const;

/** Names of the headers every record carries. */
export const RecordHeader = {
  transactionId: 'transaction-id',
  requestId: 'request-id',
  messageType: 'message-type',
  /** On a re-driven record: the id of the dead letter it came from. */
  replayOf: 'replay-of',
  /** On a dead-letter record: the error that made its consumer give up, `<name>: <message>`. */
  error: 'error',
} as const;

/**
 * The message types the platform takes in: each has a service consuming
 * `incoming.<type>`. A valid message of any other type is refused (415).
 */
export const INCOMING_MESSAGE_TYPES: readonly string[] = ['pacs.008', 'pacs.004', 'pacs.028', 'camt.056', 'pain.001', 'camt.060', 'pain.013', 'pain.014'];
