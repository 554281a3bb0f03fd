// Prints vitest's JSON report as the plain closing line: "N passed, N failed[, N skipped]".
// A test file that failed to load has no test results; it counts as one failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no test report at ${file}: ${error.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const unloaded = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && f.assertionResults.length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + unloaded;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
