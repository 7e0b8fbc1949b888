/** Kafka topic names: one place, so that producers and consumers cannot drift apart. */
export const Topic = {
  /** What the incoming service produces for the processor of `messageType` (`pacs.008`). */
  incoming: (messageType: string): string => `incoming.${messageType}`,
  /** What a processor produces for the outgoing service. */
  outgoing: (messageType: string): string => `outgoing.${messageType}`,
  /** Where a consumer's event source mapping puts what it gave up on (`pacs008`, `outgoing`). */
  deadLetter: (consumer: string): string => `dlq.${consumer}`,
} as const;

/** Names of the headers every record carries. */
export const RecordHeader = {
  transactionId: 'transaction-id',
  requestId: 'request-id',
  messageType: 'message-type',
} as const;
