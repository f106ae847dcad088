/**
 * The port through which anything unprompted (motion alerts, health alerts, "please /login
 * again") reaches a chat. Telegram, Discord and the terminal implement it; src/alerts uses it.
 */
import { AppError } from '../errors.js';
import type { Platform } from './inbound.js';
import type { Reply } from './reply.js';

export interface SentMessage {
  /** Platform message ids, in order, one per reply part that was sent. */
  messageIds: string[];
  /** Platform file ids of uploaded media by MediaSource.cacheKey, for re-sending without a download. */
  fileIds?: Record<string, string>;
}

export interface ChatSender {
  readonly platform: Platform;
  /** Largest media upload to a chat unprompted, in bytes. */
  readonly uploadLimitBytes: number;
  /** `chatId` is the allowlist key ('tg:123', 'dc:456'). Throws DeliveryError on failure. */
  send(chatId: string, reply: Reply, options?: { signal?: AbortSignal }): Promise<SentMessage>;
}

export type DeliveryFailure =
  /** The chat is gone or blocked us (403 blocked/kicked, 400 chat not found): stop sending there. */
  | 'chat-gone'
  /** This message can never be sent as it is (file too big, wrong type): fall back, don't retry. */
  | 'rejected'
  /** Try again later (429, 5xx, network); `retryAfterMs` when the platform said. */
  | 'transient';

export class DeliveryError extends AppError {
  declare readonly code: `delivery_${DeliveryFailure}`;
  readonly failure: DeliveryFailure;
  readonly retryAfterMs: number | undefined;
  constructor(failure: DeliveryFailure, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(`delivery_${failure}`, message, options);
    this.failure = failure;
    this.retryAfterMs = options?.retryAfterMs;
  }
}
