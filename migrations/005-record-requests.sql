-- blink-bot schema, version 5: clips recorded on request (/record). While a request is open,
-- the first new clip of that camera is the one the bot asked for: the alert poller marks it
-- seen without announcing it, and /record sends it to the chat that asked. A request closes
-- when /record found its clip (clip_id) or at expires_at.
CREATE TABLE record_requests (
  id           INTEGER PRIMARY KEY,
  session_id   TEXT NOT NULL REFERENCES blink_sessions(id) ON DELETE CASCADE,
  camera_id    TEXT NOT NULL,
  -- Blink's creation time of the camera's newest clip before the request (0: none).
  after_ms     INTEGER NOT NULL,
  clip_id      TEXT,
  requested_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX record_requests_by_camera ON record_requests (session_id, camera_id);
