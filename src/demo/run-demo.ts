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
import type { Config, DiscordConfig, LogLevel, TelegramConfig } from '../config/index.js';
import { createLogger } from '../log.js';
import { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from '../simulator/index.js';
import { createTerminalFrontEnd, TERMINAL_CALLER_ID, TERMINAL_CHAT_ID } from '../terminal/front-end.js';
import { chatAppBanner, DEMO_EMAIL, DEMO_PASSWORD, demoBanner } from './banner.js';
import { createChatCodeGate } from './chat-code.js';

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
  /** Where logs go (a file unless `--log`); never the chat on `output`. */
  logDestination: Writable;
  /** Said in the banner: where the logs are. */
  logTarget: string;
  /** The chat: this terminal (default), or a real Telegram or Discord bot. */
  chat?: { platform: 'telegram'; telegram: TelegramConfig } | { platform: 'discord'; discord: DiscordConfig };
  /** The one-time chat code of `chat` (tests); default random. */
  chatCode?: string;
  /** Simulator options on top of the demo's (tests: a faster live stream). */
  simulator?: BlinkSimulatorOptions;
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
  /** The in-process simulator the bot talks to (tests look at its requests and streams). */
  simulator: BlinkSimulator;
}

export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const say = (text: string): void => {
    if (options.output.writable) options.output.write(`${text}\n`);
  };
  const sim = await startBlinkSimulator({ httpControl: false, ...options.simulator });
  sim.setTwoFactor(DEMO_EMAIL, '412', 'email');

  const tempDir = options.dataDir ? undefined : mkdtempSync(path.join(tmpdir(), 'blink-demo-'));
  const dataDir = options.dataDir ?? tempDir ?? '.';
  // Built directly instead of through loadConfig: the demo polls faster than the 30 s
  // minimum loadConfig enforces for the real Blink cloud, and needs no Telegram/Discord.
  const chat = options.chat;
  const config: Config = {
    telegram: chat?.platform === 'telegram' ? chat.telegram : null,
    discord: chat?.platform === 'discord' ? chat.discord : null,
    blink: { restUrlTemplate: sim.restUrlTemplate, oauthUrl: sim.oauthUrl },
    databasePath: path.resolve(dataDir, 'blink-bot.sqlite'),
    secretKey: () => undefined,
    allowedChats: [],
    adminUsers: [],
    pollIntervalSeconds: options.pollIntervalSeconds,
    retentionDays: 30,
    logLevel: options.logLevel,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    httpPort: null,
  };
  // Logs never mix into the chat on stdout: a file unless asked for (`--log`, stderr).
  const log = createLogger({ level: options.logLevel, destination: options.logDestination });
  const gate = chat
    ? createChatCodeGate({
        ...(options.chatCode ? { code: options.chatCode } : {}),
        isAllowed: (ids) => ids.some((id) => app.repos.allowlist.has(id)),
        allow: (id) => void app.repos.allowlist.add(id, 'demo', systemClock.now()),
        welcome: `This chat may use the bot now. Send /login: email ${DEMO_EMAIL}, password ${DEMO_PASSWORD}, and the 2FA code printed on the terminal.`,
      })
    : undefined;

  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const app = await createApp({
    config,
    log,
    extraAdmins: chat ? [] : [TERMINAL_CALLER_ID],
    extraAllowedChats: chat ? [] : [TERMINAL_CHAT_ID],
    ...(gate ? { wrapDispatcher: (inner) => gate.wrap(inner) } : {}),
    onFatal: (line) => {
      say(line);
      stopRequested();
    },
    // The simulator completes commands at once; keep the demo snappy.
    // Live view trusts the simulator's test-only relay certificate and host (docs/blink-api.md, "Live view").
    blink: { limits: { perAccountMinTimeMs: 50 }, live: { ca: sim.immisCa, allowedHosts: [sim.immisHost] } },
    extraFrontEnds: ({ dispatcher }) => {
      if (chat) return [];
      const terminal = createTerminalFrontEnd({
        input: options.input,
        output: options.output,
        dispatcher,
        mediaDir: path.resolve(options.mediaDir),
        clock: systemClock,
        log,
        onEnd: () => stopRequested(),
      });
      return [terminal];
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
      if (!app.repos.sessions.listLinked().some((session) => session.state === 'linked')) return;
      sawLogin = true;
      // The app takes the alert baseline at login; then one clip soon, then regularly.
      timers.push(setTimeout(addClip, options.firstClipAfterLoginMs));
      timers.push(setInterval(addClip, options.clipEveryMs));
    }, 250),
  );

  const controller = new AbortController();
  const lifecycle = createLifecycle({ services: app.services, log });
  await lifecycle.start(controller.signal);
  const clipEverySeconds = Math.round(options.clipEveryMs / 1000);
  if (chat && gate) {
    say(chatAppBanner({ platform: chat.platform, code: gate.code, clipEverySeconds, logTarget: options.logTarget }));
    void gate.claimed.then((id) => say(`✅ ${id} may use the bot now`));
    // No terminal chat reads the input here; its end (Ctrl-D) still quits.
    options.input.on('end', () => stopRequested());
    options.input.resume();
  } else {
    say(demoBanner({ mediaDir: path.resolve(options.mediaDir), clipEverySeconds, logTarget: options.logTarget }));
  }

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
  return {
    stop: () => {
      stopRequested();
      return stop();
    },
    done,
    simulator: sim,
  };
}
