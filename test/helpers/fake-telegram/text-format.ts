import { BotApiError } from './bot-api-error.js';

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function parseError(detail: string): BotApiError {
  return new BotApiError(400, `Bad Request: can't parse entities: ${detail}`);
}

/**
 * The visible text of an HTML-formatted message. Like Telegram, it refuses unknown or
 * unbalanced tags, so a bot that forgets to escape `<camera>` fails here as it would live.
 */
function renderHtml(text: string): string {
  const open: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '<') {
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>/.exec(text.slice(i));
      const byte = Buffer.byteLength(text.slice(0, i));
      if (m === null) throw parseError(`Unexpected start of tag at byte offset ${byte}`);
      const closing = m[1] === '/';
      const tag = (m[2] ?? '').toLowerCase();
      if (!HTML_TAGS.has(tag)) {
        throw parseError(`Unsupported ${closing ? 'end' : 'start'} tag "${tag}" at byte offset ${byte}`);
      }
      if (closing) {
        const last = open.pop();
        if (last !== tag) {
          throw parseError(`Unmatched end tag at byte offset ${byte}, expected "</${last ?? ''}>", found "</${tag}>"`);
        }
      } else {
        open.push(tag);
      }
      i += m[0].length;
    } else if (ch === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(text.slice(i));
      const name = m?.[1];
      if (m === null || name === undefined) {
        out += '&';
        i += 1;
        continue;
      }
      if (name.startsWith('#x')) out += String.fromCodePoint(parseInt(name.slice(2), 16));
      else if (name.startsWith('#')) out += String.fromCodePoint(parseInt(name.slice(1), 10));
      else {
        const named = ENTITIES[name.toLowerCase()];
        if (named === undefined) throw parseError(`Unsupported HTML entity "&${name};"`);
        out += named;
      }
      i += m[0].length;
    } else {
      out += ch;
      i += 1;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) throw parseError(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return out;
}

/**
 * MarkdownV2, approximately: characters that are never markup (`.`, `!`, `-`, `=`, `+`,
 * `#`, `{`, `}`) must be escaped, which is the mistake bots make. Markup is stripped.
 */
function renderMarkdownV2(text: string): string {
  let out = '';
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\') {
      out += text[i + 1] ?? '';
      i += 1;
    } else if (ch === '`') {
      inCode = !inCode;
    } else if (inCode) {
      out += ch;
    } else if ('.!-=+#{}'.includes(ch)) {
      throw parseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    } else if ('*_~|['.includes(ch)) {
      /* formatting marker */
    } else if (ch === ']' && text[i + 1] === '(') {
      const end = text.indexOf(')', i);
      i = end < 0 ? text.length : end;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Text as a chat would display it for the given `parse_mode`. */
export function renderText(text: string, parseMode: unknown): string {
  if (typeof parseMode !== 'string' || parseMode === '') return text;
  if (parseMode.toLowerCase() === 'html') return renderHtml(text);
  if (parseMode === 'MarkdownV2') return renderMarkdownV2(text);
  if (parseMode === 'Markdown') return text.replace(/[*_`[\]]/g, '');
  throw new BotApiError(400, `Bad Request: unsupported parse_mode "${parseMode}"`);
}
