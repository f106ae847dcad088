/**
 * `npm run demo -- --telegram|--discord`: the bot answers a real chat app, so it must not
 * answer everyone who finds it. A one-time code is printed on the terminal; the first chat
 * that sends it (a plain message, `/start <code>` or `/pin <code>`, which is what a Discord
 * user can type) is allowlisted, and the code is spent. Every other event goes to the app's
 * dispatcher unchanged, whose allowlist then decides as always.
 */
import { randomInt } from 'node:crypto';
import type { Dispatcher, Inbound } from '../core/inbound.js';
import { reply } from '../core/reply.js';

export interface ChatCodeGate {
  readonly code: string;
  /** Resolves with the chat id once a chat has sent the code. */
  readonly claimed: Promise<string>;
  wrap(inner: Dispatcher): Dispatcher;
}

export interface ChatCodeDeps {
  isAllowed(chatIds: readonly string[]): boolean;
  allow(chatId: string): void;
  /** Default: six random digits. */
  code?: string;
  /** What the new chat is told to do next. */
  welcome: string;
}

/** The text of an event that might carry the code. */
function typed(inbound: Inbound): string | undefined {
  const { event } = inbound;
  if (event.type === 'text') return event.text;
  if (event.type !== 'command' || !['start', 'pin'].includes(event.name.replace(/^\//, '').toLowerCase())) return undefined;
  return event.options?.['code'] ?? event.text;
}

export function createChatCodeGate(deps: ChatCodeDeps): ChatCodeGate {
  const code = deps.code ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
  let spent = false;
  let onClaim: (chatId: string) => void = () => undefined;
  const claimed = new Promise<string>((resolve) => {
    onClaim = resolve;
  });
  return {
    code,
    claimed,
    wrap(inner) {
      return {
        async handle(inbound) {
          const ids = [inbound.chat.id, ...(inbound.chat.aliases ?? [])];
          if (!spent && !deps.isAllowed(ids) && typed(inbound)?.trim() === code) {
            spent = true;
            deps.allow(inbound.chat.id);
            onClaim(inbound.chat.id);
            return { reply: reply.text(deps.welcome) };
          }
          return inner.handle(inbound);
        },
      };
    },
  };
}
