/**
 * A logger that removes given secret strings (bot tokens) from everything logged through
 * it, at any depth. pino's `redact` works on field paths only, but a token can sit inside
 * a string: grammY's network errors quote the request URL, which carries the bot token
 * (`/bot<token>/getMe`). The front ends' loggers go through this.
 */
import type { Logger } from '../log.js';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);
const MAX_DEPTH = 6;

function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '' && out.includes(secret)) out = out.split(secret).join('[Redacted]');
  return out;
}

function scrub(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1, seen));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    // Keep what pino's error serializer would show, scrubbed.
    out.type = value.name;
    out.message = scrubString(value.message, secrets);
    if (value.stack) out.stack = scrubString(value.stack, secrets);
    if (value.cause !== undefined) out.cause = scrub(value.cause, secrets, depth + 1, seen);
  }
  for (const [key, v] of Object.entries(value)) out[key] = scrub(v, secrets, depth + 1, seen);
  return out;
}

export function createScrubbedLogger(log: Logger, secrets: readonly string[]): Logger {
  const wanted = secrets.filter((s) => s.length >= 4);
  if (wanted.length === 0) return log;
  return new Proxy(log, {
    get(target, prop, receiver) {
      if (prop === 'child') {
        // Bindings only: child options (redact, serializers) are not used in this app.
        return (bindings: Record<string, unknown>) => createScrubbedLogger(target.child(bindings), wanted);
      }
      const original: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && LEVELS.has(prop) && typeof original === 'function') {
        return (...args: unknown[]) =>
          Reflect.apply(
            original,
            target,
            args.map((a) => scrub(a, wanted, 0, new WeakSet())),
          );
      }
      return original;
    },
  });
}
