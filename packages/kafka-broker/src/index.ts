export { startBroker, FsyncPolicy, type BrokerOptions, type RunningBroker, type FsyncPolicyName } from './broker';
export { ApiKey, ErrorCode, SUPPORTED_VERSIONS } from './apis';
export { crc32c } from './crc32c';
export { encodeRecordBatch, decodeRecords, type RecordInput, type DecodedRecord } from './records';
export { Reader, Writer } from './codec';
export { KafkaBrokerError, MalformedRequestError, StorageError, BrokerConfigError } from './errors';
export { createLogger, type Logger, type LogLevelName } from './logger';
