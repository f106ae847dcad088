/**
 * What a private chat that is not served may cost us: one answer a minute (naming its id, so
 * its owner can ask an admin), and nothing else. Everything beyond that is dropped before it
 * is queued or answered, on every front end, so a stranger flooding a private chat cannot
 * fill a queue, the chat platform's rate limit or the log. A group or channel that is not
 * served answers each command (the reply tells its admins what to allow; its queue is
 * capped by the front end). See docs/security.md, "Bounded by design".
 */
import type { Clock } from '../clock.js';
import { createBoundedMap } from './bounded-map.js';
import type { Caller, ChatContext, Dispatcher } from './inbound.js';

/** A chat that is not served gets at most one answer per this long. */
export const STRANGER_REPLY_EVERY_MS = 60_000;
/** Chats whose last refusal is remembered; beyond this the oldest is forgotten (and may be answered again). */
const MAX_REMEMBERED_CHATS = 10_000;

export interface StrangerGate {
  /**
   * True when the message should be handled: the chat is served (or the caller is an admin),
   * or it is a group, or a private chat that has had no answer for a minute (`answerable`
   * false: plain text that deserves no answer at all, so it is never admitted from a stranger).
   */
  admit(chat: ChatContext, caller: Caller, answerable: boolean): boolean;
}

export function createStrangerGate(deps: { dispatcher: Pick<Dispatcher, 'admits'>; clock: Pick<Clock, 'now'> }): StrangerGate {
  const answeredAt = createBoundedMap<string, true>({ clock: deps.clock, maxEntries: MAX_REMEMBERED_CHATS, ttlMs: STRANGER_REPLY_EVERY_MS });
  return {
    admit(chat, caller, answerable) {
      if (deps.dispatcher.admits === undefined || deps.dispatcher.admits(chat, caller)) return true;
      if (!answerable) return false;
      if (chat.kind !== 'private') return true;
      if (answeredAt.has(chat.id)) return false;
      answeredAt.set(chat.id, true);
      return true;
    },
  };
}
