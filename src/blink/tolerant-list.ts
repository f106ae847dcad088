/**
 * Lists Blink sends are parsed per item: one device of a kind we do not model, or one odd
 * media entry, is dropped and named, and the rest of the list is used. See
 * docs/blink-api.md, "Tolerant parsing".
 */
import { z } from 'zod';
import type { BlinkLogger } from './http-types.js';

/** An item left out of a list: its index, its id when it had a readable one, and the failing field paths. */
interface DroppedEntry {
  index: number;
  id?: string;
  /** Field paths inside the item that failed (never values), e.g. `network_id, name`. */
  reason: string;
}

/** A dropped item located in a whole body, e.g. path `cameras.2` of `homescreen`. */
interface DroppedItem {
  path: string;
  id?: string;
  reason: string;
}

// Beside the parsed array, not on it: the list stays a plain array (JSON, deepEqual).
const droppedByList = new WeakMap<readonly unknown[], DroppedEntry[]>();

function issuePaths(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.path.map(String).join('.') || '(item)'))].join(', ');
}

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || !('id' in value)) return undefined;
  const id = value.id;
  return (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && /^[\w-]{1,64}$/.test(id)) ? String(id) : undefined;
}

/** An array whose unreadable items are dropped (and remembered for `droppedItems`), not fatal. */
export function tolerantArray<T extends z.ZodType>(item: T) {
  return z.array(z.unknown()).transform((raw) => {
    const kept: z.output<T>[] = [];
    const dropped: DroppedEntry[] = [];
    raw.forEach((value, index) => {
      const parsed = item.safeParse(value);
      if (parsed.success) kept.push(parsed.data);
      else {
        const id = idOf(value);
        dropped.push({ index, reason: issuePaths(parsed.error), ...(id !== undefined ? { id } : {}) });
      }
    });
    if (dropped.length > 0) droppedByList.set(kept, dropped);
    return kept;
  });
}

/** The items dropped from this very list (empty when none were). */
function droppedOf(list: readonly unknown[]): readonly DroppedEntry[] {
  return droppedByList.get(list) ?? [];
}

/** How many items Blink sent in this list, dropped ones included (paging decides on this). */
export function sentLength(list: readonly unknown[]): number {
  return list.length + droppedOf(list).length;
}

/** Every item dropped anywhere in a parsed body, with its path from the body's root. */
function droppedItems(body: unknown): DroppedItem[] {
  const out: DroppedItem[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const d of droppedOf(value))
        out.push({ path: path === '' ? String(d.index) : `${path}.${d.index}`, reason: d.reason, ...(d.id !== undefined ? { id: d.id } : {}) });
      for (const [i, v] of value.entries()) walk(v, path === '' ? String(i) : `${path}.${i}`);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(body, '');
  return out;
}

export interface DropReporter {
  /** Logs each item dropped from `body` once per process (per endpoint, item and reason). */
  report(endpoint: string, body: unknown, accountId: string): void;
}

/** Remembered warnings are bounded: past this many the oldest is forgotten (and may warn again). */
const MAX_REMEMBERED = 1_000;

export function createDropReporter(log: BlinkLogger): DropReporter {
  const seen = new Set<string>();
  return {
    report(endpoint, body, accountId) {
      for (const item of droppedItems(body)) {
        // A clip moves down the page as new ones arrive: its id, not its index, names it.
        const key = `${accountId}|${endpoint}|${item.id ?? item.path}|${item.reason}`;
        if (seen.has(key)) continue;
        if (seen.size >= MAX_REMEMBERED) {
          const oldest = seen.values().next();
          if (!oldest.done) seen.delete(oldest.value);
        }
        seen.add(key);
        log.warn(
          { endpoint, path: item.path, ...(item.id !== undefined ? { itemId: item.id } : {}), fields: item.reason, accountId },
          `Blink ${endpoint}: skipped ${item.path}, an entry this bot cannot read (${item.reason})`,
        );
      }
    },
  };
}
