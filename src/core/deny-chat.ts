/**
 * /deny takes effect at once (docs/chat-contract.md §3): the key leaves the allowlist, every link of a
 * chat it admitted (and no other key still admits) is removed with its pending alerts, and
 * each session owner affected is told once, in their own private chat, through the outbox.
 * All in one transaction: a crash leaves either the chat allowed and linked, or neither.
 */
import type { Repositories } from '../db/index.js';
import { linkAllowed } from './chat-access.js';

export interface DenyResult {
  /** The key was on the allowlist. */
  removed: boolean;
  /** Chats whose links were removed. */
  unlinked: string[];
}

export function denyChat(repos: Repositories, key: string, now: number): DenyResult {
  return repos.transaction(() => {
    const removed = repos.allowlist.remove(key);
    const unlinked: string[] = [];
    const bySession = new Map<string, string[]>();
    for (const link of repos.links.admittedBy(key)) {
      // A channel allowed in its own right stays when only its guild is denied.
      if (link.chat !== key && linkAllowed(repos.allowlist, link)) continue;
      repos.links.unlink(link.chat);
      repos.outbox.skipPendingForChat(link.chat, 'chat denied');
      unlinked.push(link.chat);
      bySession.set(link.sessionId, [...(bySession.get(link.sessionId) ?? []), link.chat]);
    }
    for (const [sessionId, chats] of bySession) {
      const owner = repos.sessions.getById(sessionId)?.ownerUserId;
      // The owner's private chat has the owner's id as its key; never the denied chat itself.
      if (owner === undefined || chats.includes(owner) || !repos.allowlist.has(owner)) continue;
      const text = `An admin removed ${chats.join(', ')} from the allowlist: ${chats.length === 1 ? 'it no longer uses' : 'they no longer use'} your Blink session and get no alerts.`;
      repos.outbox.enqueue({ sessionId, mediaId: `deny:${key}:${now}`, chat: owner, kind: 'text', payload: { text } }, now);
    }
    return { removed, unlinked };
  });
}
