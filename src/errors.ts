/**
 * The one error family. Every member says what to do next through its class and `code`;
 * `core/user-error.ts` turns any of them into reply text. Messages never carry secrets.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Anything that went wrong talking to the Blink cloud. */
export class BlinkError extends AppError {}

/** Blink answered with an HTTP status we could not accept. */
export class BlinkApiError extends BlinkError {
  readonly status: number;
  readonly endpoint: string;
  constructor(status: number, endpoint: string, message?: string, options?: { cause?: unknown }) {
    super('blink_api', message ?? `Blink answered ${status} on ${endpoint}`, options);
    this.status = status;
    this.endpoint = endpoint;
  }
}

/** The session is no longer valid (refused refresh, repeated 401): the owner must /login again. */
export class BlinkAuthError extends BlinkApiError {
  constructor(endpoint: string, message = 'Blink refused the session', options?: { cause?: unknown }) {
    super(401, endpoint, message, options);
    Object.defineProperty(this, 'code', { value: 'blink_auth' });
  }
}

/** Blink asked us to slow down. `retryAfterMs` is its Retry-After, or our own pause. */
export class BlinkRateLimitError extends BlinkApiError {
  readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(429, endpoint, `Blink rate limit on ${endpoint}`, options);
    Object.defineProperty(this, 'code', { value: 'blink_rate_limit' });
    this.retryAfterMs = retryAfterMs;
  }
}

/** Blink is busy with another command on that network (409 "busy"). */
export class BlinkBusyError extends BlinkApiError {
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(409, endpoint, `Blink is busy (${endpoint})`, options);
    Object.defineProperty(this, 'code', { value: 'blink_busy' });
  }
}

/** No answer: connection refused or reset, DNS, or a time-out. */
export class BlinkNetworkError extends BlinkError {
  readonly endpoint: string;
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super('blink_network', message, options);
    this.endpoint = endpoint;
  }
}

/** Blink answered, but not in a shape we understand. Names paths only, never values. */
export class BlinkProtocolError extends BlinkError {
  readonly endpoint: string;
  readonly issuePaths: readonly string[];
  constructor(endpoint: string, issuePaths: readonly string[], message?: string, options?: { cause?: unknown }) {
    super('blink_protocol', message ?? `Unexpected Blink response from ${endpoint} at ${issuePaths.join(', ') || '(root)'}`, options);
    this.endpoint = endpoint;
    this.issuePaths = issuePaths;
  }
}

/** A Blink command (arm, snap, ...) failed or did not complete in time. */
export class BlinkCommandError extends BlinkError {
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean, options?: { cause?: unknown }) {
    super(timedOut ? 'blink_command_timeout' : 'blink_command_failed', message, options);
    this.timedOut = timedOut;
  }
}

/**
 * A live view could not be recorded: Blink's stream host was refused by our host rule, the
 * connection was refused or broke off, the stream stalled, or it carried no usable video.
 */
export class BlinkLiveError extends BlinkError {
  readonly reason: 'host' | 'refused' | 'stalled' | 'cut' | 'garbage' | 'ended';
  constructor(reason: BlinkLiveError['reason'], message: string, options?: { cause?: unknown }) {
    super(`blink_live_${reason}`, message, options);
    this.reason = reason;
  }
}

/** Login-specific failures: wrong password, wrong or expired 2FA code. */
export class BlinkLoginError extends BlinkError {
  readonly reason: 'bad-credentials' | 'bad-code' | 'expired' | 'failed';
  constructor(reason: BlinkLoginError['reason'], message: string, options?: { cause?: unknown }) {
    super(`blink_login_${reason}`, message, options);
    this.reason = reason;
  }
}

/** A message that is safe to show to the user as it is. */
export class UserError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Stored secret could not be opened (wrong key, tampered row). */
export class SealError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('seal', message, options);
  }
}

/** Bad configuration: one line per problem. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('config', problems.join('\n'));
    this.problems = problems;
  }
}

/** The database was written by a newer blink-bot (user_version above our newest migration). */
export class DatabaseTooNewError extends AppError {
  readonly databaseVersion: number;
  readonly supportedVersion: number;
  constructor(databaseVersion: number, supportedVersion: number) {
    super(
      'database_too_new',
      `The database is at schema version ${databaseVersion}, but this blink-bot knows only up to ${supportedVersion}; ` +
        'run the newer blink-bot or restore a backup. The file was not changed.',
    );
    this.databaseVersion = databaseVersion;
    this.supportedVersion = supportedVersion;
  }
}

/** A migration file failed or the migrations folder is inconsistent. The schema stays at `version`. */
export class MigrationError extends AppError {
  readonly version: number;
  constructor(message: string, version: number, options?: { cause?: unknown }) {
    super('migration', message, options);
    this.version = version;
  }
}

/** The key that seals tokens is missing, unreadable or of the wrong length: refuse to start. */
export class SecretKeyError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('secret_key', message, options);
  }
}
