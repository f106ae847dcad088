/** `2026-06-27T11:58:10+00:00`: Blink's UTC format (blinkpy needs the +00:00, see docs/blink-api.md, "Clips and media"). */
export function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const SINCE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:(Z)|([+-])(\d\d):?(\d\d))?$/;

/**
 * Reads a `since` value taken raw from the query. blinkpy sends `+0000` unencoded, which
 * form decoding turns into a space (docs/blink-api.md, "Clips and media"), so a space before the offset means `+`.
 * Returns epoch ms, or undefined when unreadable.
 */
export function parseSince(raw: string): number | undefined {
  let text: string;
  try {
    text = decodeURIComponent(raw).trim();
  } catch {
    return undefined;
  }
  text = text.replace(/ (\d\d:?\d\d)$/, '+$1');
  const m = SINCE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, z, sign, oh, om] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (z || !sign) return base;
  const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000;
  return sign === '+' ? base - offsetMs : base + offsetMs;
}
