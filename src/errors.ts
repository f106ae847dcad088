/**
 * The one error family. Every member says what to do next through its class and `code`;
 * `core/user-error.ts` turns any of them into reply text (and holds `UserError`, whose codes
 * are a closed union there). Messages never carry secrets. Each class narrows `code` to the
 * literals it can carry (`declare readonly code`), set once through the constructor.
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
export class BlinkError extends AppError {
  declare readonly code: `blink_${string}`;
  constructor(code: `blink_${string}`, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The codes of BlinkApiError and its subclasses (the subclass names the answer it stands for). */
export type BlinkApiCode = 'blink_api' | 'blink_auth' | 'blink_refused' | 'blink_rate_limit' | 'blink_busy' | 'blink_media';

/** Blink answered with an HTTP status we could not accept. */
export class BlinkApiError extends BlinkError {
  declare readonly code: BlinkApiCode;
  readonly status: number;
  readonly endpoint: string;
  /** `options.code` is for subclasses; a plain BlinkApiError is 'blink_api'. */
  constructor(status: number, endpoint: string, message?: string, options?: { cause?: unknown; code?: BlinkApiCode }) {
    super(options?.code ?? 'blink_api', message ?? `Blink answered ${status} on ${endpoint}`, options);
    this.status = status;
    this.endpoint = endpoint;
  }
}

/** The session is no longer valid (Blink refused the refresh token): the owner must /login again. */
export class BlinkAuthError extends BlinkApiError {
  declare readonly code: 'blink_auth';
  constructor(endpoint: string, message = 'Blink refused the session', options?: { cause?: unknown }) {
    super(401, endpoint, message, { ...options, code: 'blink_auth' });
  }
}

/**
 * Blink answered 401 again right after a token refresh it accepted: this request was
 * refused, but the session stands (only a refused refresh ends it) and keeps its new tokens.
 */
export class BlinkRefusedError extends BlinkApiError {
  declare readonly code: 'blink_refused';
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(401, endpoint, `Blink refused ${endpoint} even after a token refresh`, { ...options, code: 'blink_refused' });
  }
}

/** Blink asked us to slow down. `retryAfterMs` is its Retry-After, or our own pause. */
export class BlinkRateLimitError extends BlinkApiError {
  declare readonly code: 'blink_rate_limit';
  readonly retryAfterMs: number;
  constructor(endpoint: string, retryAfterMs: number, options?: { cause?: unknown }) {
    super(429, endpoint, `Blink rate limit on ${endpoint}`, { ...options, code: 'blink_rate_limit' });
    this.retryAfterMs = retryAfterMs;
  }
}

/** Blink is busy with another command on that network (409 "busy"). */
export class BlinkBusyError extends BlinkApiError {
  declare readonly code: 'blink_busy';
  constructor(endpoint: string, options?: { cause?: unknown }) {
    super(409, endpoint, `Blink is busy (${endpoint})`, { ...options, code: 'blink_busy' });
  }
}

/** No answer: connection refused or reset, DNS, or a time-out. */
export class BlinkNetworkError extends BlinkError {
  declare readonly code: 'blink_network';
  readonly endpoint: string;
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super('blink_network', message, options);
    this.endpoint = endpoint;
  }
}

/** Blink answered, but not in a shape we understand. Names paths only, never values. */
export class BlinkProtocolError extends BlinkError {
  declare readonly code: 'blink_protocol';
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
  declare readonly code: 'blink_command_timeout' | 'blink_command_failed';
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
  declare readonly code: `blink_live_${BlinkLiveError['reason']}`;
  readonly reason: 'host' | 'refused' | 'stalled' | 'cut' | 'garbage' | 'ended';
  constructor(reason: BlinkLiveError['reason'], message: string, options?: { cause?: unknown }) {
    super(`blink_live_${reason}`, message, options);
    this.reason = reason;
  }
}

/** Login-specific failures: wrong password, wrong or expired 2FA code. */
export class BlinkLoginError extends BlinkError {
  declare readonly code: `blink_login_${BlinkLoginError['reason']}`;
  readonly reason: 'bad-credentials' | 'bad-code' | 'expired' | 'failed';
  constructor(reason: BlinkLoginError['reason'], message: string, options?: { cause?: unknown }) {
    super(`blink_login_${reason}`, message, options);
    this.reason = reason;
  }
}

/** The network's sync module has no usable local (USB) storage. */
export class BlinkNoLocalStorageError extends BlinkError {
  declare readonly code: 'blink_no_local_storage';
  readonly networkId: string;
  constructor(networkId: string) {
    super('blink_no_local_storage', `Local storage is not active on network ${networkId}`);
    this.networkId = networkId;
  }
}

/**
 * Stored secret could not be opened. `wrongKey`: the row names another key than the one
 * loaded (the row is fine, the key is not: never a reason to clear the row); otherwise the
 * row is corrupt or tampered under the right key.
 */
export class SealError extends AppError {
  declare readonly code: 'seal';
  readonly wrongKey: boolean;
  constructor(message: string, options?: { cause?: unknown; wrongKey?: boolean }) {
    super('seal', message, options);
    this.wrongKey = options?.wrongKey ?? false;
  }
}

/** Bad configuration: one line per problem. */
export class ConfigError extends AppError {
  declare readonly code: 'config';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('config', problems.join('\n'));
    this.problems = problems;
  }
}

/** The database was written by a newer blink-bot (user_version above our newest migration). */
export class DatabaseTooNewError extends AppError {
  declare readonly code: 'database_too_new';
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
  declare readonly code: 'migration';
  readonly version: number;
  constructor(message: string, version: number, options?: { cause?: unknown }) {
    super('migration', message, options);
    this.version = version;
  }
}

/**
 * The key that seals tokens is missing, unreadable, of the wrong length, or not the key
 * that sealed the stored sessions: refuse to start (exit 2) and change nothing.
 */
export class SecretKeyError extends AppError {
  declare readonly code: 'secret_key';
  constructor(message: string, options?: { cause?: unknown }) {
    super('secret_key', message, options);
  }
}

/** Another process (a running bot, or rotate-key) holds the database's lock file. */
export class DatabaseLockedError extends AppError {
  declare readonly code: 'database_locked';
  readonly lockPath: string;
  constructor(lockPath: string, message: string) {
    super('database_locked', message);
    this.lockPath = lockPath;
  }
}
