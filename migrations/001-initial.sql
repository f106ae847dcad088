-- blink-bot schema, version 1. Never edit once merged: add 002-….sql instead.
-- Ids are TEXT (Discord snowflakes exceed 2^53), times are INTEGER epoch ms UTC,
-- booleans are INTEGER 0/1. STRICT tables reject values of the wrong type.

-- A chat platform user: 'tg:123' or 'dc:456'.
CREATE TABLE users (
  id           TEXT PRIMARY KEY CHECK (id GLOB 'tg:*' OR id GLOB 'dc:*'),
  display_name TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

-- One Blink session per owner. Tokens are sealed (AES-256-GCM, AAD = owner id) together.
CREATE TABLE blink_sessions (
  id                TEXT PRIMARY KEY,
  owner_user_id     TEXT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  account_id        TEXT NOT NULL,
  tier              TEXT NOT NULL,
  region            TEXT,
  hardware_id       TEXT NOT NULL,
  client_id         TEXT,
  blink_user_id     TEXT,
  email             TEXT NOT NULL,
  sealed_tokens     BLOB,
  access_expires_at INTEGER,
  state             TEXT NOT NULL CHECK (state IN ('linked', 'needs-login')),
  linked_at         INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  poll_watermark    TEXT,    -- Blink's own timestamp string, passed back verbatim
  poll_watermark_ms INTEGER,
  last_poll_at      INTEGER,
  backoff_until     INTEGER,
  owner_notified_at INTEGER, -- set when the owner was told to /login again; cleared on relink
  CHECK (state = 'needs-login' OR sealed_tokens IS NOT NULL)
) STRICT;
CREATE INDEX blink_sessions_by_state ON blink_sessions (state);

-- Chats served. added_by is 'env' (ALLOWED_CHATS) or the admin's user id.
CREATE TABLE allowed_chats (
  chat     TEXT PRIMARY KEY CHECK (chat GLOB 'tg:*' OR chat GLOB 'dc:*'),
  added_by TEXT,
  added_at INTEGER NOT NULL
) STRICT;

-- A chat bound to a Blink session; alerts for that session go to it.
CREATE TABLE chat_links (
  chat           TEXT PRIMARY KEY CHECK (chat GLOB 'tg:*' OR chat GLOB 'dc:*'),
  session_id     TEXT NOT NULL REFERENCES blink_sessions(id) ON DELETE CASCADE,
  linked_by      TEXT NOT NULL,
  linked_at      INTEGER NOT NULL,
  alerts_enabled INTEGER NOT NULL DEFAULT 1 CHECK (alerts_enabled IN (0, 1)),
  quiet_start    TEXT CHECK (quiet_start IS NULL OR quiet_start GLOB '[0-2][0-9]:[0-5][0-9]'),
  quiet_end      TEXT CHECK (quiet_end IS NULL OR quiet_end GLOB '[0-2][0-9]:[0-5][0-9]'),
  muted_until    INTEGER, -- "/mute all"
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), -- 0: bot blocked or kicked
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
) STRICT;
CREATE INDEX chat_links_by_session ON chat_links (session_id);

-- Per-camera choices of one linked chat; gone with the link.
CREATE TABLE camera_alert_settings (
  chat        TEXT NOT NULL REFERENCES chat_links(chat) ON DELETE CASCADE,
  camera_id   TEXT NOT NULL,
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  muted_until INTEGER,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (chat, camera_id)
) STRICT, WITHOUT ROWID;

-- Clips the poller has seen (whether or not any chat wanted them).
CREATE TABLE clips_seen (
  session_id    TEXT NOT NULL REFERENCES blink_sessions(id) ON DELETE CASCADE,
  media_id      TEXT NOT NULL,
  camera_id     TEXT,
  network_id    TEXT,
  created_at_ms INTEGER NOT NULL,
  source        TEXT,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, media_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX clips_seen_by_age ON clips_seen (first_seen_at);

-- Everything to send, and the record of what was sent: exactly-once alerts rest on the
-- unique index below. session_id is NULL only for operator notices with no session.
CREATE TABLE outbox (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id          TEXT REFERENCES blink_sessions(id) ON DELETE CASCADE,
  media_id            TEXT NOT NULL, -- the clip's media id, or a caller-chosen dedupe key
  chat                TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('motion', 'ring', 'health', 'text')),
  payload             TEXT NOT NULL CHECK (json_valid(payload)),
  state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER NOT NULL,
  last_error          TEXT,
  created_at          INTEGER NOT NULL,
  sent_at             INTEGER,
  platform_message_id TEXT
) STRICT;
CREATE UNIQUE INDEX outbox_once ON outbox (ifnull(session_id, ''), media_id, chat, kind);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_chat ON outbox (chat, id) WHERE state = 'pending';

-- Last known state of a device property (online, battery, ...) to announce changes once.
CREATE TABLE device_health (
  session_id TEXT NOT NULL REFERENCES blink_sessions(id) ON DELETE CASCADE,
  device_id  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  state      TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, device_id, kind)
) STRICT, WITHOUT ROWID;

-- Who did what, from which chat. Kept after logout on purpose (no foreign keys).
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     INTEGER NOT NULL,
  actor  TEXT NOT NULL,
  chat   TEXT,
  action TEXT NOT NULL,
  target TEXT,
  result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
  detail TEXT
) STRICT;
CREATE INDEX audit_log_by_chat ON audit_log (chat, at);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- File ids a platform gave for an uploaded clip, to forward it without uploading again.
CREATE TABLE platform_files (
  platform   TEXT NOT NULL CHECK (platform IN ('tg', 'dc')),
  media_key  TEXT NOT NULL,
  file_id    TEXT NOT NULL,
  kind       TEXT NOT NULL DEFAULT 'video' CHECK (kind IN ('video', 'photo', 'document')),
  size_bytes INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (platform, media_key)
) STRICT, WITHOUT ROWID;
