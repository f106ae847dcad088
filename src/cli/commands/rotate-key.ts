/**
 * `rotate-key --new-key <hex|base64>`: opens every stored token with the current key and
 * seals it with the new one, all in one transaction (all or nothing). With SECRET_KEY
 * set, prints the value to set next; otherwise replaces secret.key atomically. The new key
 * file is written (to a temp file) before the database changes, and renamed into place
 * after the commit, so there is no moment when neither key could be found.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { decodeSecretKey } from '../../config/index.js';
import { createSealer } from '../../secrets/index.js';
import { CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

interface Row {
  id: string;
  owner_user_id: string;
  sealed_tokens: Buffer;
}

export function rotateKey(ctx: CliContext, newKeyText: string | undefined): void {
  if (!newKeyText) throw new UsageError('rotate-key --new-key <64 hex digits | base64 of 32 bytes>');
  const newKey = decodeSecretKey(newKeyText);
  if (!newKey) throw new UsageError('--new-key must be 32 bytes written as 64 hex digits or base64');
  if (newKey.equals(ctx.key.key)) throw new UsageError('--new-key is the key in use already');
  const oldSealer = createSealer(ctx.key.key);
  const newSealer = createSealer(newKey);

  const fromEnv = ctx.key.source === 'env';
  const tempPath = `${ctx.key.keyPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  if (!fromEnv) {
    const fd = openSync(tempPath, 'wx', 0o600);
    try {
      writeSync(fd, `${newKey.toString('hex')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  let count = 0;
  try {
    const rows = ctx.db.prepare<[], Row>('SELECT id, owner_user_id, sealed_tokens FROM blink_sessions WHERE sealed_tokens IS NOT NULL').all();
    const update = ctx.db.prepare<[Buffer, string]>('UPDATE blink_sessions SET sealed_tokens = ? WHERE id = ?');
    ctx.db.transaction(() => {
      for (const row of rows) {
        let plain: string;
        try {
          plain = oldSealer.open(row.sealed_tokens, row.owner_user_id);
        } catch {
          throw new CliError(`session ${row.id} cannot be opened with the current key; nothing was changed`);
        }
        update.run(newSealer.seal(plain, row.owner_user_id), row.id);
        count++;
      }
    })();
  } catch (error) {
    if (!fromEnv) rmSync(tempPath, { force: true });
    throw error;
  }
  if (fromEnv) {
    ctx.out(`Re-sealed ${count} session(s) under the new key (id ${newSealer.keyId.toString('hex')}).`);
    ctx.out(`Now set SECRET_KEY=${newKey.toString('hex')} and restart the bot; the old key no longer opens them.`);
    return;
  }
  try {
    renameSync(tempPath, ctx.key.keyPath);
  } catch (error) {
    throw new CliError(
      `re-sealed ${count} session(s), but could not replace ${ctx.key.keyPath} (${error instanceof Error ? error.message : String(error)}); ` +
        `the new key is in ${tempPath}: move it there by hand`,
    );
  }
  ctx.out(`Re-sealed ${count} session(s) under the new key (id ${newSealer.keyId.toString('hex')}); wrote ${ctx.key.keyPath}. Restart the bot.`);
}
