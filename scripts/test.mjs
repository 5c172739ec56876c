#!/usr/bin/env node
// `npm test`: typecheck, build (electron-vite, also what the e2e tests serve), unit + integration
// tests, then end-to-end tests in Chromium. The last line adds up the runners' own JSON reports:
// "N passed, N failed, N skipped". Exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const reports = resolve(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name) => resolve(root, 'node_modules/.bin', name);
const problems = [];

function step(title, cmd, args) {
  process.stdout.write(`\n=== ${title}\n`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = r.status === 0;
  process.stdout.write(`=== ${title}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  if (!ok) problems.push(title);
  return ok;
}

step('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('typecheck (svelte-check)', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']);
step('build (electron-vite)', bin('electron-vite'), ['build']);
const suites = [
  ['unit + integration tests', ['--project', 'unit', '--project', 'integration'], 'vitest.json'],
  ['end-to-end tests (Chromium)', ['--project', 'e2e'], 'e2e.json'],
];
for (const [title, projects, file] of suites) {
  step(title, bin('vitest'), ['run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${resolve(reports, file)}`]);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [title, , file] of suites) {
  const path = resolve(reports, file);
  if (!existsSync(path)) {
    process.stdout.write(`no report from ${title} (${file}); counted as one failure\n`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(path, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A test file that fails to load has no test results of its own: count it, so it cannot hide.
  for (const f of r.testResults ?? []) {
    if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) {
      process.stdout.write(`test file failed to run: ${f.name}\n${f.message ?? ''}\n`);
      failed += 1;
    }
  }
}
if (problems.length) process.stdout.write(`\nfailed steps: ${problems.join(', ')}\n`);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = problems.length || failed ? 1 : 0;
