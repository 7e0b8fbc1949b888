export { startLocalSns } from './server';
export type { DeliveryEvent, LocalSns, LocalSnsOptions } from './server';
export { DEFAULT_RETRY_POLICY, retryDelay } from './delivery';
export type { DeliveryTlsOptions, RetryPolicy } from './delivery';
export { FilterPolicyScope, matchesFilterPolicy, parseFilterPolicy } from './filter-policy';
export type { FilterPolicy, MessageAttribute } from './filter-policy';
export { createSelfSignedCertificate, signMessage, stringToSign, SnsMessageType } from './signing';
export type { KeyAndCertificate, SelfSignedCertificateOptions } from './signing';
export { SubscriptionProtocol } from './store';
export { renderEmail, rfc5322Date } from './email';
export {
  LocalSnsError,
  SnsApiError,
  InvalidParameterError,
  NotFoundError,
  InvalidActionError,
  FilterPolicyError,
  StateFileError,
  DeliveryError,
} from './errors';
export { SNS_XML_NAMESPACE } from './xml';
