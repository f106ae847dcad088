/**
 * `login`: email, password, then the 2FA code if Blink asks, like blinkpy's `Blink.start()`.
 * Non-interactive like blinkpy's `Auth(json_load(file), no_prompt=True)` +
 * `send_auth_key(code)`: `--credentials file.json` ({"username"|"email", "password"}) and
 * `--code 123456`, or `--code -` to read the code Blink sent as one line from stdin.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { codeChannelText } from '../../core/user-error.js';
import { maskEmail } from '../../log.js';
import { CLI_OWNER, CliError, type CliContext } from '../context.js';
import { createPrompter } from '../prompt.js';
import { UsageError } from '../usage.js';

const CredentialsFile = z
  .object({ username: z.string().min(1).optional(), email: z.string().min(1).optional(), password: z.string().min(1).optional() })
  .refine((c) => c.username !== undefined || c.email !== undefined, { message: 'needs "username" or "email"' });

/**
 * Errors name the file and what is wrong, never its content: JSON.parse's message quotes
 * the text around a syntax error (part of the password), and schema messages may quote values.
 */
async function readCredentials(file: string): Promise<{ email: string; password: string | undefined }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    throw new CliError(`cannot read the credentials file ${file}${code}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`the credentials file ${file} is not valid JSON; expected {"username": "...", "password": "..."}`);
  }
  const parsed = CredentialsFile.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new CliError(
      `the credentials file ${file} ${where === '' ? 'needs "username" (or "email") and may hold "password"' : `has an unusable "${where}"`}; expected {"username": "...", "password": "..."}`,
    );
  }
  return { email: parsed.data.username ?? parsed.data.email ?? '', password: parsed.data.password };
}

export async function login(ctx: CliContext, options: { credentials?: string; code?: string }): Promise<void> {
  if (options.code !== undefined && options.code !== '-' && !/^[0-9A-Za-z]{4,10}$/.test(options.code)) {
    throw new UsageError('--code takes the code Blink sent (digits), or - to read it from stdin');
  }
  const prompter = createPrompter(ctx.io.stdin, ctx.io.stderr);
  try {
    const fromFile = options.credentials ? await readCredentials(options.credentials) : undefined;
    const email = fromFile?.email ?? (await prompter.ask('Blink email: '));
    const password = fromFile?.password ?? (await prompter.ask('Blink password: ', { secret: true }));
    const step = await ctx.blink.login(email, password, { hardwareId: ctx.sessions.hardwareIdFor(CLI_OWNER) });
    let data;
    if (step.kind === 'done') data = step.session;
    else {
      const via = codeChannelText(step.pending.codeSentVia);
      let code = options.code;
      if (code === undefined) code = await prompter.ask(`Blink sent a code${via}. Code: `);
      else if (code === '-') code = await prompter.ask('');
      data = await step.pending.submitCode(code);
    }
    const session = ctx.sessions.saveLogin(CLI_OWNER, data, email);
    ctx.out(`Logged in to Blink as ${maskEmail(session.email)} (account ${session.accountId}); session saved in ${ctx.config.databasePath}`);
  } finally {
    prompter.close();
  }
}

export async function logout(ctx: CliContext): Promise<void> {
  const session = ctx.repos.sessions.getByOwner(CLI_OWNER);
  if (!session) {
    ctx.out('Not logged in; nothing to do.');
    return;
  }
  try {
    const { account } = ctx.account();
    await account.logout();
  } catch (error) {
    // Logging out at Blink is best effort; the local tokens go regardless.
    ctx.log.debug({ err: error }, 'blink logout failed');
  }
  ctx.sessions.remove(session.id);
  ctx.out('Logged out; the session and its tokens were deleted.');
}
