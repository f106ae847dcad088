/**
 * `rotate-key --new-key <hex|base64>`: opens every stored token with the current key and
 * seals it with the new one, reading and writing in one transaction (all or nothing).
 * Refused while a bot process holds the database lock: a running bot would keep sealing
 * refreshed tokens with the old key. With SECRET_KEY set, prints what to set next;
 * otherwise replaces secret.key. The new key is written to a temp file (0600, synced)
 * before the database changes and renamed into place after the commit, so at every moment
 * each sealed token opens with a key that is on disk: before the commit the old key file,
 * after it the temp file (which the bot names at start if the rename never happened).
 */
import { renameSync, rmSync } from 'node:fs';
import { decodeSecretKey } from '../../config/index.js';
import { lockDatabase } from '../../db/index.js';
import { createSealer, writeKeyTempFile } from '../../secrets/index.js';
import { CliError, type CliContext } from '../context.js';
import { UsageError } from '../usage.js';

export function rotateKey(ctx: CliContext, newKeyText: string | undefined): void {
  if (!newKeyText) throw new UsageError('rotate-key needs --new-key: 64 hex digits or the base64 of 32 bytes');
  const newKey = decodeSecretKey(newKeyText);
  if (!newKey) throw new UsageError('--new-key must be 32 bytes written as 64 hex digits or base64');
  if (newKey.equals(ctx.key.key)) throw new UsageError('--new-key is the key in use already');
  const lock = lockDatabase(ctx.config.databasePath, {
    waitMs: 0,
    holderHint:
      `a blink-bot process is running with ${ctx.config.databasePath}; stop it first ` +
      '(docker compose stop, or systemctl stop blink-bot), run rotate-key, then start it again',
  });
  try {
    resealUnderLock(ctx, newKey);
  } finally {
    lock.release();
  }
}

function resealUnderLock(ctx: CliContext, newKey: Buffer): void {
  const oldSealer = createSealer(ctx.key.key);
  const newSealer = createSealer(newKey);
  // With SECRET_KEY the operator keeps the key; otherwise it goes to disk before the commit.
  const tempPath = ctx.key.source === 'env' ? undefined : writeKeyTempFile(ctx.key.keyPath, newKey);
  let count: number;
  try {
    count = ctx.repos.sessions.resealAll((sealed, owner, id) => {
      let plain: string;
      try {
        plain = oldSealer.open(sealed, owner);
      } catch {
        throw new CliError(`session ${id} cannot be opened with the current key; nothing was changed`);
      }
      return newSealer.seal(plain, owner);
    });
  } catch (error) {
    if (tempPath !== undefined) rmSync(tempPath, { force: true });
    throw error;
  }
  if (tempPath === undefined) {
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
  ctx.out(`Re-sealed ${count} session(s) under the new key (id ${newSealer.keyId.toString('hex')}); wrote ${ctx.key.keyPath}. Start the bot again.`);
}
