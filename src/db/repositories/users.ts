import type { Database } from 'better-sqlite3';

export interface User {
  /** 'tg:123' or 'dc:456'. */
  readonly id: string;
  readonly displayName: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface UserRow {
  id: string;
  display_name: string | null;
  created_at: number;
  updated_at: number;
}

const toUser = (r: UserRow): User => ({ id: r.id, displayName: r.display_name, createdAt: r.created_at, updatedAt: r.updated_at });

export function createUsersRepository(db: Database) {
  const upsertStmt = db.prepare<[string, string | null, number, number]>(
    `INSERT INTO users (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET display_name = ifnull(excluded.display_name, display_name), updated_at = excluded.updated_at`,
  );
  const getStmt = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  return {
    /** Creates the user or refreshes its display name (a null name keeps the old one). */
    upsert(user: { id: string; displayName?: string | null }, now: number): void {
      upsertStmt.run(user.id, user.displayName ?? null, now, now);
    },
    get(id: string): User | undefined {
      const row = getStmt.get(id);
      return row && toUser(row);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
