/**
 * The V8 flags the bot runs with are chosen once (docs/performance.md, "What made the
 * difference") and must be the same wherever it starts: `npm start` (and so Docker, which
 * runs it), the systemd unit, and the benchmarks that measure it (bench/lib/proc.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { BOT_NODE_FLAGS, ROOT } from '../bench/lib/proc.js';
import path from 'node:path';

const flagsBefore = (line: string, entry: string): string[] => {
  const at = line.indexOf(entry);
  assert.ok(at > 0, `${entry} in ${line}`);
  return line
    .slice(0, at)
    .split(/\s+/)
    .filter((word) => word.startsWith('--'));
};

test('npm start, the systemd unit and the benchmarks run node with the same flags', () => {
  const pkg = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
  const unit = readFileSync(path.join(ROOT, 'deploy', 'blink-bot.service'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ExecStart='));
  assert.ok(unit, 'ExecStart= in deploy/blink-bot.service');
  const expected = [...BOT_NODE_FLAGS].sort();
  assert.deepEqual(flagsBefore(pkg.scripts.start, 'dist/src/main.js').sort(), expected);
  assert.deepEqual(flagsBefore(unit, 'dist/src/main.js').sort(), expected);
});
