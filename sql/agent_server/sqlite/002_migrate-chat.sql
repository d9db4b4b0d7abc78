-- Text chat, the SQLite flavour of postgres/002_migrate-chat.sql.
-- SQLite has no ADD COLUMN IF NOT EXISTS: the agent server reads pragma table_info
-- and runs only the ADD COLUMN statements whose column is missing, so this file is
-- safe to apply again through the server; with the sqlite3 shell, run it once.
ALTER TABLE agents ADD COLUMN chat_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agents ADD COLUMN chat_model TEXT NOT NULL DEFAULT 'local';
ALTER TABLE agents ADD COLUMN chat_prompt_extra TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN chat_phone_required INTEGER NOT NULL DEFAULT 0;

ALTER TABLE call_records ADD COLUMN type TEXT NOT NULL DEFAULT 'call';
ALTER TABLE call_records ADD COLUMN messages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE call_records ADD COLUMN visitor_id TEXT;
ALTER TABLE call_records ADD COLUMN verify_code TEXT;
ALTER TABLE call_records ADD COLUMN verify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN verified_at TEXT;
ALTER TABLE call_records ADD COLUMN last_message_at TEXT;

-- caller_number: SQLite does not enforce VARCHAR lengths, so there is nothing to widen.

CREATE INDEX IF NOT EXISTS idx_call_records_type ON call_records (type);
