/** What the Submit page shows of a refused message: its issues, and which lines of the text they point at. */
import type { Problem, ProblemIssue } from './errors';

/** The issues of a problem, ordered by line and column; an issue without a line comes last. */
export function issuesByLine(problem: Problem): ProblemIssue[] {
  const issues = [...(problem.errors ?? [])];
  return issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
}

/** The 1-based line numbers that issues point at. */
export function markedLines(issues: readonly ProblemIssue[]): Set<number> {
  return new Set(issues.flatMap((issue) => (typeof issue.line === 'number' && issue.line > 0 ? [issue.line] : [])));
}
