-- The SQLite flavour of postgres/003_chat-extras.sql: the chat-scoped public token
-- and the language of a chat session. ADD COLUMN runs only when the column is missing.
ALTER TABLE agents ADD COLUMN public_token TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS idx_agents_public_token ON agents (public_token);
ALTER TABLE call_records ADD COLUMN lang TEXT;
