/**
 * In-process set-up for the command core: a temp SQLite database through the real
 * migrations, the real Blink service against the simulator, the real sealer, the
 * dispatcher, a manual clock for the core and a recording Progress and log.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { lineSink } from '../helpers/line-sink.js';
import type { TestContext } from 'node:test';
import { createBlinkService } from '../../src/blink/service.js';
import type { BlinkService } from '../../src/blink/types.js';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import { createDispatcher } from '../../src/core/dispatcher.js';
import type { ChatContext, Dispatcher, Inbound, InboundEvent, Outcome } from '../../src/core/inbound.js';
import type { MediaSource, Progress, ReplyButton } from '../../src/core/reply.js';
import { createSessionManager, type SessionManager } from '../../src/core/session-manager.js';
import { createRepositories, openDatabase, type Repositories } from '../../src/db/index.js';
import { createLogger } from '../../src/log.js';
import { createSealer, type Sealer } from '../../src/secrets/index.js';
import { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from '../../src/simulator/index.js';
import { createFastClock, fastLimits, silentLog } from '../blink/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

export const EMAIL = 'owner@example.com';
export const PASSWORD = 'correct-horse-battery-staple';
export const ADMIN = 'tg:1';
export const OWNER = 'tg:100';
export const GROUP = 'tg:-100200';

interface RecordingProgress extends Progress {
  updates: string[];
  actions: string[];
}

function recordingProgress(): RecordingProgress {
  const updates: string[] = [];
  const actions: string[] = [];
  return {
    updates,
    actions,
    async update(text) {
      updates.push(text);
    },
    action(kind) {
      actions.push(kind);
    },
  };
}

export interface Harness {
  sim: BlinkSimulator;
  blink: BlinkService;
  /** The Blink client's clock: sleeps pass at once; `advance` moves it. */
  blinkClock: ReturnType<typeof createFastClock>;
  repos: Repositories;
  sessions: SessionManager;
  sealer: Sealer;
  dispatcher: Dispatcher;
  clock: ManualClock;
  dbPath: string;
  logLines: string[];
  /** Last Progress handed to the dispatcher. */
  progress: RecordingProgress;
  /**
   * What the front end's deleteMessage answers (true: the message is gone), and each call
   * in order with how many Blink requests the simulator had seen by then.
   */
  deleteSucceeds: boolean;
  deletions: { blinkRequestsBefore: number }[];
  /** `/name rest` → command event; anything else → a plain text message. */
  send(chat: ChatContext | string, caller: string, text: string): Promise<Outcome>;
  event(chat: ChatContext | string, caller: string, event: InboundEvent): Promise<Outcome>;
  press(chat: ChatContext | string, caller: string, button: ReplyButton): Promise<Outcome>;
  /** Allowlists the private chat of OWNER and logs in there (no 2FA). */
  login(caller?: string): Promise<Outcome>;
}

function privateChat(id: string): ChatContext {
  return { id, platform: id.startsWith('dc:') ? 'dc' : 'tg', kind: 'private' };
}
export function groupChat(id: string): ChatContext {
  return { id, platform: id.startsWith('dc:') ? 'dc' : 'tg', kind: 'group' };
}

export async function createHarness(t: TestContext, simOptions: BlinkSimulatorOptions = {}): Promise<Harness> {
  const sim = await startBlinkSimulator({ commandPolls: 1, ...simOptions });
  t.after(() => sim.close());
  const blinkClock = createFastClock();
  const blink = createBlinkService({
    urls: { oauth: sim.url, restTemplate: `${sim.url}/rest-{tier}` },
    clock: blinkClock,
    log: silentLog,
    limits: { ...fastLimits, maxRetryAfterWaitMs: 1000, minMediaBytes: 100 },
    timeouts: { apiMs: 2000, mediaMs: 5000 },
    commands: { pollIntervalMs: 1000, busyBackoffMs: 100, snapBackoffMs: 100 },
  });
  t.after(() => blink.close());
  const dir = tempDir(t, 'blink-core-');
  const dbPath = path.join(dir, 'bot.sqlite');
  const db = openDatabase({ path: dbPath });
  t.after(() => db.close());
  const repos = createRepositories(db);
  const clock = createManualClock(Date.now());
  const logLines: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: lineSink(logLines),
  });
  const sealer = createSealer(randomBytes(32));
  const sessions = createSessionManager({ repos, sealer, blink, clock, log });
  const dispatcher = createDispatcher({ repos, blink, sessions, config: { admins: [ADMIN] }, clock, log, timeZone: 'Europe/Berlin' });

  const harness: Harness = {
    sim,
    blink,
    blinkClock,
    repos,
    sessions,
    sealer,
    dispatcher,
    clock,
    dbPath,
    logLines,
    progress: recordingProgress(),
    deleteSucceeds: true,
    deletions: [],
    async event(chat, caller, event) {
      const context = typeof chat === 'string' ? (chat.includes(':-') ? groupChat(chat) : privateChat(chat)) : chat;
      harness.progress = recordingProgress();
      const deleteMessage = async (): Promise<boolean> => {
        harness.deletions.push({ blinkRequestsBefore: sim.requestCounts().total });
        return harness.deleteSucceeds;
      };
      const withMessage = event.type !== 'button' ? { deleteMessage } : {};
      const inbound: Inbound = { chat: context, caller: { id: caller }, event, progress: harness.progress, ...withMessage };
      return dispatcher.handle(inbound);
    },
    send(chat, caller, text) {
      const match = /^\/([a-z]+)\s*(.*)$/s.exec(text);
      const event: InboundEvent = match?.[1] ? { type: 'command', name: match[1], text: match[2] ?? '', raw: text } : { type: 'text', text };
      return harness.event(chat, caller, event);
    },
    press(chat, caller, button) {
      return harness.event(chat, caller, { type: 'button', command: button.action.command, args: button.action.args });
    },
    async login(caller = OWNER) {
      repos.allowlist.add(caller, 'env', clock.now());
      await harness.send(caller, caller, '/login');
      await harness.send(caller, caller, EMAIL);
      return harness.send(caller, caller, PASSWORD);
    },
  };
  return harness;
}

/** All text of an outcome (text parts and captions). */
export function textOf(outcome: Outcome): string {
  return outcome.reply.parts
    .map((p) => (p.type === 'text' ? p.text : p.type === 'album' ? p.items.map((i) => i.caption ?? '').join('\n') : (p.caption ?? '')))
    .join('\n');
}

export function buttonsOf(outcome: Outcome): ReplyButton[] {
  return outcome.reply.parts.flatMap((p) => (p.type === 'album' ? [] : (p.buttons ?? []).flat()));
}

export function mediaOf(outcome: Outcome): MediaSource {
  const part = outcome.reply.parts.find((p) => p.type === 'media');
  if (part?.type !== 'media') throw new Error(`no media in: ${textOf(outcome)}`);
  return part.media;
}

export async function readMedia(source: MediaSource): Promise<Buffer> {
  const { stream } = await source.open();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
