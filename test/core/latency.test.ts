/**
 * The dispatcher's own processing time per command, Blink excluded: a stub BlinkAccount
 * answers at once, the database is a real temp file. Prints p50/p99 per command.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { BlinkAccount, BlinkCamera, BlinkClip, BlinkInventory, BlinkService, MediaDownload } from '../../src/blink/types.js';
import { createManualClock } from '../../src/clock.js';
import { createDispatcher } from '../../src/core/dispatcher.js';
import { createSessionManager } from '../../src/core/session-manager.js';
import { createRepositories, openDatabase } from '../../src/db/index.js';
import { createSilentLogger } from '../../src/log.js';
import { createSealer } from '../../src/secrets/index.js';

const caps = { motionToggle: true, snap: true, recordClip: true, battery: true, temperature: true, ring: false };
const camera = (id: string, name: string): BlinkCamera => ({
  id, networkId: 'n1', name, family: 'camera', type: 'catalina', capabilities: caps,
  motionEnabled: true, online: true, battery: 'ok', batteryLevel: 3, temperatureF: 70, wifiStrength: 4,
});
const inventory: BlinkInventory = {
  accountId: 'a1',
  networks: [{ id: 'n1', name: 'Home', armed: true }],
  syncModules: [{ id: 's1', networkId: 'n1', name: 'Sync', online: true, localStorageActive: true }],
  cameras: [camera('c1', 'Front Door'), camera('c2', 'Living Room'), camera('c3', 'Porch')],
};
const clips: BlinkClip[] = Array.from({ length: 25 }, (_, i) => ({
  id: String(1000 + i), cameraId: 'c1', cameraName: 'Front Door', networkId: 'n1', networkName: 'Home',
  createdAt: '', createdAtMs: Date.now() - i * 60_000, updatedAt: '', updatedAtMs: 0, deleted: false,
  partial: false, source: 'pir', mediaPath: `/m/${i}.mp4`,
}));
const download = (): MediaDownload => ({ stream: Readable.from([Buffer.alloc(16)]), contentType: 'image/jpeg', sizeBytes: 16 });

function stubAccount(): BlinkAccount {
  return {
    accountId: 'a1',
    session: () => { throw new Error('unused'); },
    inventory: async () => inventory,
    setArmed: async (_n, armed) => ({ armed }),
    setMotion: async (_c, enabled) => ({ enabled }),
    snap: async () => download(),
    openThumbnail: async () => download(),
    recordClip: async () => undefined,
    listClips: async () => ({ clips, hasMore: false }),
    findClip: async (id) => clips.find((c) => c.id === id),
    changesSince: async () => { throw new Error('unused'); },
    openClip: async () => download(),
    openClipThumbnail: async () => download(),
    localClips: async () => [],
    openLocalClip: async () => download(),
    notificationFlags: async () => ({}),
    setNotificationFlags: async () => undefined,
    logout: async () => undefined,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

test('dispatcher overhead per command (stub Blink): p99 stays under 50 ms', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'blink-core-latency-'));
  const db = openDatabase({ path: path.join(dir, 'bot.sqlite') });
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const repos = createRepositories(db);
  const clock = createManualClock(Date.now());
  const account = stubAccount();
  const blink: BlinkService = { login: async () => { throw new Error('unused'); }, account: () => account, release: () => undefined, close: async () => undefined };
  const log = createSilentLogger();
  const sessions = createSessionManager({ repos, sealer: createSealer(randomBytes(32)), blink, clock, log });
  const owner = 'tg:100';
  repos.allowlist.add(owner, 'env', clock.now());
  const session = sessions.saveLogin(owner, { accountId: 'a1', tier: 'u011', hardwareId: 'h', accessToken: 'x', refreshToken: 'y', accessExpiresAt: clock.now() + 3_600_000 }, 'o@example.com');
  repos.links.link({ chat: owner, sessionId: session.id, linkedBy: owner }, clock.now());
  const dispatcher = createDispatcher({ repos, blink, sessions, config: { admins: [] }, clock, log, timeZone: 'Europe/Berlin' });
  const progress = { async update() {}, action() {} };
  const runs: [string, string][] = [
    ['status', ''], ['arm', ''], ['disarm', 'home'], ['motion', 'front door off'], ['snap', 'Porch'], ['clips', ''], ['clip', '1003'], ['help', ''],
  ];
  const report: string[] = [];
  for (const [name, text] of runs) {
    const times: number[] = [];
    for (let i = 0; i < 600; i++) {
      const start = performance.now();
      const outcome = await dispatcher.handle({ chat: { id: owner, platform: 'tg', kind: 'private' }, caller: { id: owner }, event: { type: 'command', name, text }, progress });
      times.push(performance.now() - start);
      if (i === 0) assert.doesNotMatch(JSON.stringify(outcome.reply.parts[0]).slice(0, 200), /went wrong|Usage/, name);
    }
    const sorted = times.slice(100).sort((a, b) => a - b); // first 100 are warm-up
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    report.push(`/${name}: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    // Generous: shared CI machines pause for GC and WAL checkpoints.
    assert.ok(p99 < 50, `/${name} p99 ${p99} ms`);
  }
  t.diagnostic(report.join('; '));
});
