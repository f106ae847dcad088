/**
 * Bot side of the alert-path and streaming benchmarks (its own process): one linked
 * account, the real alert service and Telegram sender. Each round adds a clip at the
 * simulator and polls once; the fake Bot API says when the upload's first and last
 * bytes arrived. Streaming also measures this process's RSS and a plain stream copy.
 */
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { MEDIA_HEADERS } from '../src/blink/client-identity.js';
import { buildBot, linkAccount, overriding, pastLinkSecond } from './lib/bot.js';
import { configArg, report, sleep, startProbe } from './lib/probe.js';
import { simControl, threeCameraSeed } from './lib/sim-control.js';

interface Config {
  simUrl: string;
  tgApiRoot: string;
  tgToken: string;
  mode: 'latency' | 'streaming';
  rounds: number;
  clipBytes: number;
}

interface FakeFile {
  size: number;
  firstByteAt?: number;
  lastByteAt: number;
}
interface FakeCall {
  seq: number;
  method: string;
  files: FakeFile[];
  at: number;
}

const cfg = configArg<Config>();
const sim = simControl(cfg.simUrl);
const now = (): number => performance.timeOrigin + performance.now();
let checkReturnedAt = 0;
const bot = buildBot({
  simUrl: cfg.simUrl,
  tgApiRoot: cfg.tgApiRoot,
  tgToken: cfg.tgToken,
  limits: { perAccountMinTimeMs: 0 },
  // The scheduler's own polls are an hour apart; rounds poll on demand (pollNow), as /link does.
  pollIntervalMs: 3_600_000,
  wrapSessions: (inner) => ({
    accountFor(id) {
      const account = inner.accountFor(id);
      return overriding(account, {
        async changesSince(w, o) {
          const check = await account.changesSince(w, o);
          checkReturnedAt = now();
          return check;
        },
      });
    },
    markNeedsLogin: (id) => inner.markNeedsLogin(id),
  }),
});

async function fakeCalls(since: number): Promise<FakeCall[]> {
  const res = await request(`${cfg.tgApiRoot}/__fake/calls?since=${since}`);
  const body = (await res.body.json()) as { calls: FakeCall[] };
  return body.calls;
}
const lastSeq = async (): Promise<number> => (await fakeCalls(0)).reduce((m, c) => Math.max(m, c.seq), 0);

const owner = 'tg:4242';
const account = await linkAccount(bot, sim, { ...threeCameraSeed(Date.now() % 1e6), email: `alert${process.pid}@example.com` }, owner);
await bot.alerts.pollNow(account.sessionId); // baseline at link time
const running = new AbortController();
bot.alerts.start(running.signal); // the real delivery loop, woken by the poll
await pastLinkSecond(bot, account.sessionId);

/** One clip, one poll: returns the upload's timings (epoch ms) and the poll's start. */
async function round(size: number, onTransfer?: () => void) {
  const since = await lastSeq();
  await sim.post('addClip', { accountId: account.accountId, cameraId: account.deviceIds[0], size });
  const pollStart = now();
  const sampler = onTransfer ? setInterval(onTransfer, 5) : undefined;
  await bot.alerts.pollNow(account.sessionId);
  if (sampler) clearInterval(sampler);
  const upload = (await fakeCalls(since)).find((c) => c.files.some((f) => f.size > 0));
  const file = upload?.files.find((f) => f.size > 0);
  if (!upload || !file || file.firstByteAt === undefined) throw new Error('no video upload reached the fake Bot API');
  if (file.size < size) throw new Error(`upload had ${file.size} bytes, clip ${size}`);
  return { pollStart, checkReturnedAt, firstByteAt: file.firstByteAt, lastByteAt: file.lastByteAt, size: file.size };
}

/** The same bytes, simulator → fake Bot API, as a plain streamed multipart POST. */
async function plainCopy(size: number): Promise<number> {
  const since = await lastSeq();
  const id = (await sim.post<{ id: number }>('addClip', { accountId: account.accountId, cameraId: account.deviceIds[0], size })).id;
  const blink = bot.accountFor(account.sessionId);
  const { clips } = await blink.listClips({ page: 1 });
  const clip = clips.find((c) => c.id === String(id));
  if (!clip) throw new Error('clip not listed');
  const started = now();
  const src = await request(`${cfg.simUrl}/rest-u011${clip.mediaPath}`, {
    headers: { ...MEDIA_HEADERS, authorization: `Bearer ${blink.session().accessToken}` },
  });
  const boundary = 'benchboundary';
  const head = `--${boundary}\r\ncontent-disposition: form-data; name="chat_id"\r\n\r\n4242\r\n--${boundary}\r\ncontent-disposition: form-data; name="video"; filename="clip.mp4"\r\ncontent-type: video/mp4\r\n\r\n`;
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      `${cfg.tgApiRoot}/bot${cfg.tgToken}/sendVideo`,
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.write(head);
    src.body.on('data', (chunk: Buffer) => {
      if (!req.write(chunk)) {
        src.body.pause();
        req.once('drain', () => src.body.resume());
      }
    });
    src.body.on('end', () => req.end(`\r\n--${boundary}--\r\n`));
    src.body.on('error', reject);
  });
  const file = (await fakeCalls(since)).flatMap((c) => c.files).find((f) => f.size > 0);
  if (!file || file.size < size) throw new Error('plain copy did not arrive whole');
  return size / (file.lastByteAt - started);
}

if (cfg.mode === 'latency') {
  await round(64 * 1024); // warm-up: connections, JIT
  const small = [];
  for (let i = 0; i < cfg.rounds; i++) small.push(await round(64 * 1024));
  const big = [];
  for (let i = 0; i < Math.max(1, Math.ceil(cfg.rounds / 4)); i++) big.push(await round(5 * 1024 * 1024));
  report({
    firstByteMs: small.map((r) => r.firstByteAt - r.checkReturnedAt),
    pollToFirstByteMs: small.map((r) => r.firstByteAt - r.pollStart),
    e2e5mbMs: big.map((r) => r.lastByteAt - r.pollStart),
    e2e5mbFromCheckMs: big.map((r) => r.lastByteAt - r.checkReturnedAt),
    firstByte5mbMs: big.map((r) => r.firstByteAt - r.checkReturnedAt),
    internal: bot.alerts.stats().latency,
  });
} else {
  await round(1024 * 1024); // warm-up
  global.gc?.();
  await sleep(200);
  const rounds = [];
  for (let i = 0; i < cfg.rounds; i++) {
    global.gc?.();
    await sleep(100);
    const probe = startProbe(5);
    const r = await round(cfg.clipBytes, () => probe.sample());
    const p = probe.stop();
    const botRate = r.size / (r.lastByteAt - r.checkReturnedAt);
    global.gc?.();
    await sleep(100);
    const plainProbe = startProbe(5);
    const sampler = setInterval(() => plainProbe.sample(), 5);
    const plainRate = await plainCopy(cfg.clipBytes);
    clearInterval(sampler);
    const pp = plainProbe.stop();
    rounds.push({
      rssIncreaseMb: p.rssPeakMb - p.rssStartMb,
      plainRssIncreaseMb: pp.rssPeakMb - pp.rssStartMb,
      botMBps: botRate / 1048.576,
      plainMBps: plainRate / 1048.576,
      ratio: botRate / plainRate,
      transferMs: r.lastByteAt - r.checkReturnedAt,
      setupMs: r.firstByteAt - r.checkReturnedAt,
    });
  }
  report({ rounds });
}
running.abort();
await bot.close();
process.exit(0);
