// Prints one closing line for the whole `npm test` run, from the JSON reports that
// vitest and Playwright write: "total: N passed, M failed".
import { readFileSync } from 'node:fs';

function read(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    console.error(`test-summary: cannot read ${path}: ${err.message}`);
    process.exit(1);
  }
}

const unit = read('reports/unit.json');
const e2e = read('reports/e2e.json');
const unitPassed = unit.numPassedTests;
const unitFailed = unit.numFailedTests;
const e2ePassed = e2e.stats.expected + e2e.stats.flaky;
const e2eFailed = e2e.stats.unexpected;
console.log(`unit: ${unitPassed} passed, ${unitFailed} failed`);
console.log(`e2e: ${e2ePassed} passed, ${e2eFailed} failed`);
console.log(`total: ${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed} failed`);
if (unitPassed + e2ePassed === 0 || unitFailed + e2eFailed > 0) process.exit(1);
