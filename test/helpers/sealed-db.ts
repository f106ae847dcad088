/**
 * A migrated database with sessions sealed under a generated `secret.key` beside it, and
 * the means to check later that neither the files nor the rows changed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { createRepositories, openDatabase } from '../../src/db/index.js';
import { createSealer, loadOrCreateKey } from '../../src/secrets/index.js';
import { tempDir } from './temp-dir.js';

export interface SealedDb {
  dir: string;
  dbPath: string;
  keyPath: string;
  key: Buffer;
  owners: string[];
}

export function sealedDb(t: TestContext, sessions: number, prefix = 'sealed-db-'): SealedDb {
  const dir = tempDir(t, prefix);
  const dbPath = path.join(dir, 'bot.sqlite');
  const db = openDatabase({ path: dbPath });
  const { key, keyPath } = loadOrCreateKey({ secretKeyFromEnv: undefined, databasePath: dbPath });
  const sealer = createSealer(key);
  const repos = createRepositories(db);
  const owners: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const owner = `tg:${500_000 + i}`;
    owners.push(owner);
    const tokens = JSON.stringify({
      accountId: String(i),
      tier: 'u011',
      hardwareId: 'hw',
      accessToken: `at-${i}-${randomBytes(8).toString('hex')}`,
      refreshToken: `rt-${i}`,
      accessExpiresAt: 0,
    });
    repos.sessions.saveForOwner(
      {
        ownerUserId: owner,
        accountId: String(i),
        tier: 'u011',
        hardwareId: 'hw',
        email: `u${i}@example.com`,
        sealedTokens: sealer.seal(tokens, owner),
        accessExpiresAt: 0,
      },
      Date.now(),
    );
  }
  db.close();
  return { dir, dbPath, keyPath, key, owners };
}

export const readKey = (file: string): Buffer => Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');

const Row = z.object({ owner_user_id: z.string(), state: z.string(), sealed_tokens: z.instanceof(Buffer).nullable() });

/** Every session row (owner, state, sealed bytes), for before/after comparisons. */
export function sessionRows(dbPath: string): z.output<typeof Row>[] {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return z.array(Row).parse(db.prepare('SELECT owner_user_id, state, sealed_tokens FROM blink_sessions ORDER BY owner_user_id').all());
  } finally {
    db.close();
  }
}

/** Names, sizes, modification times and hashes of every file in `dir`: equal snapshots mean nothing changed. */
export function folderSnapshot(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const st = statSync(file);
      const hash = st.isFile() ? createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) : 'dir';
      return `${name} ${st.size} ${st.mtimeMs} ${(st.mode & 0o777).toString(8)} ${hash}`;
    });
}
