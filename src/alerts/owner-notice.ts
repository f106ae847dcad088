/**
 * Notices to a session's owner ("please /login again", "Blink unreachable", "a chat is
 * gone"), queued in the outbox like any alert so they survive restarts and are sent once
 * (the dedupe key names the incident).
 */
import type { LinksRepository } from '../db/repositories/links.js';
import type { SessionsRepository } from '../db/repositories/sessions.js';
import type { AlertStore } from './alert-store.js';

export function createOwnerNotices(deps: { store: AlertStore; links: LinksRepository; sessions: SessionsRepository }) {
  /** The owner's private chat when linked, else a chat they linked, else any active linked chat. */
  const ownerChat = (sessionId: string, except?: string): string | undefined => {
    const session = deps.sessions.getById(sessionId);
    const chats = deps.links.listBySession(sessionId).filter((l) => l.active && l.chat !== except);
    const owner = session?.ownerUserId;
    return chats.find((l) => l.chat === owner)?.chat ?? chats.find((l) => l.linkedBy === owner)?.chat ?? chats[0]?.chat;
  };
  return {
    ownerChat,
    /** Queues `text` for the owner under `key`; false when no chat can take it or it was queued before. */
    tell(sessionId: string, key: string, text: string, now: number, except?: string): boolean {
      const chat = ownerChat(sessionId, except);
      if (!chat) return false;
      return deps.store.enqueue({ sessionId, mediaId: key, chat, kind: 'text', payload: { text } }, now);
    },
  };
}

export type OwnerNotices = ReturnType<typeof createOwnerNotices>;
