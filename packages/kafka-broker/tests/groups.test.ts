import { GroupCoordinator, GroupError, type JoinRequest } from '../src/groups';
import { quietLogger } from './helpers';

const join = (memberId: string, overrides: Partial<JoinRequest> = {}): JoinRequest => ({
  groupId: 'payments',
  sessionTimeoutMs: 6000,
  rebalanceTimeoutMs: 2000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from(memberId || 'new') }],
  clientId: 'client',
  clientHost: '127.0.0.1',
  requireKnownMemberId: true,
  ...overrides,
});

describe('GroupCoordinator', () => {
  let coordinator: GroupCoordinator;
  beforeEach(() => {
    coordinator = new GroupCoordinator({ initialRebalanceDelayMs: 0, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 300_000 }, quietLogger);
  });
  afterEach(() => coordinator.close());

  // Joins through the MEMBER_ID_REQUIRED round trip that v4+ clients make.
  const joinNew = async (overrides: Partial<JoinRequest> = {}) => {
    const first = await coordinator.join(join('', overrides));
    expect(first.errorCode).toBe(GroupError.MEMBER_ID_REQUIRED);
    return { memberId: first.memberId, response: coordinator.join(join(first.memberId, overrides)) };
  };

  it('hands out a member id first, then forms a generation led by the only member', async () => {
    const a = await joinNew();
    const res = await a.response;
    expect(res).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId, memberId: a.memberId, protocolName: 'RoundRobinAssigner' });
    expect(res.members.map((m) => m.memberId)).toEqual([a.memberId]);
    const sync = await coordinator.sync('payments', a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
    expect(sync).toEqual({ errorCode: 0, assignment: Buffer.from('all') });
    expect(coordinator.heartbeat('payments', a.memberId, 1)).toBe(GroupError.NONE);
  });

  it('refuses an unknown member id and a stale generation', async () => {
    const a = await joinNew();
    await a.response;
    expect((await coordinator.join(join('made-up'))).errorCode).toBe(GroupError.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat('payments', a.memberId, 0)).toBe(GroupError.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat('payments', 'made-up', 1)).toBe(GroupError.UNKNOWN_MEMBER_ID);
  });

  it('rebalances when a second member joins and relays the leader assignment to both', async () => {
    const a = await joinNew();
    await a.response;
    await coordinator.sync('payments', a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('0,1,2,3') }]);
    const b = await joinNew();
    expect(coordinator.heartbeat('payments', a.memberId, 1)).toBe(GroupError.REBALANCE_IN_PROGRESS);
    const [ra, rb] = await Promise.all([coordinator.join(join(a.memberId)), b.response]);
    expect([ra.generationId, rb.generationId]).toEqual([2, 2]);
    expect(ra.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    expect(rb.members).toEqual([]);
    const followerSync = coordinator.sync('payments', b.memberId, 2, []);
    const leaderSync = coordinator.sync('payments', a.memberId, 2, [
      { memberId: a.memberId, assignment: Buffer.from('0,1') },
      { memberId: b.memberId, assignment: Buffer.from('2,3') },
    ]);
    expect((await leaderSync).assignment.toString()).toBe('0,1');
    expect((await followerSync).assignment.toString()).toBe('2,3');
  });

  it('removes a member whose session times out and rebalances the rest', async () => {
    const a = await joinNew();
    await a.response;
    const b = await joinNew({ sessionTimeoutMs: 1000 });
    const [, rb] = await Promise.all([coordinator.join(join(a.memberId)), b.response]);
    await Promise.all([
      coordinator.sync('payments', a.memberId, rb.generationId, [{ memberId: a.memberId, assignment: Buffer.from('x') }]),
      coordinator.sync('payments', b.memberId, rb.generationId, []),
    ]);
    coordinator.heartbeat('payments', a.memberId, rb.generationId);
    // b falls silent; a keeps heartbeating until the sweep past b's session timeout.
    coordinator.tick(Date.now() + 1500);
    expect(coordinator.heartbeat('payments', a.memberId, rb.generationId)).toBe(GroupError.REBALANCE_IN_PROGRESS);
    const ra = await coordinator.join(join(a.memberId));
    expect(ra.generationId).toBe(rb.generationId + 1);
    expect(ra.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(coordinator.heartbeat('payments', b.memberId, ra.generationId)).toBe(GroupError.UNKNOWN_MEMBER_ID);
  });

  it('drops a member that does not rejoin within the rebalance timeout', async () => {
    const a = await joinNew({ rebalanceTimeoutMs: 1000 });
    await a.response;
    const b = await joinNew({ rebalanceTimeoutMs: 1000 });
    coordinator.tick(Date.now() + 1500);
    const rb = await b.response;
    expect(rb.leader).toBe(b.memberId);
    expect(rb.members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(coordinator.describe('payments')?.members).toEqual([b.memberId]);
  });

  it.each([
    [['range', 'roundrobin'], ['range', 'roundrobin'], 'range'],
    [['range', 'roundrobin'], ['roundrobin'], 'roundrobin'],
    [['roundrobin', 'range'], ['range', 'roundrobin'], 'roundrobin'],
  ])('picks the assignor %j and %j both support, in the leader order: %s', async (leaderNames, followerNames, chosen) => {
    const protocols = (names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }));
    const a = await joinNew({ protocols: protocols(leaderNames) });
    await a.response;
    const b = await joinNew({ protocols: protocols(followerNames) });
    const [ra, rb] = await Promise.all([coordinator.join(join(a.memberId, { protocols: protocols(leaderNames) })), b.response]);
    expect([ra.protocolName, rb.protocolName]).toEqual([chosen, chosen]);
    // The leader receives each member's metadata for the chosen assignor, untouched.
    expect(ra.members.map((m) => m.metadata.toString())).toEqual([chosen, chosen]);
  });

  it('refuses members whose protocols share nothing with the group', async () => {
    const a = await joinNew();
    await a.response;
    const b = await joinNew({ protocols: [{ name: 'OtherAssigner', metadata: Buffer.alloc(0) }] });
    const [ra, rb] = await Promise.all([coordinator.join(join(a.memberId)), b.response]);
    expect([ra.errorCode, rb.errorCode]).toEqual([GroupError.INCONSISTENT_GROUP_PROTOCOL, GroupError.INCONSISTENT_GROUP_PROTOCOL]);
  });

  it('empties the group when the last member leaves', async () => {
    const a = await joinNew();
    await a.response;
    expect(coordinator.leave('payments', a.memberId)).toBe(GroupError.NONE);
    expect(coordinator.describe('payments')).toMatchObject({ state: 'Empty', members: [] });
    expect(coordinator.leave('payments', a.memberId)).toBe(GroupError.UNKNOWN_MEMBER_ID);
  });
});
