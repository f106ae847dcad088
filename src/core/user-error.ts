/**
 * The one place that turns an error into reply text (the error family: CONTRIBUTING.md). Each kind
 * says what to do next; nothing here ever includes a secret, a URL or a stack.
 */
import { randomBytes } from 'node:crypto';
import {
  AppError,
  BlinkApiError,
  BlinkAuthError,
  BlinkBusyError,
  BlinkCommandError,
  BlinkLiveError,
  BlinkLoginError,
  BlinkNetworkError,
  BlinkNoLocalStorageError,
  BlinkProtocolError,
  BlinkRateLimitError,
  BlinkRefusedError,
  SealError,
} from '../errors.js';

/**
 * Every refusal a command can answer with, as a closed set: a new one is added here.
 * `login_required`: the caller or chat has no usable session (none, not linked, or expired).
 */
export type UserErrorCode =
  | 'admins_only'
  | 'bad_arguments'
  | 'bad_chat'
  | 'busy'
  | 'camera_busy'
  | 'camera_offline'
  | 'deleted_clip'
  | 'group_only'
  | 'linked_by_other'
  | 'live_busy'
  | 'login_required'
  | 'network_needed'
  | 'no_local_storage'
  | 'no_network'
  | 'no_sync_module'
  | 'not_linked'
  | 'not_supported'
  | 'record_not_listed'
  | 'unknown_camera'
  | 'unknown_clip'
  | 'unknown_command'
  | 'unknown_network';

/** A refusal whose message is safe to show to the user as it is. */
export class UserError extends AppError {
  declare readonly code: UserErrorCode;
  constructor(code: UserErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export interface DescribedError {
  text: string;
  /** The session can no longer be used: mark it needs-login. */
  needsLogin: boolean;
  /** Set for unexpected failures: the id shown to the user, to be logged with the error. */
  errorId?: string;
  /** How loudly the boundary logs it. */
  level: 'debug' | 'warn' | 'error';
}

export const SESSION_EXPIRED_TEXT = 'Your Blink session expired: /login again.';
/** A 401 that outlived a successful refresh: the session stands (it keeps its new tokens). */
const REFUSED_TEXT = 'Blink refused the request; try again.';

/** The session row is intact but sealed with another key than the bot holds (kept, not cleared). */
const KEY_MISMATCH_TEXT = 'The bot cannot open your Blink session with its current key; its operator must restore the right key. Your session was kept.';

/**
 * A front end's last resort, when handling a message failed outside the dispatcher's own
 * boundary (a bug or an outage); the log has the details. The same words on every platform.
 */
export const FALLBACK_ERROR_TEXT = 'Something went wrong. Please try again later.';
/** A button whose action the bot no longer holds (older than its lifetime, or from before a restart). */
export const EXPIRED_BUTTON_TEXT = 'This button has expired. Run the command again.';

/** The reply to an unforeseen failure; the id ties it to the log line. */
export function bugText(errorId: string): string {
  return `Something went wrong (error id ${errorId}).`;
}

/** `newErrorId` defaults to 6 random hex characters. */
export function describeError(error: unknown, newErrorId: () => string = defaultErrorId): DescribedError {
  if (error instanceof UserError) return { text: error.message, needsLogin: false, level: 'debug' };
  if (error instanceof SealError && error.wrongKey) {
    return { text: KEY_MISMATCH_TEXT, needsLogin: false, level: 'error' };
  }
  if (error instanceof BlinkAuthError || error instanceof SealError) {
    return { text: SESSION_EXPIRED_TEXT, needsLogin: true, level: 'warn' };
  }
  if (error instanceof BlinkRefusedError) return { text: REFUSED_TEXT, needsLogin: false, level: 'warn' };
  if (error instanceof BlinkRateLimitError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return { text: `Blink is busy right now. Try again in ${seconds} s.`, needsLogin: false, level: 'warn' };
  }
  if (error instanceof BlinkBusyError) {
    return {
      text: 'Blink is busy with another command on that network. Try again in a few seconds.',
      needsLogin: false,
      level: 'warn',
    };
  }
  if (error instanceof BlinkCommandError) {
    return error.timedOut
      ? { text: 'Blink did not confirm within 60 s. Check /status in a minute.', needsLogin: false, level: 'warn' }
      : { text: 'Blink reported that the command failed. Try again in a minute.', needsLogin: false, level: 'warn' };
  }
  if (error instanceof BlinkNoLocalStorageError) {
    return { text: 'That network has no usable local storage (its sync module has no active USB storage).', needsLogin: false, level: 'debug' };
  }
  if (error instanceof BlinkLiveError) return { text: liveText(error), needsLogin: false, level: 'warn' };
  if (error instanceof BlinkLoginError) return { text: loginText(error), needsLogin: false, level: 'debug' };
  if (error instanceof BlinkNetworkError || error instanceof BlinkProtocolError || (error instanceof BlinkApiError && error.status >= 500)) {
    return { text: 'Blink is unavailable right now. Try again in a minute.', needsLogin: false, level: 'warn' };
  }
  if (error instanceof BlinkApiError) {
    return {
      text: `Blink refused the request (HTTP ${error.status}). Try again later.`,
      needsLogin: false,
      level: 'warn',
    };
  }
  // Anything else is a bug or an unforeseen failure: the id ties the reply to the log line.
  const errorId = newErrorId();
  return { text: bugText(errorId), needsLogin: false, errorId, level: 'error' };
}

/** " by SMS" / " by email" for "Blink sent a code…", or '' when Blink did not say where. */
export function codeChannelText(via: 'sms' | 'email' | undefined): string {
  if (via === 'sms') return ' by SMS';
  if (via === 'email') return ' by email';
  return '';
}

/** A live view never sends a partial clip: each reply says the recording was dropped. */
function liveText(error: BlinkLiveError): string {
  switch (error.reason) {
    case 'host':
      return 'Blink named a live view server I do not trust, so I did not connect. Nothing was recorded.';
    case 'refused':
      return 'The live view could not be opened. Nothing was recorded; try again in a minute.';
    case 'stalled':
      return 'The live view stopped sending video, so the recording was dropped. Try again in a minute.';
    case 'cut':
      return 'The live view broke off before the recording was complete, so it was dropped. Try again.';
    case 'garbage':
      return 'The live view did not send readable video, so the recording was dropped. Try again in a minute.';
    case 'ended':
      return 'Blink ended the live view early, so the recording was dropped. Try again.';
  }
}

function loginText(error: BlinkLoginError): string {
  switch (error.reason) {
    case 'bad-credentials':
      return 'Blink did not accept that email and password.';
    case 'bad-code':
      return 'Blink did not accept that code.';
    case 'expired':
      return 'The login attempt expired. Send /login to start again.';
    case 'failed':
      return 'Blink could not complete the login. Try /login again in a minute.';
  }
}

function defaultErrorId(): string {
  return randomBytes(3).toString('hex');
}
