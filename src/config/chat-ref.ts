/** A chat or user on one platform. Ids stay strings: Discord snowflakes exceed 2^53. */
export interface ChatRef {
  readonly platform: 'tg' | 'dc';
  readonly id: string;
}

/** `tg:<integer, may be negative>` (Telegram chat or user id). */
const TELEGRAM_ID = /^-?[0-9]{1,20}$/;
/** `dc:<snowflake>`: a Discord guild, channel or user id (17-20 digits today; be lenient). */
const DISCORD_ID = /^[0-9]{1,20}$/;

export type ChatRefParse = { ok: true; ref: ChatRef } | { ok: false; problem: string };

/**
 * Parses `tg:-100123` or `dc:123456789012345678`. The problem text never repeats more
 * than the prefix, so it is safe to show to a user or print at start.
 */
export function parseChatRef(text: string): ChatRefParse {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon < 0 ? '' : trimmed.slice(0, colon);
  const id = colon < 0 ? '' : trimmed.slice(colon + 1);
  if (prefix === 'tg') {
    return TELEGRAM_ID.test(id) && id !== '-0' ? { ok: true, ref: { platform: 'tg', id } } : { ok: false, problem: `"${trimmed}" is not tg:<numeric id>` };
  }
  if (prefix === 'dc') {
    return DISCORD_ID.test(id) ? { ok: true, ref: { platform: 'dc', id } } : { ok: false, problem: `"${trimmed}" is not dc:<numeric snowflake>` };
  }
  return { ok: false, problem: `"${trimmed}" has an unknown prefix (use tg:<id> or dc:<id>)` };
}

/** The stored and displayed form, e.g. `tg:-100123`. */
export function formatChatRef(ref: ChatRef): string {
  return `${ref.platform}:${ref.id}`;
}
