import type { Database } from 'better-sqlite3';
import { type ChatLink, type QuietHours, toChatLink } from './links.js';

export interface CameraAlertSetting {
  readonly chat: string;
  readonly cameraId: string;
  readonly enabled: boolean;
  readonly mutedUntil: number | null;
  readonly updatedAt: number;
}

/**
 * Whether a motion alert goes to a chat. Quiet hours do not stop an alert (it arrives
 * silently, and a ring ignores them): they are returned for the caller, which knows TZ.
 */
export type AlertDecision =
  | { readonly send: true; readonly quietHours: QuietHours | null }
  | {
      readonly send: false;
      readonly reason: 'not-linked' | 'inactive' | 'alerts-off' | 'camera-off' | 'chat-muted' | 'camera-muted';
    };

interface SettingRow {
  chat: string;
  camera_id: string;
  enabled: number;
  muted_until: number | null;
  updated_at: number;
}

const toSetting = (r: SettingRow): CameraAlertSetting => ({
  chat: r.chat,
  cameraId: r.camera_id,
  enabled: r.enabled === 1,
  mutedUntil: r.muted_until,
  updatedAt: r.updated_at,
});

/**
 * True when local wall-clock minute `minuteOfDay` (0..1439) falls inside the window,
 * start inclusive, end exclusive; a window like 22:00-07:00 crosses midnight.
 */
export function isWithinQuietHours(hours: QuietHours, minuteOfDay: number): boolean {
  const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

export function createAlertSettingsRepository(db: Database) {
  const setEnabled = db.prepare<[string, string, number, number]>(
    `INSERT INTO camera_alert_settings (chat, camera_id, enabled, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (chat, camera_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
  );
  const setMuted = db.prepare<[string, string, number | null, number]>(
    `INSERT INTO camera_alert_settings (chat, camera_id, enabled, muted_until, updated_at) VALUES (?, ?, 1, ?, ?)
     ON CONFLICT (chat, camera_id) DO UPDATE SET muted_until = excluded.muted_until, updated_at = excluded.updated_at`,
  );
  const clearMutes = db.prepare<[number, string]>('UPDATE camera_alert_settings SET muted_until = NULL, updated_at = ? WHERE chat = ?');
  const get = db.prepare<[string, string], SettingRow>('SELECT * FROM camera_alert_settings WHERE chat = ? AND camera_id = ?');
  const list = db.prepare<[string], SettingRow>('SELECT * FROM camera_alert_settings WHERE chat = ? ORDER BY camera_id');
  const linkRow = db.prepare<[string], Parameters<typeof toChatLink>[0]>('SELECT * FROM chat_links WHERE chat = ?');

  return {
    /** "/alerts on|off <camera>". The chat must be linked (foreign key), else it throws. */
    setCameraEnabled(chat: string, cameraId: string, enabled: boolean, now: number): void {
      setEnabled.run(chat, cameraId, enabled ? 1 : 0, now);
    },
    /** "/mute <camera> <duration>" (epoch ms), or null to unmute. */
    setCameraMutedUntil(chat: string, cameraId: string, until: number | null, now: number): void {
      setMuted.run(chat, cameraId, until, now);
    },
    /** "/mute off": ends every camera mute in the chat (the chat-wide mute lives on the link). */
    clearCameraMutes(chat: string, now: number): number {
      return clearMutes.run(now, chat).changes;
    },
    get(chat: string, cameraId: string): CameraAlertSetting | undefined {
      const row = get.get(chat, cameraId);
      return row && toSetting(row);
    },
    listForChat(chat: string): CameraAlertSetting[] {
      return list.all(chat).map(toSetting);
    },
    /** The chat link plus camera setting, folded into one decision at `now` (epoch ms). */
    shouldAlert(chat: string, cameraId: string, now: number): AlertDecision {
      const row = linkRow.get(chat);
      if (!row) return { send: false, reason: 'not-linked' };
      const link: ChatLink = toChatLink(row);
      if (!link.active) return { send: false, reason: 'inactive' };
      if (!link.alertsEnabled) return { send: false, reason: 'alerts-off' };
      const camera = get.get(chat, cameraId);
      if (camera && camera.enabled !== 1) return { send: false, reason: 'camera-off' };
      if (link.mutedUntil !== null && link.mutedUntil > now) return { send: false, reason: 'chat-muted' };
      if (camera && camera.muted_until !== null && camera.muted_until > now) return { send: false, reason: 'camera-muted' };
      return { send: true, quietHours: link.quietHours };
    },
  };
}

export type AlertSettingsRepository = ReturnType<typeof createAlertSettingsRepository>;
