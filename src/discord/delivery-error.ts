/**
 * Discord failures in the ChatSender's terms (src/core/sender.ts): stop sending there, never
 * send this as it is, or try later. @discordjs/rest has already waited out 429s it could.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { AppError } from '../errors.js';
import { DeliveryError } from '../core/sender.js';
import { UploadTooLargeError } from '../core/upload-limit.js';

/** Discord JSON error codes we act on. */
export const DiscordCode = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownWebhook: 10015,
  UnknownInteraction: 10062,
  RequestEntityTooLarge: 40005,
  MissingAccess: 50001,
  CannotSendToUser: 50007,
  InvalidRecipient: 50033,
} as const;

/** The interaction's token is no longer valid (15 min passed, or it was never acknowledged). */
export function isExpiredInteraction(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.code === DiscordCode.UnknownWebhook || err.code === DiscordCode.UnknownInteraction);
}

/** Discord refused the upload as too big (413 or 40005), or we did before sending. */
export function isTooLarge(err: unknown): boolean {
  if (err instanceof UploadTooLargeError) return true;
  return err instanceof DiscordAPIError && (err.status === 413 || err.code === DiscordCode.RequestEntityTooLarge);
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof DiscordAPIError) {
    const what = `Discord ${err.method} ${err.url.replace(/\/webhooks\/\d+\/[^/]+/, '/webhooks/:app/:token')}: ${err.status} ${err.message}`;
    if (err.status === 403 || err.status === 404 || err.code === DiscordCode.CannotSendToUser) {
      return new DeliveryError('chat-gone', what, { cause: err });
    }
    if (err.status === 429) return new DeliveryError('transient', what, { cause: err });
    if (err.status >= 500) return new DeliveryError('transient', what, { cause: err });
    return new DeliveryError('rejected', what, { cause: err });
  }
  if (err instanceof RateLimitError) {
    return new DeliveryError('transient', `Discord rate limit on ${err.route}`, { cause: err, retryAfterMs: err.retryAfter });
  }
  if (err instanceof HTTPError) return new DeliveryError('transient', `Discord ${err.method}: ${err.status}`, { cause: err });
  if (err instanceof UploadTooLargeError) return new DeliveryError('rejected', err.message, { cause: err });
  // Media that could not be read (a Blink download failed) may work later; so may the network.
  if (err instanceof AppError) return new DeliveryError('transient', err.message, { cause: err });
  return new DeliveryError('transient', err instanceof Error ? err.message : 'unknown delivery failure', { cause: err });
}

/**
 * A Discord error as a log field: status, code and route, never the request body (attachment
 * bytes) nor the URL (an interaction webhook URL carries the interaction token).
 */
export function describeDiscordError(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    return {
      name: err.name,
      status: err.status,
      method: err.method,
      path: pathOf(err.url),
      ...(err instanceof DiscordAPIError ? { code: err.code, message: err.message } : {}),
    };
  }
  if (err instanceof AppError) return { name: err.name, message: err.message, code: err.code };
  // A bug: the stack is what makes the one log line useful.
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}

function pathOf(url: string): string {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // Not absolute: keep it as it is.
  }
  return pathname.replace(/\/(webhooks\/\d+|interactions\/\d+)\/[^/]+/, '/$1/:token');
}
