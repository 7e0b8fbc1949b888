import { issuesByLine, markedLines } from '../src/lib/submission';

describe('the issues of a refused message', () => {
  it('orders the issues by line and column, those without a line last, and marks their lines', () => {
    const issues = issuesByLine({
      status: 422,
      errors: [
        { path: '/Document', message: 'rule', reasonCode: 'AM10' },
        { path: 'b', message: 'second', line: 12, column: 3, reasonCode: 'FF01' },
        { path: 'a', message: 'first', line: 4, column: 9, reasonCode: 'FF01' },
        { path: 'c', message: 'same line', line: 12, column: 1 },
      ],
    });
    expect(issues.map((issue) => issue.message)).toEqual(['first', 'same line', 'second', 'rule']);
    expect([...markedLines(issues)]).toEqual([4, 12]);
  });

  it('has no issues for a problem without errors', () => {
    expect(issuesByLine({ status: 415 })).toEqual([]);
  });
});
