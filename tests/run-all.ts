// `npm test`: type-check, then every vitest project (code, integration, end-to-end in Chromium),
// then one plain summary line "N passed, N failed". Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const artifacts = join(root, 'tests', 'artifacts');
mkdirSync(artifacts, { recursive: true });

for (const [what, command, args] of [
  ['server packages', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['web app', 'npm', ['run', '--silent', 'check', '-w', 'web']],
] as const) {
  const check = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (check.status !== 0) {
    console.error(`Type check of the ${what} failed.`);
    process.exit(check.status ?? 1);
  }
}

const report = join(artifacts, 'vitest-report.json');
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

try {
  const summary = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTotalTests: number;
  };
  console.log(`${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`);
  if (summary.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
} catch {
  console.error('The test report was not written.');
}
process.exit(vitest.status ?? 1);
