/**
 * `backup <file>`: an online, consistent copy of the database (SQLite's backup API through
 * better-sqlite3), safe while the bot runs. The copy is created 0600 (it holds the sealed
 * tokens and chat ids) and never over an existing file. The sealed tokens need the key
 * too: it is not in the copy, on purpose.
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import { CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export async function backup(ctx: CliContext, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError('backup needs the file to write, e.g. backup /data/backup.sqlite');
  try {
    // Exclusive create: an existing file is refused, and the mode is set before any byte lands.
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    const exists = error instanceof Error && 'code' in error && error.code === 'EEXIST';
    throw new CliError(exists ? `${file} already exists; choose a new file name` : `cannot create ${file}`);
  }
  try {
    await ctx.db.backup(file);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
  const keyHint = ctx.key.source === 'env' ? 'SECRET_KEY' : ctx.key.keyPath;
  ctx.out(`Backed up ${ctx.config.databasePath} to ${file}. Keep ${keyHint} safe as well (separately): the stored tokens need it.`);
}
