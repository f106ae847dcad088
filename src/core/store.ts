/**
 * What the command core needs from persistence: a narrow port over the SQLite repositories
 * (src/db). Synchronous because better-sqlite3 is; `createCoreStore` (db-store.ts) adapts
 * the real repositories to it. Ids of chats and users are allowlist keys ('tg:-100123').
 */

/** One stored Blink session. The tokens are sealed (src/secrets); the core never logs them. */
export interface SessionRecord {
  id: string;
  /** Caller id of the user who logged in ('tg:42'). One session per owner. */
  ownerId: string;
  accountId: string;
  /** Sealed JSON of BlinkSessionData; additional data = `sessionAad(ownerId)`. */
  sealedTokens: string;
  /** Set when the tokens can no longer be used: the owner must /login again. */
  needsLogin: boolean;
}

export interface QuietHours {
  /** 'HH:MM' in the configured time zone. */
  start: string;
  end: string;
}

/** A chat bound to a session: where alerts go and whose account commands there use. */
export interface ChatLinkRecord {
  chatId: string;
  sessionId: string;
  /** Caller id of the user who linked it (the session owner). */
  linkedBy: string;
  alertsEnabled: boolean;
  quiet: QuietHours | null;
}

export interface AuditEntry {
  atMs: number;
  /** Caller id. */
  actor: string;
  chatId: string;
  action: string;
  /** 'ok', 'refused' or 'error:<code>'. */
  result: string;
  /** Short non-secret detail (network name, target chat...). */
  detail?: string;
}

export interface CoreStore {
  allowlist: {
    /** True when any of the keys is allowed. */
    isAllowed(keys: readonly string[]): boolean;
    /** Returns false when it was already allowed. */
    add(chatId: string, addedBy: string, atMs: number): boolean;
    /** Returns false when it was not allowed (through the database; env entries stay). */
    remove(chatId: string): boolean;
  };
  sessions: {
    byId(id: string): SessionRecord | undefined;
    byOwner(ownerId: string): SessionRecord | undefined;
    /**
     * Creates the owner's session, or replaces the tokens of the one they have (keeping its
     * id, so group links survive a re-login), clearing needs-login.
     */
    saveForOwner(input: { ownerId: string; accountId: string; sealedTokens: string; atMs: number }): SessionRecord;
    /** Replaces the sealed tokens in one statement (token rotation). */
    updateTokens(id: string, sealedTokens: string, atMs: number): void;
    setNeedsLogin(id: string, needsLogin: boolean): void;
    /** Deletes the session and every chat link to it. */
    delete(id: string): void;
  };
  links: {
    get(chatId: string): ChatLinkRecord | undefined;
    /** Creates or replaces the chat's link (alerts on, no quiet hours, settings of an older link dropped). */
    put(input: { chatId: string; sessionId: string; linkedBy: string; atMs: number }): ChatLinkRecord;
    delete(chatId: string): boolean;
    setAlerts(chatId: string, enabled: boolean): void;
    setQuiet(chatId: string, quiet: QuietHours | null): void;
  };
  cameraAlerts: {
    set(chatId: string, cameraId: string, enabled: boolean): void;
  };
  mutes: {
    /** `cameraId` null mutes every camera. */
    set(chatId: string, cameraId: string | null, untilMs: number): void;
    clear(chatId: string): void;
  };
  audit: {
    record(entry: AuditEntry): void;
  };
}

/** Additional authenticated data binding sealed tokens to their owner's row. */
export function sessionAad(ownerId: string): string {
  return `blink-session:${ownerId}`;
}
