#!/usr/bin/env node
/**
 * `blink-bot <command>`: the package's `bin`, compiled to dist/src/cli/main.js, so it runs
 * with production dependencies only (the Docker image); `npm run blink -- <command>` runs
 * the same from source. Reads `.env` from the working folder like `npm start`. See run-cli.ts.
 */
import { withDotEnv } from '../config/index.js';
import { runCli } from './run-cli.js';

const env = withDotEnv(process.env, process.cwd());
const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env });
process.exitCode = code;
// Do not wait for idle keep-alive sockets or a paused stdin.
setTimeout(() => process.exit(code), 500).unref();
process.stdin.pause();
