export { startLocalS3, type LocalS3Options, type LocalS3Server } from './server';
export { LocalS3Error, S3ApiError, StorageError, ConfigurationError } from './errors';
export { RetentionMode } from './store';
export { parseBucketPolicy, policyDenies, type BucketPolicy, type PolicyRequest } from './policy';
export { computeChecksum, decodeAwsChunked, ChecksumAlgorithm, type ChecksumName } from './checksums';
