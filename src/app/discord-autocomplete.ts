/**
 * Discord autocomplete choices (camera, network, clip) from the chat's Blink session.
 * Empty for chats that are not allowlisted or have no usable session. Inventory and the
 * clip list are cached per session for a minute, so typing does not cost a Blink request
 * per keystroke, and an answer usually fits Discord's 3-second window.
 */
import type { Clock } from '../clock.js';
import { createBoundedMap } from '../core/bounded-map.js';
import { chatAllowed } from '../core/chat-access.js';
import type { AutocompleteKind } from '../core/define-command.js';
import type { Caller, ChatContext } from '../core/inbound.js';
import type { SessionManager } from '../core/session-manager.js';
import type { Repositories } from '../db/index.js';
import type { Choice } from '../discord/autocomplete.js';

const TTL_MS = 60_000;
/** Sessions cached at once; the oldest go first. */
const AUTOCOMPLETE_CACHE_ENTRIES = 1000;

export function createDiscordAutocomplete(deps: { repos: Repositories; sessions: SessionManager; clock: Clock }) {
  const cache = createBoundedMap<string, Choice[]>({ clock: deps.clock, maxEntries: AUTOCOMPLETE_CACHE_ENTRIES, ttlMs: TTL_MS });
  const cached = async (key: string, load: () => Promise<Choice[]>): Promise<Choice[]> => {
    const hit = cache.get(key);
    if (hit) return hit;
    const choices = await load();
    cache.set(key, choices);
    return choices;
  };
  return async (kind: AutocompleteKind, chat: ChatContext, caller: Caller): Promise<Choice[]> => {
    if (!chatAllowed(deps.repos.allowlist, chat)) return [];
    let linked;
    try {
      linked = deps.sessions.accountForChat(chat, caller);
    } catch {
      return [];
    }
    if (!linked) return [];
    const { session, account } = linked;
    if (kind === 'clip') {
      return cached(`${session.id}:clip`, async () => {
        const { clips } = await account.listClips({ page: 1 });
        return clips
          .filter((c) => !c.deleted)
          .slice(0, 25)
          .map((c) => ({ name: `${c.id} · ${c.cameraName} · ${c.createdAt}`, value: c.id }));
      });
    }
    const inventory = await cached(`${session.id}:inv`, async () => {
      const inv = await account.inventory();
      return [
        ...inv.cameras.map((c) => ({ name: `camera:${c.name}`, value: c.name })),
        ...inv.networks.map((n) => ({ name: `network:${n.name}`, value: n.name })),
      ];
    });
    const prefix = `${kind}:`;
    return inventory.filter((c) => c.name.startsWith(prefix)).map((c) => ({ name: c.name.slice(prefix.length), value: c.value }));
  };
}
