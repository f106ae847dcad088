/**
 * `npm run demo` entry. Optional environment: DEMO_OUTPUT_DIR (default ./demo-output),
 * DEMO_DATA_DIR (default a temp folder), DEMO_POLL_SECONDS (5), DEMO_CLIP_EVERY_SECONDS (60),
 * LOG_LEVEL (warn; logs go to stderr).
 */
import { LOG_LEVELS, type LogLevel } from '../config/index.js';
import { runDemo } from './run-demo.js';

function number(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const level = LOG_LEVELS.find((l) => l === process.env.LOG_LEVEL) ?? ('warn' satisfies LogLevel);
const demo = await runDemo({
  input: process.stdin,
  output: process.stdout,
  mediaDir: process.env.DEMO_OUTPUT_DIR ?? './demo-output',
  ...(process.env.DEMO_DATA_DIR ? { dataDir: process.env.DEMO_DATA_DIR } : {}),
  pollIntervalSeconds: number('DEMO_POLL_SECONDS', 5),
  clipEveryMs: number('DEMO_CLIP_EVERY_SECONDS', 60) * 1000,
  firstClipAfterLoginMs: number('DEMO_FIRST_CLIP_SECONDS', 5) * 1000,
  logLevel: level,
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
