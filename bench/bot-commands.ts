/**
 * Bot side of the command-overhead benchmark (its own process): the real dispatcher with
 * the real Blink client against the simulator. Each command's wall time minus the time its
 * Blink requests were in flight (undici diagnostics channels) and its deliberate sleeps
 * (command-status poll gaps) is the bot's own time.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Clock } from '../src/clock.js';
import { systemClock } from '../src/clock.js';
import { buildBot, linkAccount } from './lib/bot.js';
import { configArg, report, startProbe } from './lib/probe.js';
import { simControl, threeCameraSeed } from './lib/sim-control.js';

interface Config {
  simUrl: string;
  commands: number;
}

const cfg = configArg<Config>();
const sim = simControl(cfg.simUrl);

// Time outside the bot: requests in flight (create → body done or error) and sleeps.
let outside = 0;
const started = new WeakMap<object, number>();
const begin = (m: unknown): void => {
  const req = (m as { request?: object }).request;
  if (req) started.set(req, performance.now());
};
const end = (m: unknown): void => {
  const req = (m as { request?: object }).request;
  const t = req ? started.get(req) : undefined;
  if (req && t !== undefined) {
    outside += performance.now() - t;
    started.delete(req);
  }
};
diagnostics.subscribe('undici:request:create', begin);
diagnostics.subscribe('undici:request:trailers', end);
diagnostics.subscribe('undici:request:error', end);
const clock: Clock = {
  now: systemClock.now,
  async sleep(ms, signal) {
    const t = performance.now();
    try {
      await systemClock.sleep(ms, signal);
    } finally {
      outside += performance.now() - t;
    }
  },
};

const bot = buildBot({
  simUrl: cfg.simUrl,
  clock,
  // No deliberate gaps between one account's requests: they would count as waiting, not work.
  limits: { perAccountMinTimeMs: 0, globalPerSecond: 100_000 },
  commands: { pollIntervalMs: 5, snapBackoffMs: 5 },
});
const owner = 'tg:555';
await linkAccount(bot, sim, { ...threeCameraSeed(Date.now() % 1e6), email: `cmd${process.pid}@example.com` }, owner);

const MIX: [string, string][] = [
  ['status', ''],
  ['arm', ''],
  ['disarm', ''],
  ['motion', 'Front Door off'],
  ['motion', 'Front Door on'],
  ['clips', ''],
  ['alerts', 'off Porch'],
  ['alerts', 'on Porch'],
  ['help', ''],
  ['quiet', '22:00-07:00'],
];
const run = async (name: string, text: string) =>
  bot.dispatcher.handle({
    chat: { id: owner, platform: 'tg', kind: 'private' },
    caller: { id: owner },
    event: { type: 'command', name, text },
    progress: { async update() {}, action() {} },
  });

for (let i = 0; i < 50; i++) await run(...(MIX[i % MIX.length] ?? ['help', ''])); // warm-up
const own: number[] = [];
const wall: number[] = [];
const byCommand: Record<string, number[]> = {};
const probe = startProbe();
for (let i = 0; i < cfg.commands; i++) {
  const [name, text] = MIX[i % MIX.length] ?? ['help', ''];
  outside = 0;
  const t = performance.now();
  await run(name, text);
  const w = performance.now() - t;
  wall.push(w);
  own.push(Math.max(0, w - outside));
  byCommand[name] ??= [];
  byCommand[name].push(Math.max(0, w - outside));
}
const p = probe.stop();
report({ own, wall, byCommand, cpuPerCommandMs: p.cpuMs / cfg.commands });
await bot.close();
process.exit(0);
