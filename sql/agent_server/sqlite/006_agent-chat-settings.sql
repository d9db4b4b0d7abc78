-- The SQLite flavour of postgres/006_agent-chat-settings.sql: the agent's time zone,
-- chat greeting and suggestions (NULL: the defaults of the session's language).
-- ADD COLUMN runs only when the column is missing.
ALTER TABLE agents ADD COLUMN timezone TEXT NOT NULL DEFAULT 'Europe/Paris';
ALTER TABLE agents ADD COLUMN chat_greeting TEXT;
ALTER TABLE agents ADD COLUMN chat_suggestions TEXT;
