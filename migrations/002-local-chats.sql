-- blink-bot schema, version 2: the terminal front end ('term:local', npm run demo) and the
-- command-line tool ('cli:local', npm run blink) own sessions and chats like Telegram and
-- Discord do, so user and chat ids may also start with 'term:' or 'cli:'.
-- SQLite cannot alter a CHECK, so the three tables are rebuilt (SQLite's 12-step recipe;
-- the runner turns foreign keys off while migrating and checks them before the commit).

CREATE TABLE users_new (
  id           TEXT PRIMARY KEY CHECK (id GLOB 'tg:*' OR id GLOB 'dc:*' OR id GLOB 'term:*' OR id GLOB 'cli:*'),
  display_name TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;
INSERT INTO users_new (id, display_name, created_at, updated_at)
  SELECT id, display_name, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE allowed_chats_new (
  chat     TEXT PRIMARY KEY CHECK (chat GLOB 'tg:*' OR chat GLOB 'dc:*' OR chat GLOB 'term:*' OR chat GLOB 'cli:*'),
  added_by TEXT,
  added_at INTEGER NOT NULL
) STRICT;
INSERT INTO allowed_chats_new (chat, added_by, added_at) SELECT chat, added_by, added_at FROM allowed_chats;
DROP TABLE allowed_chats;
ALTER TABLE allowed_chats_new RENAME TO allowed_chats;

CREATE TABLE chat_links_new (
  chat           TEXT PRIMARY KEY CHECK (chat GLOB 'tg:*' OR chat GLOB 'dc:*' OR chat GLOB 'term:*' OR chat GLOB 'cli:*'),
  session_id     TEXT NOT NULL REFERENCES blink_sessions(id) ON DELETE CASCADE,
  linked_by      TEXT NOT NULL,
  linked_at      INTEGER NOT NULL,
  alerts_enabled INTEGER NOT NULL DEFAULT 1 CHECK (alerts_enabled IN (0, 1)),
  quiet_start    TEXT CHECK (quiet_start IS NULL OR quiet_start GLOB '[0-2][0-9]:[0-5][0-9]'),
  quiet_end      TEXT CHECK (quiet_end IS NULL OR quiet_end GLOB '[0-2][0-9]:[0-5][0-9]'),
  muted_until    INTEGER,
  active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
) STRICT;
INSERT INTO chat_links_new (chat, session_id, linked_by, linked_at, alerts_enabled, quiet_start, quiet_end, muted_until, active)
  SELECT chat, session_id, linked_by, linked_at, alerts_enabled, quiet_start, quiet_end, muted_until, active FROM chat_links;
DROP TABLE chat_links;
ALTER TABLE chat_links_new RENAME TO chat_links;
CREATE INDEX chat_links_by_session ON chat_links (session_id);
