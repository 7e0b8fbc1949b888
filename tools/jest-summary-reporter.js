// Prints one plain closing line, "N passed, N failed", after jest's own
// summary (which jest writes to stderr), so a reader of the run's last line
// sees the counts.
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
