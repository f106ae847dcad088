/**
 * `npm run demo`: the whole bot against the in-process Blink simulator, chatting through
 * the terminal. No account, token or network needed. The simulator's account has 2FA on;
 * when it "mails" a code, the code is printed. A motion clip appears every `clipEveryMs`
 * (and once shortly after the first login) and reaches the terminal as an alert.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createApp } from '../app/create-app.js';
import { createLifecycle } from '../app/lifecycle.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config/index.js';
import type { LogLevel } from '../config/index.js';
import { createLogger } from '../log.js';
import { startBlinkSimulator } from '../simulator/index.js';
import { createTerminalFrontEnd, TERMINAL_CALLER_ID, TERMINAL_CHAT_ID } from '../terminal/front-end.js';
import { DEMO_EMAIL, DEMO_PASSWORD, demoBanner } from './banner.js';

export interface DemoOptions {
  input: Readable;
  output: Writable;
  /** Where photos and videos are saved; default ./demo-output. */
  mediaDir: string;
  /** SQLite folder; default a temp folder removed at exit. */
  dataDir?: string;
  /** Motion poll period; the demo may go below the 30 s that real Blink needs. */
  pollIntervalSeconds: number;
  /** A new simulated motion clip this often. */
  clipEveryMs: number;
  /** The first clip, this long after the first login. */
  firstClipAfterLoginMs: number;
  logLevel: LogLevel;
}

const CAMERAS = [
  { id: 4001, name: 'Front Door' },
  { id: 5001, name: 'Living Room' },
  { id: 6001, name: 'Porch' },
] as const;

export interface RunningDemo {
  /** Stops everything; idempotent. Resolves when all is closed. */
  stop(): Promise<void>;
  /** Resolves once stopped (Ctrl-C, EOF or `stop`). */
  done: Promise<void>;
}

export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const say = (text: string): void => {
    if (options.output.writable) options.output.write(`${text}\n`);
  };
  const sim = await startBlinkSimulator({ httpControl: false });
  sim.setTwoFactor(DEMO_EMAIL, '412');

  const tempDir = options.dataDir ? undefined : mkdtempSync(path.join(tmpdir(), 'blink-demo-'));
  const dataDir = options.dataDir ?? tempDir ?? '.';
  // Built directly instead of through loadConfig: the demo polls faster than the 30 s
  // minimum loadConfig enforces for the real Blink cloud, and needs no Telegram/Discord.
  const config: Config = {
    telegram: null,
    discord: null,
    blink: { restUrlTemplate: sim.restUrlTemplate, oauthUrl: sim.oauthUrl },
    databasePath: path.resolve(dataDir, 'blink-bot.sqlite'),
    secretKey: () => undefined,
    allowedChats: [],
    adminUsers: [],
    pollIntervalSeconds: options.pollIntervalSeconds,
    logLevel: options.logLevel,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    httpPort: null,
  };
  // Logs go to stderr so they never mix into the chat on stdout.
  const log = createLogger({ level: options.logLevel, destination: process.stderr });

  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const app = createApp({
    config,
    log,
    extraAdmins: [TERMINAL_CALLER_ID],
    extraAllowedChats: [TERMINAL_CHAT_ID],
    // The simulator completes commands at once; keep the demo snappy. Live view trusts the
    // simulator's test-only relay certificate and host (docs/blink-api.md, "Live view").
    blink: { limits: { perAccountMinTimeMs: 50 }, live: { ca: sim.immisCa, allowedHosts: [sim.immisHost] } },
    extraFrontEnds: ({ dispatcher }) => {
      const terminal = createTerminalFrontEnd({
        input: options.input,
        output: options.output,
        dispatcher,
        mediaDir: path.resolve(options.mediaDir),
        clock: systemClock,
        log,
        onEnd: () => stopRequested(),
      });
      return [{ name: 'terminal', sender: terminal.sender, connected: terminal.connected, start: (s) => terminal.start(s), stop: () => terminal.stop() }];
    },
  });

  const timers: NodeJS.Timeout[] = [];
  let lastPin: string | null = null;
  timers.push(
    setInterval(() => {
      const pin = sim.currentPin(DEMO_EMAIL);
      if (pin !== null && pin !== lastPin) say(`📧 Blink sent code ${pin} to ${DEMO_EMAIL}`);
      lastPin = pin;
    }, 100),
  );
  let clipNumber = 0;
  const addClip = (): void => {
    const camera = CAMERAS[clipNumber % CAMERAS.length] ?? CAMERAS[0];
    clipNumber += 1;
    sim.addClip({ cameraId: camera.id, source: 'pir' });
    say(`🎬 (simulator) motion on ${camera.name}; the bot will see it at its next poll`);
  };
  let sawLogin = false;
  timers.push(
    setInterval(() => {
      if (sawLogin) return;
      const session = app.repos.sessions.getByOwner(TERMINAL_CALLER_ID);
      if (!session || session.state !== 'linked') return;
      sawLogin = true;
      // The app takes the alert baseline at login; then one clip soon, then regularly.
      timers.push(setTimeout(addClip, options.firstClipAfterLoginMs));
      timers.push(setInterval(addClip, options.clipEveryMs));
    }, 250),
  );

  const controller = new AbortController();
  const lifecycle = createLifecycle({ services: app.services, log });
  await lifecycle.start(controller.signal);
  say(demoBanner({ mediaDir: path.resolve(options.mediaDir), clipEverySeconds: Math.round(options.clipEveryMs / 1000) }));
  void DEMO_PASSWORD;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const t of timers) clearTimeout(t);
      controller.abort(new Error('demo stopping'));
      await lifecycle.stop();
      await app.close();
      await sim.close();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      say('👋 demo stopped');
    })();
    return stopping;
  };
  const done = stopped.then(stop);
  return { stop: () => (stopRequested(), stop()), done };
}
