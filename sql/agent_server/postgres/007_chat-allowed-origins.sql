-- Direct mode (issue 13, docs/operator-guide.md "Option C"):
--   agents.chat_allowed_origins  a JSON array of the origins whose pages may call the
--                                chat straight from the browser with the agent's
--                                publicToken (["https://www.chez-marcel.fr"]);
--                                NULL or '[]': direct mode off
-- Idempotent: psql -v ON_ERROR_STOP=1 -f 007_chat-allowed-origins.sql
BEGIN;

ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_allowed_origins TEXT;

COMMIT;
