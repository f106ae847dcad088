/**
 * The "is this clip a new alert?" rule (docs/chat-contract.md §5, F12–F14, property P1), pure
 * so it can be checked exhaustively. A clip alerts when it is not deleted, was recorded by
 * motion or a doorbell press (not a snapshot or live view, not recorded on request), was created at or after the
 * cutoff, and was never seen before. The cutoff is Blink's time of the baseline poll (minus
 * a tolerance), so our clock plays no part (F14); the baseline poll itself alerts nothing.
 * Partial clips are held until complete. Clips older than `maxAgeMs` (by Blink's clock)
 * and the overflow beyond `backlogCap` become one summary line per chat (F34).
 */
import type { BlinkClip, Watermark } from '../blink/types.js';
import type { NewOutboxRow, SeenClip } from './alert-store.js';
import { clipPayload } from './alert-payload.js';

/** Product types that are doorbells (docs/blink-api.md, "Devices": doorbell = `lotus`). */
const DOORBELL_TYPES = new Set(['lotus', 'doorbell']);
/** Not recordings of an event. */
const NON_EVENT_SOURCES = new Set(['snapshot', 'liveview', 'live_view', 'thumbnail']);

type ClipEvent = 'motion' | 'ring';

/** Motion, ring, or undefined when the clip is not an event worth an alert. */
function clipEvent(clip: BlinkClip, isDoorbell: (clip: BlinkClip) => boolean): ClipEvent | undefined {
  if (NON_EVENT_SOURCES.has(clip.source)) return undefined;
  // A 'button' clip from something that is not a doorbell is still an event: alert as motion.
  return clip.source === 'button' && isDoorbell(clip) ? 'ring' : 'motion';
}

export function isDoorbellType(deviceType: string | undefined): boolean {
  return deviceType !== undefined && DOORBELL_TYPES.has(deviceType.toLowerCase());
}

export interface DecisionInput {
  sessionId: string;
  /** Cutoff (epoch ms, Blink's clock); clips created before it are history. */
  linkedAtMs: number;
  /** The baseline poll: every clip is history, marked seen, nothing alerts. */
  baseline?: boolean;
  /** Clips older than this (at `ageNow`) are summarised, not sent. Default: no limit. */
  maxAgeMs?: number;
  /** "Now" for clip ages, Blink's clock when known (the check's Date header). Default `now`. */
  ageNow?: number;
  clips: readonly BlinkClip[];
  watermark: Watermark;
  isSeen: (mediaId: string) => boolean;
  isDoorbell: (clip: BlinkClip) => boolean;
  /** Clips the bot recorded on request (/record): seen, never announced. */
  isRequested?: (clip: BlinkClip) => boolean;
  /** Chats that want alerts for this camera now (active, alerts on, camera on). */
  targets: (cameraId: string) => readonly string[];
  /** Partial clips held since (local ms), by media id; updated in place. */
  held: Map<string, number>;
  now: number;
  partialTimeoutMs: number;
  /** Newest N alerts per chat in one poll; older ones become one summary line. */
  backlogCap: number;
}

export interface Decision {
  seen: SeenClip[];
  outbox: NewOutboxRow[];
  /** What to store as the cursor: held partial clips keep it from passing them. */
  watermark: Watermark;
}

export function decideClips(input: DecisionInput): Decision {
  const seen: SeenClip[] = [];
  const alerts: { clip: BlinkClip; event: ClipEvent; partial: boolean }[] = [];
  let watermark = input.watermark;
  const inCheck = new Set<string>();
  for (const clip of input.clips) {
    if (inCheck.has(clip.id)) continue; // overlapping pages may repeat an id
    inCheck.add(clip.id);
    if (input.isSeen(clip.id)) {
      input.held.delete(clip.id);
      continue;
    }
    const record: SeenClip = {
      mediaId: clip.id,
      cameraId: clip.cameraId,
      networkId: clip.networkId,
      createdAtMs: clip.createdAtMs,
      source: clip.source,
    };
    const event = input.isRequested?.(clip) === true ? undefined : clipEvent(clip, input.isDoorbell);
    if (input.baseline === true || clip.deleted || event === undefined || clip.createdAtMs < input.linkedAtMs) {
      input.held.delete(clip.id);
      seen.push(record);
      continue;
    }
    if (clip.partial) {
      const since = input.held.get(clip.id) ?? input.now;
      input.held.set(clip.id, since);
      if (input.now - since < input.partialTimeoutMs) {
        // Keep the cursor at or before this clip, so the next check reports it again.
        if (clip.updatedAtMs < watermark.updatedAtMs) watermark = { updatedAt: clip.updatedAt, updatedAtMs: clip.updatedAtMs };
        continue;
      }
    }
    input.held.delete(clip.id);
    seen.push(record);
    alerts.push({ clip, event, partial: clip.partial });
  }
  alerts.sort((a, b) => a.clip.createdAtMs - b.clip.createdAtMs || a.clip.id.localeCompare(b.clip.id));

  const perChat = new Map<string, typeof alerts>();
  for (const alert of alerts) {
    for (const chat of input.targets(alert.clip.cameraId)) {
      const list = perChat.get(chat) ?? [];
      list.push(alert);
      perChat.set(chat, list);
    }
  }
  const outbox: NewOutboxRow[] = [];
  const ageNow = input.ageNow ?? input.now;
  const tooOld = (a: (typeof alerts)[number]): boolean => input.maxAgeMs !== undefined && ageNow - a.clip.createdAtMs > input.maxAgeMs;
  for (const [chat, list] of perChat) {
    // `list` is oldest first, so the too-old ones lead; the cap applies to the rest.
    const fresh = list.filter((a) => !tooOld(a));
    const old = list.length - fresh.length;
    const overflow = fresh.length > input.backlogCap ? fresh.length - input.backlogCap : 0;
    const skipped = list.slice(0, old + overflow);
    const kept = list.slice(skipped.length);
    for (const a of skipped) {
      outbox.push({ sessionId: input.sessionId, mediaId: a.clip.id, chat, kind: a.event, payload: clipPayload(a.clip, a.partial), state: 'skipped' });
    }
    const last = skipped[skipped.length - 1];
    if (last) {
      const text = `${skipped.length} older clip${skipped.length === 1 ? '' : 's'} skipped (see /clips).`;
      outbox.push({ sessionId: input.sessionId, mediaId: `backlog:${last.clip.id}`, chat, kind: 'text', payload: { text } });
    }
    for (const a of kept) {
      outbox.push({ sessionId: input.sessionId, mediaId: a.clip.id, chat, kind: a.event, payload: clipPayload(a.clip, a.partial) });
    }
  }
  return { seen, outbox, watermark };
}
