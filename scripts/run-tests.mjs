#!/usr/bin/env node
// Node 20's test runner does not expand globs, so we list the test files ourselves and
// hand them to `node --test` (through tsx). Extra arguments narrow the run to paths that
// contain one of them, e.g. `npm test -- telegram`.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

// The slowest files (each 15-80 s of real processes and loopback) start first, so the
// parallel lanes finish together instead of one lane running a long file at the end.
const SLOW_FIRST = [
  'test/e2e/alerts.test.ts',
  'test/hardening/crash-safety.test.ts',
  'test/e2e/telegram-commands.test.ts',
  'test/readme-commands.test.ts',
  'test/readme-install.test.ts',
  'test/hardening/fault-matrix.test.ts',
  'test/core/bounded.test.ts',
  'test/soak/year-run.test.ts',
  'test/secrets/key-refusal.test.ts',
  'test/hardening/security.test.ts',
  'test/hardening/refresh-kill.test.ts',
  'test/e2e/discord.test.ts',
  'test/demo/telegram-demo.test.ts',
];
const rank = (f) => {
  const i = SLOW_FIRST.indexOf(f);
  return i === -1 ? SLOW_FIRST.length : i;
};

const filters = process.argv.slice(2);
const files = findTests(join(root, 'test'))
  .filter((f) => filters.length === 0 || filters.some((part) => f.includes(part)))
  .sort()
  .sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000', ...files], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
