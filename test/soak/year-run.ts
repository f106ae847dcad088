/**
 * "A year in an afternoon" (docs/endurance.md): one household account (three cameras and a
 * doorbell, ~100 clips a day) linked to five chats on both platforms, run for simulated
 * days on the manual clock with the real Blink client, the real alert service, the real
 * database with retention, and the Blink simulator in this process. The chat side is the
 * ChatSender port with recording senders (the fake Telegram and Discord servers would make
 * a year take hours); they download every uploaded clip in full and re-send by file id like
 * the real front ends do. Reports, at chosen days, the database size and rows per table,
 * peak RSS, CPU per poll and per alert, and alerts lost or repeated.
 */
import { statSync } from 'node:fs';
import { createAlertService } from '../../src/alerts/alert-service.js';
import type { ChatSender, SentMessage } from '../../src/core/sender.js';
import { createRepositories, createRetention } from '../../src/db/index.js';
import { createLogger } from '../../src/log.js';
import { simAccountSessions, startAlertsBackend } from '../alerts/harness.js';
import { fmt, type Summary, summarize } from '../../bench/lib/stats.js';
import { prng } from './crash-run.js';

export interface YearOptions {
  days: number;
  /** Days at whose end a row is reported (the last day always is). */
  reportDays: readonly number[];
  retentionDays: number;
  clipsPerDay?: number;
  /**
   * Blink's own cloud retention: the simulator purges clips this many days old (Blink: 30 to
   * 60 days by region). Default 60.
   */
  blinkRetentionDays?: number;
  /** Simulated minutes between polls. Default 15. */
  pollMinutes?: number;
  seed?: number;
  progress?: (line: string) => void;
}

export interface YearRow {
  day: number;
  /** The SQLite file itself. */
  dbBytes: number;
  /** Its write-ahead log (bounded by SQLite's auto-checkpoint). */
  walBytes: number;
  rows: Record<string, number>;
  /** Peak resident set size of the process so far, bytes. */
  peakRssBytes: number;
  /** Resident set size at the end of the day, after a full GC when `gc` is exposed, bytes. */
  rssBytes: number;
  /** V8 heap in use at the end of the day after a full GC; null when `gc` is not exposed (run without --expose-gc). */
  heapAfterGcBytes: number | null;
  /** CPU (user + system) of the day's polls that found no new clip, ms: median, min–max and count. */
  cpuPerIdlePoll: Summary;
  /** CPU of that day's polls with clips and their deliveries, beyond an idle poll, per alert delivered, ms. */
  cpuPerAlertMs: number;
  polls: number;
  alertsThatDay: number;
}

export interface YearResult {
  rows: YearRow[];
  clipsCreated: number;
  chats: number;
  expected: number;
  delivered: number;
  lost: number;
  repeated: number;
  /** Alert messages that were not a clip (backlog summaries, health notices). */
  otherMessages: number;
  pruned: { clipsSeen: number; outbox: number; audit: number; platformFiles: number };
  wallSeconds: number;
  simulatedPolls: number;
}

const DAY = 24 * 60 * 60_000;
const CAMERAS = [4101, 4102, 4103];
const DOORBELL = 4104;
const OWNER = 'tg:42';
const CHATS = [OWNER, 'tg:-1001', 'tg:-1002', 'dc:900000000000000001', 'dc:900000000000000002'];
const TABLES = ['clips_seen', 'outbox', 'audit_log', 'platform_files', 'device_health', 'blink_sessions', 'chat_links'];

/** A ChatSender that reads each new upload in full and re-sends known media by file id. */
function createCountingSender(platform: 'tg' | 'dc', onClip: (chat: string, cacheKey: string) => void, onOther: () => void): ChatSender {
  const known = new Map<string, string>();
  let messages = 0;
  return {
    platform,
    uploadLimitBytes: 50 * 1024 * 1024,
    async send(chat, reply): Promise<SentMessage> {
      const fileIds: Record<string, string> = {};
      for (const part of reply.parts) {
        if (part.type !== 'media') {
          onOther();
          continue;
        }
        const key = part.media.cacheKey;
        if (key?.startsWith('clip:')) onClip(chat, key);
        else onOther();
        if (key !== undefined && known.has(key)) continue;
        const { stream } = await part.media.open();
        for await (const _chunk of stream) {
          // Drained like an upload; the bytes are not kept.
        }
        if (key !== undefined) {
          known.set(key, `${platform}-file-${known.size + 1}`);
          fileIds[key] = known.get(key) ?? '';
          // The platform's own cache is not what is measured; keep it bounded.
          if (known.size > 5_000) known.delete(known.keys().next().value ?? '');
        }
      }
      messages++;
      return { messageIds: [String(messages)], ...(Object.keys(fileIds).length > 0 ? { fileIds } : {}) };
    },
  };
}

export async function runYear(options: YearOptions): Promise<YearResult> {
  const started = Date.now();
  const pollMs = (options.pollMinutes ?? 15) * 60_000;
  const clipsPerDay = options.clipsPerDay ?? 100;
  const random = prng(options.seed ?? 1);
  const backend = await startAlertsBackend({
    sim: {
      seed: {
        accounts: [
          {
            id: 1001,
            email: 'household@example.com',
            password: 'correct-horse-battery-staple',
            tier: 'u011',
            networks: [
              {
                name: 'Home',
                armed: true,
                devices: [
                  { id: CAMERAS[0], family: 'camera', type: 'catalina', name: 'Front Door' },
                  { id: CAMERAS[1], family: 'camera', type: 'catalina', name: 'Garden' },
                  { id: CAMERAS[2], family: 'owl', type: 'owl', name: 'Living Room' },
                  { id: DOORBELL, family: 'lotus', type: 'lotus', name: 'Porch' },
                ],
              },
            ],
            media: [],
          },
        ],
      },
    },
  });
  const { clock, sim, db, dbPath } = backend;
  const repos = createRepositories(db);
  const session = repos.sessions.saveForOwner(
    {
      ownerUserId: OWNER,
      accountId: '1001',
      tier: 'u011',
      hardwareId: 'hw-1',
      email: 'household@example.com',
      sealedTokens: Buffer.from('sealed'),
      accessExpiresAt: clock.now() + 3_600_000,
    },
    clock.now(),
  );
  repos.allowlist.seedFromEnv(CHATS, clock.now());
  for (const chat of CHATS) repos.links.link({ chat, sessionId: session.id, linkedBy: OWNER }, clock.now());
  const alertSessions = simAccountSessions(backend, () => {
    throw new Error('the year run lost its Blink session');
  });

  // Deliveries per clip and chat, for clips Blink still holds. A clip Blink purged can never
  // be reported again, so its count is final: it is settled into lost/delivered/repeated and
  // dropped, which keeps this harness's own memory flat and the heap figure the bot's.
  const deliveries = new Map<string, number>();
  const tally = { delivered: 0, lost: 0, repeated: 0, clips: 0 };
  const settle = (id: number): void => {
    tally.clips++;
    for (const chat of CHATS) {
      const key = `${chat} clip:${session.id}:${id}`;
      const n = deliveries.get(key) ?? 0;
      deliveries.delete(key);
      if (n === 0) tally.lost++;
      tally.delivered += Math.min(n, 1);
      tally.repeated += Math.max(0, n - 1);
    }
  };
  const blinkRetentionMs = (options.blinkRetentionDays ?? 60) * DAY;
  let otherMessages = 0;
  let deliveredSoFar = 0;
  const onClip = (chat: string, cacheKey: string): void => {
    const k = `${chat} ${cacheKey}`;
    deliveries.set(k, (deliveries.get(k) ?? 0) + 1);
    deliveredSoFar++;
  };
  const onOther = (): void => {
    otherMessages++;
  };
  const service = createAlertService({
    db,
    sessions: alertSessions,
    senders: new Map<string, ChatSender>([
      ['tg', createCountingSender('tg', onClip, onOther)],
      ['dc', createCountingSender('dc', onClip, onOther)],
    ]),
    clock,
    random: () => 0.5,
    log: backend.log,
    config: { pollIntervalMs: pollMs, timeZone: 'Europe/Berlin' },
  });

  const pruned = { clipsSeen: 0, outbox: 0, audit: 0, platformFiles: 0 };
  // The real retention module on its real schedule (hourly on the injected clock); its
  // log line is how the counts are collected.
  const retentionLog = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        const counts: unknown = JSON.parse(line);
        if (typeof counts !== 'object' || counts === null) return;
        for (const key of Object.keys(pruned) as (keyof typeof pruned)[]) {
          const n: unknown = Reflect.get(counts, key);
          if (typeof n === 'number') pruned[key] += n;
        }
      },
    },
  });
  const retention = createRetention({ repos, clock, log: retentionLog, retentionDays: options.retentionDays });
  const stop = new AbortController();
  retention.start(stop.signal);

  const count = Object.fromEntries(TABLES.map((t) => [t, db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${t}`)]));
  /** Clips Blink still holds, oldest first. */
  const clips: { id: number; createdAt: number }[] = [];
  const rows: YearRow[] = [];
  let nextClipAt = clock.now() + 60_000;
  const meanGap = DAY / clipsPerDay;
  let polls = 0;

  await service.pollNow(session.id); // baseline
  for (let day = 1; day <= options.days; day++) {
    const dayEnd = clock.now() + DAY;
    const idleCpu: number[] = [];
    let busyCpu = 0;
    let busyPolls = 0;
    let alertsThatDay = 0;
    while (clock.now() < dayEnd) {
      await clock.advance(pollMs);
      let added = 0;
      while (nextClipAt <= clock.now()) {
        const doorbell = random() < 0.1;
        const camera = doorbell ? DOORBELL : (CAMERAS[Math.floor(random() * CAMERAS.length)] ?? DOORBELL);
        clips.push({ id: sim.addClip({ cameraId: camera, source: doorbell ? 'button' : 'pir', createdAt: nextClipAt }), createdAt: nextClipAt });
        nextClipAt += meanGap * (0.5 + random());
        added++;
      }
      const deliveredBefore = deliveredSoFar;
      // The poll and the deliveries it queued, and nothing else: a delivery still running
      // from the poll before would be counted against this one.
      const cpu = process.cpuUsage();
      await service.pollNow(session.id);
      await service.flush();
      const used = process.cpuUsage(cpu);
      const ms = (used.user + used.system) / 1000;
      polls++;
      const alerts = deliveredSoFar - deliveredBefore;
      alertsThatDay += alerts;
      if (added === 0 && alerts === 0) {
        idleCpu.push(ms);
      } else {
        busyCpu += ms;
        busyPolls++;
      }
    }
    // A few commands a day reach the audit log (the dispatcher's record call).
    for (let i = 0; i < 5; i++) {
      repos.audit.record({
        at: clock.now(),
        actor: CHATS[0] ?? 'tg:42',
        chat: CHATS[i % CHATS.length] ?? null,
        action: 'arm',
        target: 'Home',
        result: 'ok',
        detail: null,
      });
    }
    // Blink's cloud retention, once a day.
    const cutoff = clock.now() - blinkRetentionMs;
    sim.purgeClipsCreatedBefore(cutoff);
    let purged = 0;
    while (purged < clips.length && (clips[purged]?.createdAt ?? Number.POSITIVE_INFINITY) < cutoff) settle(clips[purged++]?.id ?? 0);
    clips.splice(0, purged);
    if (options.reportDays.includes(day) || day === options.days) {
      const gc = globalThis.gc;
      gc?.();
      // The median: the hourly retention pass runs between the awaits of whichever poll it
      // overlaps, and a mean of the day's 9 to 13 idle polls follows those few.
      const idlePolls = summarize(idleCpu.length > 0 ? idleCpu : [0]);
      const idle = idlePolls.median;
      const row: YearRow = {
        day,
        dbBytes: fileSize(dbPath),
        walBytes: fileSize(`${dbPath}-wal`),
        rows: Object.fromEntries(Object.entries(count).map(([t, stmt]) => [t, stmt.get()?.n ?? 0])),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        rssBytes: process.memoryUsage.rss(),
        heapAfterGcBytes: gc ? process.memoryUsage().heapUsed : null,
        cpuPerIdlePoll: idlePolls,
        cpuPerAlertMs: alertsThatDay > 0 ? (busyCpu - busyPolls * idle) / alertsThatDay : 0,
        polls: idleCpu.length + busyPolls,
        alertsThatDay,
      };
      rows.push(row);
      options.progress?.(`day ${day}: ${formatRow(row)}`);
    }
  }
  await service.flush();
  stop.abort();
  await retention.stop();
  await service.stop(0);

  for (const clip of clips) settle(clip.id);
  await backend.close();
  return {
    rows,
    clipsCreated: tally.clips,
    chats: CHATS.length,
    expected: tally.clips * CHATS.length,
    delivered: tally.delivered,
    lost: tally.lost,
    repeated: tally.repeated,
    otherMessages,
    pruned,
    wallSeconds: (Date.now() - started) / 1000,
    simulatedPolls: polls,
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

const MB = 1024 * 1024;

function formatRow(row: YearRow): string {
  const tables = Object.entries(row.rows)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  return `db ${(row.dbBytes / MB).toFixed(2)} MB + WAL ${(row.walBytes / MB).toFixed(2)} MB; ${tables}; peak RSS ${(row.peakRssBytes / MB).toFixed(0)} MB; RSS ${(row.rssBytes / MB).toFixed(0)} MB; heap after GC ${row.heapAfterGcBytes === null ? 'n/a' : `${(row.heapAfterGcBytes / MB).toFixed(1)} MB`}; CPU/idle poll ${fmt(row.cpuPerIdlePoll, ' ms')} over ${row.cpuPerIdlePoll.n} polls; CPU/alert ${row.cpuPerAlertMs.toFixed(2)} ms`;
}

/** The docs table: one line per reported day. */
export function markdownTable(rows: readonly YearRow[]): string {
  const head =
    '| Day | DB file (MB) | WAL (MB) | clips_seen | outbox | audit_log | platform_files | Peak RSS (MB) | RSS after GC (MB) | Heap after GC (MB) | CPU per idle poll (ms): median (min–max) | CPU per alert (ms) |';
  const rule = '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const lines = rows.map(
    (r) =>
      `| ${r.day} | ${(r.dbBytes / MB).toFixed(2)} | ${(r.walBytes / MB).toFixed(2)} | ${r.rows['clips_seen']} | ${r.rows['outbox']} | ${r.rows['audit_log']} | ${r.rows['platform_files']} | ${(r.peakRssBytes / MB).toFixed(0)} | ${(r.rssBytes / MB).toFixed(0)} | ${r.heapAfterGcBytes === null ? 'n/a' : (r.heapAfterGcBytes / MB).toFixed(1)} | ${fmt(r.cpuPerIdlePoll)} | ${r.cpuPerAlertMs.toFixed(2)} |`,
  );
  return [head, rule, ...lines].join('\n');
}
