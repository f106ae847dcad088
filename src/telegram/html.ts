/**
 * Telegram HTML parse mode. Everything from the core is plain text, and camera or network
 * names are chosen by users (they may hold `<` or `&`), so every string is escaped here.
 */

/** Escapes the three characters Telegram's HTML parser treats specially. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram's limits, in characters after entity parsing; we count escaped text to be safe. */
const MESSAGE_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

/**
 * Splits plain text into escaped chunks of at most `limit` characters, at line breaks where
 * possible, so a long list never fails with "message is too long".
 */
export function escapeAndSplit(text: string, limit = MESSAGE_LIMIT): string[] {
  const chunks: string[] = [];
  let current = '';
  const push = (): void => {
    if (current.length > 0) chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    let escaped = escapeHtml(line);
    const candidate = current.length === 0 ? escaped : `${current}\n${escaped}`;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    push();
    // A single line longer than the limit is cut hard, never inside an entity like `&amp;`.
    while (escaped.length > limit) {
      let cut = limit;
      const amp = escaped.lastIndexOf('&', cut);
      if (amp > limit - 6 && escaped.indexOf(';', amp) >= cut) cut = amp;
      chunks.push(escaped.slice(0, cut));
      escaped = escaped.slice(cut);
    }
    current = escaped;
  }
  push();
  return chunks.length > 0 ? chunks : [''];
}

/** An escaped caption that fits Telegram's caption limit (cut with an ellipsis if needed). */
export function escapeCaption(text: string): string {
  const [first = '', ...rest] = escapeAndSplit(text, CAPTION_LIMIT - 1);
  return rest.length > 0 ? `${first}…` : first;
}
