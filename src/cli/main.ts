#!/usr/bin/env node
/**
 * `blink-bot <command>`: the package's `bin`, compiled to dist/src/cli/main.js, so it runs
 * with production dependencies only (the Docker image); `npm run blink -- <command>` runs
 * the same from source. Reads `.env` from the working folder like `npm start`. See run-cli.ts.
 */
import { withDotEnv } from '../config/index.js';
import { runCli } from './run-cli.js';
import { EXIT_INTERRUPTED } from './usage.js';

const env = withDotEnv(process.env, process.cwd());
// Ctrl-C (or SIGTERM) stops a chat command the way a bot shutdown does: a live view ends its
// Blink command before we exit 130. A command that does not listen gets 3 s; a second
// Ctrl-C exits at once.
const interrupt = new AbortController();
const onSignal = (): void => {
  if (interrupt.signal.aborted) process.exit(EXIT_INTERRUPTED);
  interrupt.abort();
  setTimeout(() => process.exit(EXIT_INTERRUPTED), 3000).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env, signal: interrupt.signal });
process.exitCode = code;
// Do not wait for idle keep-alive sockets or a paused stdin.
setTimeout(() => process.exit(code), 500).unref();
process.stdin.pause();
