import { RecordShapeError } from './errors';
import { Status } from './status';
import { fitText } from './text';
import { RecordHeader, Topic } from './topics';

/** A message in its JSON form (`{ FIToFICstmrCdtTrf: { … } }`). */
export type DocumentJson = Record<string, unknown>;

/** What the incoming service hands to the processor of the message's type, on `incoming.<msgType>`. */
export interface IncomingRecordValue {
  /** `pacs.008.001.08` */
  readonly messageId: string;
  /** `pacs.008` */
  readonly messageType: string;
  readonly transactionId: string;
  readonly requestId: string;
  /** Entity of the participant that submitted the message. */
  readonly senderEntity: string;
  /** Archive key of the message as received. */
  readonly archiveKey?: string;
  readonly document: DocumentJson;
  readonly appHdr?: DocumentJson;
  /** The transaction this one was made from (a pacs.008 from one transfer of a pain.001). */
  readonly parentTransactionId?: string;
  /**
   * When the transaction times out unless final, ISO 8601 UTC, as incoming
   * recorded it: a processor refuses to decide after it without reading the
   * transaction first (its conditional write checks it again).
   */
  readonly deadline?: string;
}

/** What a processor hands to the outgoing service, on `outgoing.<msgType>`: a message for one participant. */
export interface OutgoingRecordValue {
  /** `pacs.002.001.10` */
  readonly messageId: string;
  /** `pacs.002` */
  readonly messageType: string;
  /** The transaction the message belongs to. */
  readonly transactionId: string;
  readonly requestId: string;
  /** Entity of the participant the message is addressed to. */
  readonly receiverEntity: string;
  /** Status of the transaction this message reports or carries (ACSC, RJCT …). */
  readonly status: string;
  readonly reasonCode?: string;
  readonly document: DocumentJson;
  /**
   * What the message is called in the archive key and the outgoing step, when
   * a transaction sends more than one of its type (`pain.002.ack`); the type otherwise.
   */
  readonly name?: string;
  /** The transaction the one of this message was made from (the pain.001 of a pacs.008). */
  readonly parentTransactionId?: string;
  /**
   * On the pacs.002 of a settlement that moved money (a pacs.008 or a
   * pacs.004): the parties of its postings that may want a camt.054 of them.
   * The settlement of a pacs.008 names those that had asked for it; a pacs.004
   * names both parties. The camt.054 step is invoked only for answers that
   * name someone (filter criteria on this field), and notifies those of them
   * that still ask for it.
   */
  readonly postingNotices?: readonly string[];
}

/** The notification type a participant switches on to hear of each posting on its settlement accounts. */
export const POSTING_NOTIFICATION = 'camt.054';

/** Whether a participant asked for a camt.054 of each of its postings. */
export const notifiesPostings = (entity: { readonly notifications?: readonly string[] }): boolean => (entity.notifications ?? []).includes(POSTING_NOTIFICATION);

/** A record ready for the producer. */
export interface EncodedRecord {
  readonly topic: string;
  readonly message: { readonly key: string; readonly value: string; readonly headers: Record<string, string> };
}

function headersOf(value: { transactionId: string; requestId: string; messageType: string }): Record<string, string> {
  return {
    [RecordHeader.transactionId]: value.transactionId,
    [RecordHeader.requestId]: value.requestId,
    [RecordHeader.messageType]: value.messageType,
  };
}

/** The record of an accepted message: keyed by the sender, so one participant's messages keep their order. */
export function encodeIncoming(value: IncomingRecordValue): EncodedRecord {
  return {
    topic: Topic.incoming(value.messageType),
    message: { key: value.senderEntity, value: JSON.stringify(value), headers: headersOf(value) },
  };
}

/** The record of a message for a participant: keyed by the receiver. */
export function encodeOutgoing(value: OutgoingRecordValue): EncodedRecord {
  return {
    topic: Topic.outgoing(value.messageType),
    message: { key: value.receiverEntity, value: JSON.stringify(value), headers: headersOf(value) },
  };
}

type Shape = Record<string, 'string' | 'object' | 'string?' | 'object?' | 'array?'>;

function decode<T>(topic: string, raw: Uint8Array | string, shape: Shape): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch (cause) {
    throw new RecordShapeError(topic, '$', 'the value is not JSON', { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordShapeError(topic, '$', 'the value is not an object');
  const record = value as Record<string, unknown>;
  for (const [field, kind] of Object.entries(shape)) {
    const optional = kind.endsWith('?');
    const wanted = optional ? kind.slice(0, -1) : kind;
    const present = record[field];
    if (present === undefined && optional) continue;
    const actual = present === null ? 'null' : Array.isArray(present) ? 'array' : typeof present;
    if (actual !== wanted || (wanted === 'string' && present === '')) {
      throw new RecordShapeError(topic, `$.${field}`, `expected a${wanted === 'object' ? 'n object' : wanted === 'array' ? 'n array' : ' non-empty string'}, got ${actual}`);
    }
  }
  return value as T;
}

const incomingShape: Shape = {
  messageId: 'string',
  messageType: 'string',
  transactionId: 'string',
  requestId: 'string',
  senderEntity: 'string',
  archiveKey: 'string?',
  document: 'object',
  appHdr: 'object?',
  parentTransactionId: 'string?',
  deadline: 'string?',
};

const outgoingShape: Shape = {
  messageId: 'string',
  messageType: 'string',
  transactionId: 'string',
  requestId: 'string',
  receiverEntity: 'string',
  status: 'string',
  reasonCode: 'string?',
  document: 'object',
  name: 'string?',
  parentTransactionId: 'string?',
  postingNotices: 'array?',
};

/** Reads an `incoming.<msgType>` record value. @throws RecordShapeError naming the field. */
export function decodeIncoming(topic: string, raw: Uint8Array | string): IncomingRecordValue {
  return decode<IncomingRecordValue>(topic, raw, incomingShape);
}

/** Reads an `outgoing.<msgType>` record value. @throws RecordShapeError naming the field. */
export function decodeOutgoing(topic: string, raw: Uint8Array | string): OutgoingRecordValue {
  return decode<OutgoingRecordValue>(topic, raw, outgoingShape);
}

/** Where a step publishes records; the runtime's Kafka message bus implements it. */
export interface RecordPublisher {
  /** Resolves once every record is acknowledged. */
  publish(records: readonly EncodedRecord[]): Promise<void>;
}

/**
 * The MsgId of the response to a transaction's message: derived from the
 * transaction id, so that a redelivery builds the same response, and at most
 * the 35 characters ISO 20022 allows.
 */
export function responseMsgId(transactionId: string): string {
  return `R${transactionId.replaceAll('-', '')}`;
}

/**
 * A record its consumer gave up on, as it goes to `<topic>.dlq` and to the
 * dead-letter table: the record as it was, and why.
 */
export interface DeadLetterValue {
  /** `<topic>:<partition>:<offset>`: unique, so a second give-up on the same record writes nothing new. */
  readonly id: string;
  /** The consumer (service) that gave up. */
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key?: string;
  /** The record's value as it was consumed (UTF-8). */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly error: { readonly name: string; readonly message: string };
  /** How many times processing failed. */
  readonly attempts: number;
  /** ISO 8601 UTC with milliseconds. */
  readonly failedAt: string;
  /** The transaction of the record, when its headers name one. */
  readonly transactionId?: string;
}

/** The id of a dead letter: where its record was. */
export function deadLetterId(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

/** The record that puts a dead letter on its topic's `.dlq`, keyed like the original. */
export function encodeDeadLetter(value: DeadLetterValue): EncodedRecord {
  return {
    topic: Topic.deadLetter(value.topic),
    message: {
      key: value.key ?? value.id,
      value: JSON.stringify(value),
      headers: { ...value.headers, [RecordHeader.error]: `${value.error.name}: ${value.error.message}`.slice(0, 1000) },
    },
  };
}

/** The record that re-drives a dead letter onto its original topic, once. */
export function encodeReplay(value: DeadLetterValue): EncodedRecord {
  return {
    topic: value.topic,
    message: { key: value.key ?? value.id, value: value.value, headers: { ...value.headers, [RecordHeader.replayOf]: value.id } },
  };
}

/** How a processor decided about a message: its status, reason and words, and when. */
export interface Decided<S extends string = string> {
  readonly status: S;
  readonly reasonCode?: string;
  /** Words that go with the reason (a report's AddtlInf; cut at a word within 105 characters). */
  readonly detail?: string;
  /** When it was decided: the report's creation time, so a redelivery builds the same bytes. */
  readonly at: string;
}

/** What a report builder of `@mxflow/iso20022` takes: the decision and the envelope. */
export type ReportBuilder<S extends string> = (
  decision: { readonly status: S; readonly reason?: string; readonly additionalInfo?: string },
  envelope: { readonly msgId: string; readonly creationDateTime: string; readonly originalMessageId: string },
) => { readonly messageId: string; readonly document: DocumentJson };

/**
 * The records that end a message's processing: the report `build` makes of
 * the decision, to the message's sender (carrying the parent, so that a
 * pain.001 hears of its transfers) and, once it settled (ACSC), naming
 * `postingNotices` and sending the message itself on to `forwardTo`. Built
 * only from the record and the decision, so a redelivery builds the same
 * messages.
 */
export function answerRecords<S extends string>(
  value: IncomingRecordValue,
  decided: Decided<S>,
  build: ReportBuilder<S>,
  forwardTo?: string,
  postingNotices: readonly string[] = [],
): EncodedRecord[] {
  const settled = decided.status === Status.ACSC;
  const report = build(
    {
      status: decided.status,
      ...(decided.reasonCode ? { reason: decided.reasonCode } : {}),
      ...(decided.detail ? { additionalInfo: fitText(decided.detail) } : {}),
    },
    { msgId: responseMsgId(value.transactionId), creationDateTime: decided.at, originalMessageId: value.messageId },
  );
  const records = [
    encodeOutgoing({
      messageId: report.messageId,
      messageType: report.messageId.slice(0, 8),
      transactionId: value.transactionId,
      requestId: value.requestId,
      receiverEntity: value.senderEntity,
      status: decided.status,
      ...(decided.reasonCode ? { reasonCode: decided.reasonCode } : {}),
      document: report.document,
      ...(value.parentTransactionId ? { parentTransactionId: value.parentTransactionId } : {}),
      ...(settled && postingNotices.length ? { postingNotices: [...new Set(postingNotices)] } : {}),
    }),
  ];
  if (settled && forwardTo) {
    records.push(
      encodeOutgoing({
        messageId: value.messageId,
        messageType: value.messageType,
        transactionId: value.transactionId,
        requestId: value.requestId,
        receiverEntity: forwardTo,
        status: decided.status,
        document: value.document,
      }),
    );
  }
  return records;
}
