import type { Database } from 'better-sqlite3';

export interface DeviceHealth {
  readonly sessionId: string;
  readonly deviceId: string;
  /** What is tracked, e.g. 'online', 'battery'. */
  readonly kind: string;
  readonly state: string;
  readonly changedAt: number;
}

interface HealthRow {
  session_id: string;
  device_id: string;
  kind: string;
  state: string;
  changed_at: number;
}

const toHealth = (r: HealthRow): DeviceHealth => ({
  sessionId: r.session_id,
  deviceId: r.device_id,
  kind: r.kind,
  state: r.state,
  changedAt: r.changed_at,
});

export function createHealthRepository(db: Database) {
  const get = db.prepare<[string, string, string], HealthRow>('SELECT * FROM device_health WHERE session_id = ? AND device_id = ? AND kind = ?');
  const upsert = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO device_health (session_id, device_id, kind, state, changed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id, device_id, kind) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at
     WHERE state <> excluded.state`,
  );
  const list = db.prepare<[string], HealthRow>('SELECT * FROM device_health WHERE session_id = ? ORDER BY device_id, kind');
  const record = db.transaction((h: Omit<DeviceHealth, 'changedAt'>, now: number) => {
    const before = get.get(h.sessionId, h.deviceId, h.kind);
    upsert.run(h.sessionId, h.deviceId, h.kind, h.state, now);
    return { changed: before !== undefined && before.state !== h.state, previous: before?.state ?? null };
  });
  return {
    get(sessionId: string, deviceId: string, kind: string): DeviceHealth | undefined {
      const row = get.get(sessionId, deviceId, kind);
      return row && toHealth(row);
    },
    /**
     * Stores the observed state. `changed` is true only when a different state was stored
     * before: the first observation is a baseline, not news.
     */
    record(health: Omit<DeviceHealth, 'changedAt'>, now: number): { changed: boolean; previous: string | null } {
      return record(health, now);
    },
    listForSession(sessionId: string): DeviceHealth[] {
      return list.all(sessionId).map(toHealth);
    },
  };
}
