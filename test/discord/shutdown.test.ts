import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const FIXTURE = fileURLToPath(new URL('./fixtures/stop-unreachable.ts', import.meta.url));
const DEADLINE_MS = 5000;

/** Runs the fixture; resolves with its output once it exits by itself, or kills it after `limitMs`. */
function runFixture(env: Record<string, string>, limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, killed });
    });
  });
}

for (const reconnectWaitMs of [0, 800]) {
  test(`stop() with the gateway gone (${reconnectWaitMs} ms into reconnecting) resolves in time and leaves nothing running`, async () => {
    const run = await runFixture({ RECONNECT_WAIT_MS: String(reconnectWaitMs), STOP_TIMEOUT_MS: String(DEADLINE_MS) }, 12_000);
    assert.equal(run.killed, false, `the process kept running after stop(): a handle was left open\n${run.stdout}${run.stderr}`);
    assert.equal(run.code, 0, run.stderr);
    const result: unknown = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.ok(typeof result === 'object' && result !== null && 'stopMs' in result && typeof result.stopMs === 'number');
    assert.ok(result.stopMs < DEADLINE_MS, `stop took ${result.stopMs} ms`);
    assert.ok('connected' in result && result.connected === false);
  });
}
