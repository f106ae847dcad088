/** Every row of every table of a SQLite file, as one string: "zero state change" means this is unchanged. */
import Database from 'better-sqlite3';
import { z } from 'zod';

export function dbSnapshot(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = z.array(z.object({ name: z.string() })).parse(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all());
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}
