-- blink-bot schema, version 3: a linked chat remembers the other allowlist keys that admit
-- it (a Discord channel: its guild 'dc:<guild>'; a Discord DM: its DM channel), as a JSON
-- array. /deny of such a key then finds and removes the link, and the delivery worker can
-- check at send time that the chat is still allowed. NULL: linked before this version
-- (unknown; filled in at the next command from that chat).
ALTER TABLE chat_links ADD COLUMN allow_keys TEXT CHECK (allow_keys IS NULL OR json_valid(allow_keys));
