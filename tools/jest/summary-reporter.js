// Prints one plain closing line per jest run ("unit: N passed, N failed, N skipped") so a
// log reader (CI included) sees the counts without parsing jest's own summary.
'use strict';

class SummaryReporter {
  constructor() {
    const i = process.argv.indexOf('--selectProjects');
    this.label = i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : 'jest';
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\n${this.label}: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

module.exports = SummaryReporter;
