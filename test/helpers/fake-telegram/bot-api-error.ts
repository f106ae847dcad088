import type { ApiErrorBody } from './types.js';

/** A refusal the fake answers with, shaped exactly like the Bot API's `{ ok: false, … }`. */
export class BotApiError extends Error {
  readonly errorCode: number;
  readonly retryAfter: number | undefined;
  constructor(errorCode: number, description: string, retryAfter?: number) {
    super(description);
    this.errorCode = errorCode;
    this.retryAfter = retryAfter;
  }

  toBody(): ApiErrorBody {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.message,
      ...(this.retryAfter !== undefined ? { parameters: { retry_after: this.retryAfter } } : {}),
    };
  }
}

/** Descriptions the real Bot API uses, for `failNext` calls that give only a code. */
export function defaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden: bot was blocked by the user';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
    case 413:
      return 'Request Entity Too Large';
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 5}`;
    case 500:
      return 'Internal Server Error';
    case 502:
      return 'Bad Gateway';
    default:
      return `Error ${code}`;
  }
}
