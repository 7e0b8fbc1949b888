import { NODE_ID, type ApiHandler } from './context';

/** FindCoordinator (10): this broker coordinates every group. */
export const findCoordinator: ApiHandler = (broker, req, r, w) => {
  r.string();
  if (req.apiVersion >= 1) {
    r.int8();
    w.int32(0).int16(0).nullableString(null);
  } else {
    w.int16(0);
  }
  w.int32(NODE_ID).string(broker.host).int32(broker.port);
};

/** JoinGroup (11): answered when the group's rebalance completes. */
export const joinGroup: ApiHandler = async (broker, req, r, w) => {
  const v = req.apiVersion;
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = v >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) }));
  const res = await broker.groups.join({
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType,
    protocols,
    clientId: req.clientId,
    clientHost: req.clientHost,
    requireKnownMemberId: v >= 4,
  });
  if (v >= 2) w.int32(0);
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId);
    if (v >= 5) w.nullableString(m.groupInstanceId);
    w.nullableBytes(m.metadata);
  });
};

/** SyncGroup (14): relays the leader's assignment to each member. */
export const syncGroup: ApiHandler = async (broker, req, r, w) => {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (req.apiVersion >= 3) r.nullableString();
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) }));
  const res = await broker.groups.sync(groupId, memberId, generationId, assignments);
  if (req.apiVersion >= 1) w.int32(0);
  w.int16(res.errorCode).nullableBytes(res.assignment);
};

/** Heartbeat (12): keeps a member's session alive and tells it of a rebalance. */
export const heartbeat: ApiHandler = (broker, req, r, w) => {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (req.apiVersion >= 3) r.nullableString();
  const errorCode = broker.groups.heartbeat(groupId, memberId, generationId);
  if (req.apiVersion >= 1) w.int32(0);
  w.int16(errorCode);
};

/** LeaveGroup (13): one member before v3, a list of members from v3. */
export const leaveGroup: ApiHandler = (broker, req, r, w) => {
  const groupId = r.string();
  if (req.apiVersion < 3) {
    const errorCode = broker.groups.leave(groupId, r.string());
    if (req.apiVersion >= 1) w.int32(0);
    w.int16(errorCode);
    return;
  }
  const members = r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }));
  const results = members.map((m) => ({ ...m, errorCode: broker.groups.leave(groupId, m.memberId) }));
  w.int32(0).int16(0);
  w.array(results, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
};
