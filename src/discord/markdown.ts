/**
 * Plain core text → Discord markdown that shows exactly that text, split into messages of at
 * most 2000 characters (Discord's content limit).
 */

/** Discord's limit on `content`. */
const CONTENT_LIMIT = 2000;

// Inline markers anywhere; block markers (heading, quote, list, numbered list) only at a line start.
const INLINE = /[\\*_~`|[\]()<>]/g;
const BLOCK = /^(\s*)([#>\-+]|\d+\.)/gm;

function escapeMarkdown(text: string): string {
  return text.replace(INLINE, '\\$&').replace(BLOCK, (_m, space: string, marker: string) => `${space}\\${marker}`);
}

/**
 * Escapes, then splits at line breaks where possible (else at the limit), never leaving a
 * lone backslash at the end of a piece. Empty text yields one empty string.
 */
export function escapeAndSplit(text: string, limit = CONTENT_LIMIT): string[] {
  let rest = escapeMarkdown(text);
  const pieces: string[] = [];
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) {
      cut = limit;
      // Do not separate an escape from the character it escapes.
      let backslashes = 0;
      while (cut - backslashes - 1 >= 0 && rest[cut - backslashes - 1] === '\\') backslashes++;
      if (backslashes % 2 === 1) cut -= 1;
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(rest[cut] === '\n' ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Captions are one message: escaped and cut to the limit with an ellipsis. */
export function escapeCaption(text: string, limit = CONTENT_LIMIT): string {
  const pieces = escapeAndSplit(text, limit - 1);
  return pieces.length === 1 ? (pieces[0] ?? '') : `${pieces[0] ?? ''}…`;
}
