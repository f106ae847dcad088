/**
 * Builds and starts the real app in-process the way `src/main.ts` does (config from env,
 * createApp, lifecycle), with a debug log captured line by line and Blink timings made fast.
 * The front-end harnesses (Telegram, Discord) add their fake and their helpers on top.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { createApp, type App } from '../../src/app/create-app.js';
import { createLifecycle } from '../../src/app/lifecycle.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import type { LiveOptions } from '../../src/blink/service.js';
import { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from '../../src/simulator/index.js';
import { lineSink } from '../helpers/line-sink.js';
import { tempDir } from '../helpers/temp-dir.js';

export interface BootedApp {
  app: App;
  dbPath: string;
  dir: string;
  secretKeyHex: string;
  logLines: string[];
  /** Stops the bot (idempotent); the fakes stay up. */
  stop(): Promise<void>;
}

/** What a test may choose in either front end's harness. */
export interface HarnessOptions {
  sim?: BlinkSimulatorOptions;
  /** ALLOWED_CHATS (default: the harness's owner and group or channel). */
  allowed?: string[];
  /** More variables for the config, over the harness's own. */
  env?: Record<string, string>;
  /** createApp's random (retry jitter); default Math.random. */
  random?: () => number;
  /** Blink command tuning on top of the harness's fast defaults (e.g. commandDeadlineMs). */
  commands?: Record<string, number>;
  /** Live view options for the simulator started here (its CA, host, timings). */
  live?: (sim: BlinkSimulator) => LiveOptions;
}

export interface BootOptions {
  sim: BlinkSimulator;
  /** The front end's variables (tokens, API roots). */
  frontEndEnv: Record<string, string>;
  allowed: string[];
  admin: string;
  options: HarnessOptions;
  /** Closed after the bot stopped: a client whose server vanishes first starts reconnecting. */
  closeFake: () => Promise<void>;
}

/** The simulator a harness boots the app against: commands answer on their first poll. */
export function startHarnessSim(options: HarnessOptions): Promise<BlinkSimulator> {
  return startBlinkSimulator({ commandPolls: 1, ...options.sim });
}

export async function bootApp(t: TestContext, o: BootOptions): Promise<BootedApp> {
  // Registered before tempDir's removal (hooks run in order): the bot stops before its folder goes.
  let stop = async (): Promise<void> => undefined;
  t.after(async () => {
    await stop();
    await o.closeFake();
    await o.sim.close();
  });
  const dir = tempDir(t, 'hardening-');
  const dbPath = path.join(dir, 'bot.sqlite');
  const secretKeyHex = randomBytes(32).toString('hex');
  const config = loadConfig({
    ...o.frontEndEnv,
    BLINK_REST_URL: o.sim.restUrlTemplate,
    BLINK_OAUTH_URL: o.sim.oauthUrl,
    DATABASE_PATH: dbPath,
    SECRET_KEY: secretKeyHex,
    ALLOWED_CHATS: o.allowed.join(','),
    ADMIN_USERS: o.admin,
    LOG_LEVEL: 'debug',
    TZ: 'Europe/Berlin',
    ...o.options.env,
  });
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', destination: lineSink(logLines) });
  const app = await createApp({
    config,
    log,
    ...(o.options.random ? { random: o.options.random } : {}),
    blink: {
      limits: { globalPerSecond: 1_000, perAccountMinTimeMs: 0, backoffBaseMs: 5, backoffMaxMs: 20, maxRetryAfterWaitMs: 2_000 },
      timeouts: { apiMs: 1_500, mediaMs: 3_000 },
      commands: { pollIntervalMs: 50, busyBackoffMs: 20, snapBackoffMs: 20, ...o.options.commands },
      ...(o.options.live ? { live: o.options.live(o.sim) } : {}),
    },
    stopDeadlineMs: 500,
  });
  const controller = new AbortController();
  const lifecycle = createLifecycle({ services: app.services, log, stopTimeoutMs: 2_000 });
  await lifecycle.start(controller.signal);
  let stopped = false;
  stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    controller.abort();
    await lifecycle.stop();
    await app.close();
  };
  return { app, dbPath, dir, secretKeyHex, logLines, stop };
}
