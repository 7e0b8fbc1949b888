import { ApiKey } from './protocol';
import { createPartitions, createTopics } from './admin';
import { apiVersions } from './api-versions';
import type { ApiHandler } from './context';
import { fetch } from './fetch';
import { findCoordinator, heartbeat, joinGroup, leaveGroup, syncGroup } from './groups';
import { listOffsets } from './list-offsets';
import { metadata } from './metadata';
import { offsetCommit, offsetFetch } from './offsets';
import { initProducerId, produce } from './produce';

export { ApiKey, ErrorCode, SUPPORTED_VERSIONS, isSupported } from './protocol';
export { writeUnsupportedVersion } from './api-versions';
export { NO_RESPONSE, type ApiHandler, type BrokerContext, type RequestContext } from './context';

/** The handler of each API key the broker implements. */
export const API_HANDLERS: Readonly<Record<number, ApiHandler>> = {
  [ApiKey.PRODUCE]: produce,
  [ApiKey.FETCH]: fetch,
  [ApiKey.LIST_OFFSETS]: listOffsets,
  [ApiKey.METADATA]: metadata,
  [ApiKey.OFFSET_COMMIT]: offsetCommit,
  [ApiKey.OFFSET_FETCH]: offsetFetch,
  [ApiKey.FIND_COORDINATOR]: findCoordinator,
  [ApiKey.JOIN_GROUP]: joinGroup,
  [ApiKey.HEARTBEAT]: heartbeat,
  [ApiKey.LEAVE_GROUP]: leaveGroup,
  [ApiKey.SYNC_GROUP]: syncGroup,
  [ApiKey.API_VERSIONS]: apiVersions,
  [ApiKey.CREATE_TOPICS]: createTopics,
  [ApiKey.INIT_PRODUCER_ID]: initProducerId,
  [ApiKey.CREATE_PARTITIONS]: createPartitions,
};
