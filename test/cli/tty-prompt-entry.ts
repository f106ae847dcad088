/**
 * Runs the CLI's prompter on this process's stdin/stdout, for prompt.test.ts, which starts
 * it inside a pseudo-terminal (util-linux `script`). Prints what was read, never the password.
 */
import { createHash } from 'node:crypto';
import { createPrompter } from '../../src/cli/prompt.js';

const prompter = createPrompter(process.stdin, process.stdout);
try {
  const email = await prompter.ask('Blink email: ');
  const password = await prompter.ask('Blink password: ', { secret: true });
  const digest = createHash('sha256').update(password).digest('hex');
  process.stdout.write(`ANSWERS ${JSON.stringify({ tty: process.stdin.isTTY === true, email, length: password.length, digest })}\n`);
} finally {
  prompter.close();
}
