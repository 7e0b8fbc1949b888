import { randomUUID } from 'node:crypto';
import type { Logger } from './logger';

/** Group error codes from the Kafka protocol. */
export const GroupError = {
  NONE: 0,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  MEMBER_ID_REQUIRED: 79,
} as const;

/** What a JoinGroup request carries. */
export interface JoinRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  clientId: string;
  clientHost: string;
  /** v4+ clients must first be handed a member id and come back with it. */
  requireKnownMemberId: boolean;
}

/** The answer to a JoinGroup. */
export interface JoinResponse {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  lastSeen: number;
  pendingJoin: ((r: JoinResponse) => void) | null;
  pendingSync: ((r: { errorCode: number; assignment: Buffer }) => void) | null;
}

const State = {
  EMPTY: 'Empty',
  PREPARING_REBALANCE: 'PreparingRebalance',
  COMPLETING_REBALANCE: 'CompletingRebalance',
  STABLE: 'Stable',
} as const;
type GroupState = (typeof State)[keyof typeof State];

interface Group {
  id: string;
  state: GroupState;
  generationId: number;
  protocolType: string | null;
  protocolName: string;
  leaderId: string;
  members: Map<string, Member>;
  /** Member ids handed out with MEMBER_ID_REQUIRED and not joined yet. */
  pendingMemberIds: Map<string, number>;
  rebalanceDeadline: number;
  /** A rebalance of an empty group waits this long for more members to arrive. */
  initialDelayUntil: number;
}

/** Settings of the group coordinator. */
export interface CoordinatorOptions {
  /** How long the first rebalance of an empty group waits for more members (Kafka's group.initial.rebalance.delay.ms). */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

/**
 * The classic consumer-group protocol: members join, the leader's assignment is relayed in
 * SyncGroup, heartbeats keep members alive, and a join, leave or expiry starts a rebalance.
 * Member metadata and assignments are opaque bytes to the broker.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: CoordinatorOptions,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.tick(Date.now()), 100);
    this.timer.unref();
  }

  private group(id: string): Group {
    let g = this.groups.get(id);
    if (g === undefined) {
      g = {
        id,
        state: State.EMPTY,
        generationId: 0,
        protocolType: null,
        protocolName: '',
        leaderId: '',
        members: new Map(),
        pendingMemberIds: new Map(),
        rebalanceDeadline: 0,
        initialDelayUntil: 0,
      };
      this.groups.set(id, g);
    }
    return g;
  }

  /** Current generation and membership, for offset-commit checks. */
  describe(groupId: string): { state: string; generationId: number; members: string[] } | undefined {
    const g = this.groups.get(groupId);
    return g && { state: g.state, generationId: g.generationId, members: [...g.members.keys()] };
  }

  join(req: JoinRequest): Promise<JoinResponse> {
    const fail = (errorCode: number, memberId = req.memberId): Promise<JoinResponse> =>
      Promise.resolve({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (req.sessionTimeoutMs < this.options.minSessionTimeoutMs || req.sessionTimeoutMs > this.options.maxSessionTimeoutMs) {
      return fail(GroupError.INVALID_SESSION_TIMEOUT);
    }
    const g = this.group(req.groupId);
    if (req.protocols.length === 0 || (g.protocolType !== null && g.members.size > 0 && g.protocolType !== req.protocolType)) {
      return fail(GroupError.INCONSISTENT_GROUP_PROTOCOL);
    }
    let memberId = req.memberId;
    const now = Date.now();
    if (memberId === '') {
      memberId = `${req.clientId}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        g.pendingMemberIds.set(memberId, now + req.sessionTimeoutMs);
        return fail(GroupError.MEMBER_ID_REQUIRED, memberId);
      }
    } else if (!g.members.has(memberId) && !g.pendingMemberIds.has(memberId)) {
      return fail(GroupError.UNKNOWN_MEMBER_ID);
    }
    g.pendingMemberIds.delete(memberId);
    let m = g.members.get(memberId);
    const isNew = m === undefined;
    if (m === undefined) {
      m = {
        memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocols: req.protocols,
        assignment: Buffer.alloc(0),
        lastSeen: now,
        pendingJoin: null,
        pendingSync: null,
      };
      g.members.set(memberId, m);
      if (g.members.size === 1) g.protocolType = req.protocolType;
      this.log.debug(`group ${g.id}: member ${memberId} joins (${req.protocols.map((p) => p.name).join(',')})`);
    }
    m.protocols = req.protocols;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    m.lastSeen = now;
    m.pendingJoin?.(joinError(GroupError.UNKNOWN_MEMBER_ID, memberId));
    const response = new Promise<JoinResponse>((resolve) => {
      m.pendingJoin = resolve;
    });
    // Every join starts a rebalance: clients only rejoin when they were told to, or with new subscriptions.
    if (g.state !== State.PREPARING_REBALANCE) this.prepareRebalance(g, now, isNew ? 'member joined' : 'member rejoined');
    this.maybeCompleteJoin(g, now);
    return response;
  }

  private prepareRebalance(g: Group, now: number, reason: string): void {
    if (g.state === State.COMPLETING_REBALANCE) {
      for (const m of g.members.values()) {
        m.pendingSync?.({ errorCode: GroupError.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
        m.pendingSync = null;
      }
    }
    if (g.state === State.EMPTY) g.initialDelayUntil = now + this.options.initialRebalanceDelayMs;
    g.state = State.PREPARING_REBALANCE;
    const timeout = Math.max(0, ...[...g.members.values()].map((m) => m.rebalanceTimeoutMs));
    g.rebalanceDeadline = now + timeout;
    this.log.debug(`group ${g.id}: rebalance (${reason}), generation ${g.generationId}`);
  }

  private maybeCompleteJoin(g: Group, now: number): void {
    if (g.state !== State.PREPARING_REBALANCE) return;
    const waiting = [...g.members.values()].filter((m) => m.pendingJoin === null);
    if (now < g.initialDelayUntil) return;
    if (waiting.length > 0) {
      if (now < g.rebalanceDeadline) return;
      // Members that did not rejoin within the rebalance timeout are out.
      for (const m of waiting) this.removeMember(g, m, 'did not rejoin in time');
    }
    if (g.members.size === 0) {
      g.state = State.EMPTY;
      g.generationId++;
      return;
    }
    const members = [...g.members.values()];
    if (!g.members.has(g.leaderId)) g.leaderId = members[0].memberId;
    const leader = g.members.get(g.leaderId)!;
    const protocol = leader.protocols.find((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)));
    g.generationId++;
    g.protocolName = protocol?.name ?? '';
    g.state = State.COMPLETING_REBALANCE;
    this.log.debug(`group ${g.id}: generation ${g.generationId} with ${members.length} member(s), leader ${g.leaderId}, protocol ${g.protocolName}`);
    for (const m of members) {
      const resolve = m.pendingJoin!;
      m.pendingJoin = null;
      m.lastSeen = now;
      if (protocol === undefined) {
        resolve(joinError(GroupError.INCONSISTENT_GROUP_PROTOCOL, m.memberId));
        continue;
      }
      resolve({
        errorCode: 0,
        generationId: g.generationId,
        protocolName: protocol.name,
        leader: g.leaderId,
        memberId: m.memberId,
        members:
          m.memberId === g.leaderId
            ? members.map((x) => ({
                memberId: x.memberId,
                groupInstanceId: x.groupInstanceId,
                metadata: x.protocols.find((p) => p.name === protocol.name)!.metadata,
              }))
            : [],
      });
    }
  }

  private removeMember(g: Group, m: Member, reason: string): void {
    g.members.delete(m.memberId);
    m.pendingJoin?.(joinError(GroupError.UNKNOWN_MEMBER_ID, m.memberId));
    m.pendingSync?.({ errorCode: GroupError.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    m.pendingJoin = null;
    m.pendingSync = null;
    this.log.debug(`group ${g.id}: member ${m.memberId} leaves (${reason})`);
  }

  private check(g: Group | undefined, memberId: string, generationId: number): number {
    if (g === undefined || !g.members.has(memberId)) return GroupError.UNKNOWN_MEMBER_ID;
    if (generationId !== g.generationId) return GroupError.ILLEGAL_GENERATION;
    return GroupError.NONE;
  }

  sync(
    groupId: string,
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[],
  ): Promise<{ errorCode: number; assignment: Buffer }> {
    const g = this.groups.get(groupId);
    const error = this.check(g, memberId, generationId);
    if (error !== GroupError.NONE) return Promise.resolve({ errorCode: error, assignment: Buffer.alloc(0) });
    const m = g!.members.get(memberId)!;
    m.lastSeen = Date.now();
    if (g!.state === State.PREPARING_REBALANCE) {
      return Promise.resolve({ errorCode: GroupError.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    }
    if (g!.state === State.STABLE) return Promise.resolve({ errorCode: 0, assignment: m.assignment });
    const response = new Promise<{ errorCode: number; assignment: Buffer }>((resolve) => {
      m.pendingSync = resolve;
    });
    if (memberId === g!.leaderId) {
      for (const x of g!.members.values()) {
        x.assignment = assignments.find((a) => a.memberId === x.memberId)?.assignment ?? Buffer.alloc(0);
      }
      g!.state = State.STABLE;
      this.log.debug(`group ${groupId}: generation ${g!.generationId} stable`);
      for (const x of g!.members.values()) {
        x.pendingSync?.({ errorCode: 0, assignment: x.assignment });
        x.pendingSync = null;
      }
    }
    return response;
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    const g = this.groups.get(groupId);
    const error = this.check(g, memberId, generationId);
    if (error !== GroupError.NONE) return error;
    g!.members.get(memberId)!.lastSeen = Date.now();
    return g!.state === State.PREPARING_REBALANCE ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
  }

  leave(groupId: string, memberId: string): number {
    const g = this.groups.get(groupId);
    const m = g?.members.get(memberId);
    if (g === undefined || m === undefined) return GroupError.UNKNOWN_MEMBER_ID;
    this.removeMember(g, m, 'left');
    this.afterDeparture(g, Date.now());
    return GroupError.NONE;
  }

  /** Validates an offset commit against the group's generation. */
  checkCommit(groupId: string, memberId: string, generationId: number): number {
    if (generationId < 0 && memberId === '') return GroupError.NONE;
    const g = this.groups.get(groupId);
    const error = this.check(g, memberId, generationId);
    if (error !== GroupError.NONE) return error;
    g!.members.get(memberId)!.lastSeen = Date.now();
    return g!.state === State.COMPLETING_REBALANCE ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
  }

  private afterDeparture(g: Group, now: number): void {
    if (g.members.size === 0 && g.state !== State.PREPARING_REBALANCE) {
      g.state = State.EMPTY;
      g.generationId++;
      this.log.debug(`group ${g.id}: empty`);
      return;
    }
    if (g.state !== State.PREPARING_REBALANCE) this.prepareRebalance(g, now, 'member left');
    this.maybeCompleteJoin(g, now);
  }

  /** Expires silent members and finishes rebalances whose wait is over. */
  tick(now: number): void {
    for (const g of this.groups.values()) {
      for (const [id, deadline] of g.pendingMemberIds) if (deadline < now) g.pendingMemberIds.delete(id);
      let expired = false;
      for (const m of [...g.members.values()]) {
        // A member parked in JoinGroup is alive: its request is the proof.
        if (m.pendingJoin === null && m.lastSeen + m.sessionTimeoutMs < now) {
          this.removeMember(g, m, 'session timed out');
          expired = true;
        }
      }
      if (expired) this.afterDeparture(g, now);
      else this.maybeCompleteJoin(g, now);
    }
  }

  /** Ends every parked request; used on shutdown. */
  close(): void {
    clearInterval(this.timer);
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) {
        m.pendingJoin?.(joinError(GroupError.REBALANCE_IN_PROGRESS, m.memberId));
        m.pendingSync?.({ errorCode: GroupError.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      }
    }
  }
}

function joinError(errorCode: number, memberId: string): JoinResponse {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}
