import { againstDeadline, batch, cancel, cancelInFlight, deadlineOutcome, deadlineProblem, initialState, reuseMsgId, status, timeout } from '../src/model';

describe('the reference model', () => {
  it('settles a payment that beat its deadline, and moves nothing for one that did not', () => {
    const state = initialState([100n, 0n, 0n]);
    expect(againstDeadline(state, 0, 1, 40n, 'u1', 'decided')).toEqual({ http: 202, status: 'ACSC' });
    expect(againstDeadline(state, 0, 1, 40n, 'u2', 'timedOut')).toEqual({ http: 202, status: 'RJCT', reasonCodes: ['AB05'] });
    expect(againstDeadline(state, 0, 1, 40n, 'u3', 'late')).toEqual({ http: 422, reasonCode: 'AB05' });
    expect(state.balances).toEqual([60n, 40n, 0n]);
    // The late one was never a transaction; the two others are.
    expect(state.payments.map((payment) => payment.status)).toEqual(['ACSC', 'RJCT']);
  });

  it('never settles a payment held past its deadline', () => {
    const state = initialState([100n, 0n, 0n]);
    expect(timeout(state, 0, 1, 40n, 'u1', 'decided')).toEqual({ http: 202, status: 'RJCT', reasonCodes: ['AB05'] });
    expect(state.balances).toEqual([100n, 0n, 0n]);
  });

  it('reads how a payment racing its deadline ended from its answer', () => {
    expect(deadlineOutcome({ http: 422, reasonCode: 'AB05' })).toBe('late');
    expect(deadlineOutcome({ http: 202, reasonCode: 'AB05' })).toBe('timedOut');
    expect(deadlineOutcome({ http: 202 })).toBe('decided');
    expect(deadlineOutcome({ http: 422, reasonCode: 'AM05' })).toBe('decided');
  });

  it('cancels a payment in flight without moving money, and refuses a cancellation that came after settlement', () => {
    const state = initialState([100n, 0n, 0n]);
    expect(cancelInFlight(state, 0, 1, 30n, 'u1', true)).toEqual({ payment: { http: 202, status: 'CANC' }, cancellation: { http: 202, status: 'ANSW', answer: 'CNCL' } });
    expect(state.balances).toEqual([100n, 0n, 0n]);
    expect(cancelInFlight(state, 0, 1, 30n, 'u2', false)).toEqual({ payment: { http: 202, status: 'ACSC' }, cancellation: { http: 202, status: 'ANSW', answer: 'RJCR', reasonCodes: ['PTNA'] } });
    expect(state.balances).toEqual([70n, 30n, 0n]);
    // The cancelled one: a status request reports CANC, a second cancellation is refused (NARR).
    const cancelled = state.payments[0]!;
    expect(status(state, cancelled, 0)).toEqual({ http: 202, status: 'ANSW', answer: 'CANC' });
    // It never reached its receiver, which is no party to it.
    expect(status(state, cancelled, 1)).toEqual({ http: 202, status: 'ANSW', answer: 'RJCT', reasonCodes: ['AG09'] });
    expect(cancel(state, cancelled)).toEqual({ http: 202, status: 'ANSW', answer: 'RJCR', reasonCodes: ['NARR'] });
  });

  it("gives a pain.001 the group status of its transfers, settled in order", () => {
    const state = initialState([100n, 0n, 0n]);
    expect(batch(state, 0, [{ to: 1, amount: 10n, uetr: 'a' }, { to: 2, amount: 20n, uetr: 'b' }])).toMatchObject({ answer: 'ACSC' });
    expect(batch(state, 0, [{ to: 1, amount: 10n, uetr: 'c' }, { to: 'nobody', amount: 5n, uetr: 'd' }])).toMatchObject({ answer: 'PART' });
    expect(batch(state, 0, [{ to: 'nobody', amount: 5n, uetr: 'e' }, { to: 1, amount: 1000n, uetr: 'f' }])).toMatchObject({ answer: 'RJCT' });
    expect(state.balances).toEqual([60n, 20n, 20n]);
    state.suspended[0] = true;
    expect(batch(state, 0, [{ to: 1, amount: 1n, uetr: 'g' }])).toEqual({ http: 403, reasonCode: 'AG10' });
  });

  it('refuses other bytes under a used MsgId for their time before their duplication', () => {
    const state = initialState([0n, 0n, 0n]);
    expect(reuseMsgId(state, 0, false)).toEqual({ http: 422, reasonCode: 'AM05' });
    expect(reuseMsgId(state, 0, true)).toEqual({ http: 422, reasonCode: 'AB05' });
  });

  it('finds a record that settled late, was timed out early, or has its deadline before its creation', () => {
    const deadline = '2026-01-01T00:00:10.000Z';
    const view = (steps: object[], createdAt = '2026-01-01T00:00:00.000Z') => ({ deadline, createdAt, steps });
    expect(deadlineProblem(view([{ status: 'ACSC', timestamp: '2026-01-01T00:00:09.999Z' }]))).toBeUndefined();
    expect(deadlineProblem(view([{ status: 'ACSC', timestamp: deadline }]))).toMatch(/settled at .* not before its deadline/);
    expect(deadlineProblem(view([{ status: 'RJCT', reasonCode: 'AB05', timestamp: '2026-01-01T00:00:09.000Z' }]))).toMatch(/timed out at .* before its deadline/);
    expect(deadlineProblem(view([{ status: 'RJCT', reasonCode: 'AB05', timestamp: deadline }]))).toBeUndefined();
    expect(deadlineProblem(view([], '2026-01-01T00:00:11.000Z'))).toMatch(/before its creation/);
    expect(deadlineProblem({ steps: [] })).toBeUndefined();
  });
});
