/** Times as chats show them: in the configured zone (`TZ`, docs/chat-contract.md §2), 24-hour clock. */

export type TimeFormatter = (epochMs: number) => string;

/** E.g. 'Sat 27 Jun 14:05'. Throws RangeError for an unknown zone (config validates it). */
export function createTimeFormatter(timeZone: string): TimeFormatter {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (epochMs) => format.format(new Date(epochMs)).replace(',', '');
}

/** 'HH:MM' of an instant in the zone, e.g. for "expires at 14:15". */
export function createClockFormatter(timeZone: string): TimeFormatter {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (epochMs) => format.format(new Date(epochMs));
}

/** How long ago, for a picture's caption: 'just now', '5 min ago', '3 h ago', '2 d ago'. */
export function formatAge(ageMs: number): string {
  const minutes = Math.floor(Math.max(0, ageMs) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
