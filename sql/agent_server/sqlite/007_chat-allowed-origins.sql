-- The SQLite flavour of postgres/007_chat-allowed-origins.sql: the origins allowed to
-- call the chat from the browser (a JSON array; NULL: direct mode off).
-- ADD COLUMN runs only when the column is missing.
ALTER TABLE agents ADD COLUMN chat_allowed_origins TEXT;
