/**
 * `npm run demo [-- --telegram | --discord] [--log]` entry.
 *   --telegram  the chat is a real Telegram bot: TELEGRAM_BOT_TOKEN (TELEGRAM_API_ROOT,
 *               TELEGRAM_UPLOAD_LIMIT_MB as for `npm start`)
 *   --discord   the chat is a real Discord bot: DISCORD_TOKEN, DISCORD_APPLICATION_ID
 *               (DISCORD_API_ROOT, DISCORD_UPLOAD_LIMIT_MB)
 *   --log       logs on stderr instead of the file DEMO_LOG_FILE (default <output>/demo.log)
 * Optional environment: DEMO_OUTPUT_DIR (default ./demo-output), DEMO_DATA_DIR (default a
 * temp folder), DEMO_POLL_SECONDS (5), DEMO_CLIP_EVERY_SECONDS (60), LOG_LEVEL (warn).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, LOG_LEVELS, type LogLevel } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { runDemo, type DemoOptions } from './run-demo.js';

function number(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const { values: flags } = parseArgs({ options: { telegram: { type: 'boolean' }, discord: { type: 'boolean' }, log: { type: 'boolean' } } });
if (flags.telegram && flags.discord) {
  process.stderr.write('npm run demo: choose one of --telegram and --discord\n');
  process.exit(2);
}

/** The chat app's variables, validated as `npm start` does; exit 2 naming what is missing. */
function chatConfig(): DemoOptions['chat'] {
  if (!flags.telegram && !flags.discord) return undefined;
  const prefix = flags.telegram ? 'TELEGRAM_' : 'DISCORD_';
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith(prefix)));
  try {
    const config = loadConfig(env);
    if (flags.telegram && config.telegram) return { platform: 'telegram', telegram: config.telegram };
    if (flags.discord && config.discord) return { platform: 'discord', discord: config.discord };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  process.stderr.write(
    flags.telegram
      ? 'TELEGRAM_BOT_TOKEN: required for npm run demo -- --telegram (the token BotFather gave you)\n'
      : 'DISCORD_TOKEN, DISCORD_APPLICATION_ID: required for npm run demo -- --discord\n',
  );
  process.exit(2);
}

const chat = chatConfig();
const level = LOG_LEVELS.find((l) => l === process.env.LOG_LEVEL) ?? ('warn' satisfies LogLevel);
const mediaDir = process.env.DEMO_OUTPUT_DIR ?? './demo-output';
const logFile = path.resolve(process.env.DEMO_LOG_FILE ?? path.join(mediaDir, 'demo.log'));
if (!flags.log) mkdirSync(path.dirname(logFile), { recursive: true });
const demo = await runDemo({
  input: process.stdin,
  output: process.stdout,
  mediaDir,
  ...(process.env.DEMO_DATA_DIR ? { dataDir: process.env.DEMO_DATA_DIR } : {}),
  pollIntervalSeconds: number('DEMO_POLL_SECONDS', 5),
  clipEveryMs: number('DEMO_CLIP_EVERY_SECONDS', 60) * 1000,
  firstClipAfterLoginMs: number('DEMO_FIRST_CLIP_SECONDS', 5) * 1000,
  logLevel: level,
  logDestination: flags.log ? process.stderr : createWriteStream(logFile, { flags: 'a', mode: 0o600 }),
  logTarget: flags.log ? 'stderr (--log)' : `${logFile} (--log shows them here)`,
  ...(chat ? { chat } : {}),
});
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  if (signals > 1) process.exit(130);
  void demo.stop();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
await demo.done;
process.stdin.pause();
process.exitCode = 0;
setTimeout(() => process.exit(0), 1_000).unref();
