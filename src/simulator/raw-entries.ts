/**
 * Raw list entries: a device of a kind the bot does not model (a floodlight), an entry with a
 * field missing, an odd clip. The simulator slips them verbatim into the list it serves, so
 * tests can prove one unreadable entry costs only itself (docs/blink-api.md, "Tolerant parsing").
 */
import type { RawList, SimAccount } from './types.js';

/** `items` with the account's raw entries for `list` inserted at their positions (clamped). */
export function withRawEntries(account: SimAccount, list: RawList, items: readonly unknown[]): unknown[] {
  const out = [...items];
  for (const raw of account.rawEntries) {
    if (raw.list !== list) continue;
    const at = Math.max(0, Math.min(raw.at ?? out.length, out.length));
    out.splice(at, 0, raw.entry);
  }
  return out;
}
