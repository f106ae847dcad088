/**
 * Telegram failures in the ChatSender's terms (src/core/sender.ts): stop sending there,
 * never send this as it is, or try later. Descriptions are the Bot API's own wording.
 */
import { GrammyError, HttpError } from 'grammy';
import { AppError } from '../errors.js';
import { DeliveryError } from '../core/sender.js';

const CHAT_GONE =
  /chat not found|user not found|bot was blocked|bot was kicked|user is deactivated|not a member|group chat was (upgraded|deleted)|have no rights to send|chat_write_forbidden|peer_id_invalid/i;
const MEDIA_REJECTED =
  /file is too big|wrong file type|wrong type of|failed to get http url|image_process_failed|photo_invalid|video_content_type|wrong file identifier|file must be non-empty/i;

/** True when Telegram refused the media itself (too big, wrong type): send a fallback, don't retry. */
export function isMediaRejected(err: unknown): boolean {
  return err instanceof GrammyError && (err.error_code === 413 || (err.error_code === 400 && MEDIA_REJECTED.test(err.description)));
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof GrammyError) {
    const what = `Telegram ${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 403 || (err.error_code === 400 && CHAT_GONE.test(err.description))) {
      return new DeliveryError('chat-gone', what, { cause: err });
    }
    if (err.error_code === 429) {
      const seconds = err.parameters.retry_after;
      return new DeliveryError('transient', what, {
        cause: err,
        ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}),
      });
    }
    if (err.error_code >= 500) return new DeliveryError('transient', what, { cause: err });
    return new DeliveryError('rejected', what, { cause: err });
  }
  if (err instanceof HttpError) return new DeliveryError('transient', err.message, { cause: err });
  // Media that could not be read (a Blink download failed): the same message may work later.
  if (err instanceof AppError) return new DeliveryError('transient', err.message, { cause: err });
  return new DeliveryError('transient', err instanceof Error ? err.message : 'unknown delivery failure', { cause: err });
}
