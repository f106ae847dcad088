import type { Database } from 'better-sqlite3';

export interface AllowedChat {
  /** 'tg:-100123' or 'dc:456'. */
  readonly chat: string;
  /** 'env' (ALLOWED_CHATS) or the admin's user id. */
  readonly addedBy: string | null;
  readonly addedAt: number;
}

interface AllowedChatRow {
  chat: string;
  added_by: string | null;
  added_at: number;
}

export function createAllowlistRepository(db: Database) {
  const insert = db.prepare<[string, string | null, number]>(
    'INSERT INTO allowed_chats (chat, added_by, added_at) VALUES (?, ?, ?) ON CONFLICT (chat) DO NOTHING',
  );
  const remove = db.prepare<[string]>('DELETE FROM allowed_chats WHERE chat = ?');
  const has = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM allowed_chats WHERE chat = ?');
  const list = db.prepare<[], AllowedChatRow>('SELECT * FROM allowed_chats ORDER BY chat');
  const seed = db.transaction((chats: readonly string[], now: number): number => {
    let added = 0;
    for (const chat of chats) added += insert.run(chat, 'env', now).changes;
    return added;
  });
  return {
    add(chat: string, addedBy: string | null, now: number): 'inserted' | 'already' {
      return insert.run(chat, addedBy, now).changes > 0 ? 'inserted' : 'already';
    },
    /** True when the chat was on the list. */
    remove(chat: string): boolean {
      return remove.run(chat).changes > 0;
    },
    has(chat: string): boolean {
      return has.get(chat) !== undefined;
    },
    list(): AllowedChat[] {
      return list.all().map((r) => ({ chat: r.chat, addedBy: r.added_by, addedAt: r.added_at }));
    },
    /**
     * Adds ALLOWED_CHATS at start (added_by 'env'), in one transaction. Chats already
     * present are left alone; a chat an admin denied is added again, as the operator asked.
     * Returns how many were new.
     */
    seedFromEnv(chats: readonly string[], now: number): number {
      return seed(chats, now);
    },
  };
}

export type AllowlistRepository = ReturnType<typeof createAllowlistRepository>;
