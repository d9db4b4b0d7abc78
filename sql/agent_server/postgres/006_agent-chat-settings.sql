-- The agent's chat settings of issue 14 (see docs/protocol.md, "Agent settings"):
--   agents.timezone          the IANA zone of the restaurant's clock ("Europe/Paris"):
--                            "are you open tonight?" is answered in it, and an LLM is
--                            told the local date and time
--   agents.chat_greeting     the widget's first words; NULL: the default of the
--                            session's language, '': no greeting
--   agents.chat_suggestions  a JSON array of short questions shown as buttons; NULL:
--                            the defaults of the session's language, '[]': none
-- Idempotent: psql -v ON_ERROR_STOP=1 -f 006_agent-chat-settings.sql
BEGIN;

ALTER TABLE agents ADD COLUMN IF NOT EXISTS timezone VARCHAR(64) NOT NULL DEFAULT 'Europe/Paris';
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_greeting TEXT;
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_suggestions TEXT;

COMMIT;
