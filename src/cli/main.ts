/** `npm run blink -- <command>`; see run-cli.ts. */
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
// Do not wait for idle keep-alive sockets or a paused stdin.
setTimeout(() => process.exit(code), 500).unref();
process.stdin.pause();
