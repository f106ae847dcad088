/**
 * `backup <file>`: an online, consistent copy of the database (SQLite's backup API through
 * better-sqlite3), safe while the bot runs. The sealed tokens need the key too: it is not
 * in the copy, on purpose.
 */
import { existsSync } from 'node:fs';
import { CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export async function backup(ctx: CliContext, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError('backup <file>');
  if (existsSync(file)) throw new CliError(`${file} already exists; choose a new file name`);
  await ctx.db.backup(file);
  const keyHint = ctx.key.source === 'env' ? 'SECRET_KEY' : ctx.key.keyPath;
  ctx.out(`Backed up ${ctx.config.databasePath} to ${file}. Keep ${keyHint} safe as well (separately): the stored tokens need it.`);
}
