-- blink-bot schema, version 4: one Blink hardware id per user, kept for every login and
-- refresh of that user (a new id per login looks like a new phone to Blink each time). It
-- outlives /logout and a new /login on purpose. Existing users keep the id of their session.
ALTER TABLE users ADD COLUMN blink_hardware_id TEXT;
UPDATE users SET blink_hardware_id = (SELECT hardware_id FROM blink_sessions WHERE owner_user_id = users.id)
  WHERE blink_hardware_id IS NULL;
