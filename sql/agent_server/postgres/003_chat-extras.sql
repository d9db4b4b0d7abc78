-- What the chat needs beyond the integration notes' migration (docs/design.md#data):
--   agents.public_token   the chat-scoped token (the notes' "option C", docs/design.md#history), never
--                          accepted on /api/agents
--   call_records.lang     the language a chat session was opened in ('fr', 'en')
-- Idempotent: psql -v ON_ERROR_STOP=1 -f 003_chat-extras.sql
BEGIN;

ALTER TABLE agents ADD COLUMN IF NOT EXISTS public_token VARCHAR(128);
CREATE UNIQUE INDEX IF NOT EXISTS idx_agents_public_token ON agents (public_token);
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS lang VARCHAR(5);

COMMIT;
