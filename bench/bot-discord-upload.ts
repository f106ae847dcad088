/**
 * Bot side of the Discord upload benchmark (its own process): one linked account whose
 * alerts go to a Discord channel through the real Discord front end and sender. Each round
 * adds a clip of `clipBytes` at the simulator and polls once; this process samples its own
 * RSS every 5 ms while the clip goes simulator → bot → fake Discord. Then the same clip,
 * downloaded the same way, goes once more as a plain piped multipart POST: the floor any
 * streamed copy pays in this process (socket buffers the garbage collector frees later).
 */
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { createDiscordFrontEnd } from '../src/discord/front-end.js';
import { buildBot, linkAccount, pastLinkSecond } from './lib/bot.js';
import { configArg, report, sleep, startProbe } from './lib/probe.js';
import { simControl, threeCameraSeed } from './lib/sim-control.js';
import { createSilentLogger } from '../src/log.js';

interface Config {
  simUrl: string;
  apiRoot: string;
  controlRoot: string;
  applicationId: string;
  botToken: string;
  channelId: string;
  rounds: number;
  clipBytes: number;
}

interface FakeMessage {
  attachments: { size: number }[];
}

const cfg = configArg<Config>();
const sim = simControl(cfg.simUrl);
const MB = 1024 * 1024;

// Alerts only: no interaction reaches this bot, so the dispatcher is never asked.
const discord = createDiscordFrontEnd({
  token: cfg.botToken,
  applicationId: cfg.applicationId,
  apiRoot: cfg.apiRoot,
  dispatcher: { handle: async () => ({ reply: { parts: [] } }) },
  slashCommands: [],
  autocomplete: async () => [],
  // DISCORD_UPLOAD_LIMIT_MB on a boosted server is up to 500; the clip must fit.
  uploadLimitBytes: cfg.clipBytes + 10 * MB,
  log: createSilentLogger(),
});
await discord.start();
const bot = buildBot({ simUrl: cfg.simUrl, sender: discord.sender, limits: { perAccountMinTimeMs: 0 }, pollIntervalMs: 3_600_000 });

async function uploads(): Promise<number[]> {
  const res = await request(`${cfg.controlRoot}/channel-messages?channelId=${cfg.channelId}`);
  const messages = (await res.body.json()) as FakeMessage[];
  return messages.flatMap((m) => m.attachments.map((a) => a.size));
}

const owner = `dc:${cfg.channelId}`;
const account = await linkAccount(bot, sim, { ...threeCameraSeed(Date.now() % 1e6), email: `dcupload${process.pid}@example.com` }, owner);
await bot.alerts.pollNow(account.sessionId); // baseline at link time
const running = new AbortController();
bot.alerts.start(running.signal);
await pastLinkSecond(bot, account.sessionId);

/** One clip, one poll; resolves once the fake Discord has the whole clip. */
async function round(size: number, onSample?: () => void): Promise<number> {
  const before = (await uploads()).length;
  await sim.post('addClip', { accountId: account.accountId, cameraId: account.deviceIds[0], size });
  const sampler = onSample ? setInterval(onSample, 5) : undefined;
  const started = performance.now();
  try {
    await bot.alerts.pollNow(account.sessionId);
    for (;;) {
      const sizes = await uploads();
      if (sizes.length > before) {
        if ((sizes.at(-1) ?? 0) < size) throw new Error(`upload had ${sizes.at(-1)} bytes, clip ${size}`);
        return performance.now() - started;
      }
      await sleep(20);
    }
  } finally {
    if (sampler) clearInterval(sampler);
  }
}

/** The newest clip (the one the round just sent), downloaded as the alert does, piped to the fake Discord. */
async function plainCopy(): Promise<void> {
  const blink = bot.accountFor(account.sessionId);
  const clip = (await blink.listClips({ page: 1 })).clips[0];
  if (!clip) throw new Error('no clip listed');
  const download = await blink.openClip(clip);
  const boundary = 'benchboundary';
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="payload_json"\r\ncontent-type: application/json\r\n\r\n{"content":"plain copy"}\r\n--${boundary}\r\ncontent-disposition: form-data; name="files[0]"; filename="clip.mp4"\r\ncontent-type: video/mp4\r\n\r\n`;
  await new Promise<void>((resolve, reject) => {
    const url = `${cfg.apiRoot}/v10/channels/${cfg.channelId}/messages`;
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bot ${cfg.botToken}` } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.write(head);
    download.stream.on('error', reject);
    download.stream.on('end', () => req.end(`\r\n--${boundary}--\r\n`));
    download.stream.pipe(req, { end: false });
  });
}

await round(MB); // warm-up: connections, JIT, the first multipart
const rounds = [];
for (let i = 0; i < cfg.rounds; i++) {
  global.gc?.();
  await sleep(100);
  const probe = startProbe(5);
  const ms = await round(cfg.clipBytes, () => probe.sample());
  const p = probe.stop();
  global.gc?.();
  await sleep(100);
  const plainProbe = startProbe(5);
  const sampler = setInterval(() => plainProbe.sample(), 5);
  await plainCopy();
  clearInterval(sampler);
  const pp = plainProbe.stop();
  rounds.push({ rssIncreaseMb: p.rssPeakMb - p.rssStartMb, plainRssIncreaseMb: pp.rssPeakMb - pp.rssStartMb, ms, MBps: cfg.clipBytes / MB / (ms / 1000) });
}
report({ rounds });
running.abort();
await bot.close();
await discord.stop();
process.exit(0);
