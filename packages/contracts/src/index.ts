export { ContractError, RecordShapeError, BusinessRejectionError } from './errors';
export { Status, Reason, CancellationRejection, CancellationStatus, isFinalStatus } from './status';
export { Topic, RecordHeader, INCOMING_MESSAGE_TYPES } from './topics';
export {
  encodeIncoming,
  encodeOutgoing,
  decodeIncoming,
  decodeOutgoing,
  type DocumentJson,
  type EncodedRecord,
  type IncomingRecordValue,
  type OutgoingRecordValue,
  type RecordPublisher,
  responseMsgId,
  deadLetterId,
  encodeDeadLetter,
  encodeReplay,
  answerRecords,
  POSTING_NOTIFICATION,
  notifiesPostings,
  type Decided,
  type ReportBuilder,
  type DeadLetterValue,
} from './records';
export { notificationOf, NotificationAttribute, AlertKind, lowBalanceAlert, type Notification, type LowBalanceAlert } from './notification';
export { ArchiveDirection, archiveKey, statementKey } from './archive';
export { parseSlaRules, slaSeconds, deadlineOf, SlaRuleError, type SlaRule } from './sla';
export { reasonMeaning, reasonWords, type ReasonMeaning } from './reasons';
export { fitText, MAX_ADDITIONAL_INFO } from './text';
export { childTransactionId, childTransactionIds } from './children';
