import { BlinkApiError } from '../errors.js';

/** A media download that is not media: JSON or tiny body, wrong type or signature (docs/chat-contract.md F15). */
export class BlinkMediaError extends BlinkApiError {
  declare readonly code: 'blink_media';
  readonly reason: 'json-body' | 'too-small' | 'content-type' | 'signature';
  constructor(endpoint: string, reason: BlinkMediaError['reason'], message: string, options?: { cause?: unknown }) {
    super(200, endpoint, message, { ...options, code: 'blink_media' });
    this.reason = reason;
  }
}
