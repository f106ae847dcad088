import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The one way a test gets a folder: a fresh temp folder (named `prefix` + random), removed in
 * `t.after`. After-hooks run in the order they were registered, so when something must stop
 * before its folder goes (a bot, a child process), register that stop before calling this.
 */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'blink-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
