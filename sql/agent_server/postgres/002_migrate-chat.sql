-- Text chat, as the integration notes list it (scripts/migrate-chat.sql there,
-- docs/design.md#history):
--   agents       +chat_enabled, chat_model, chat_prompt_extra, chat_phone_required
--   call_records +type, messages, visitor_id, verify_code, verify_attempts,
--                 verified_at, last_message_at; caller_number widened to 30; index on type
-- Idempotent (run it twice: no error, no change):
--   psql -v ON_ERROR_STOP=1 -U postgres -d sip_agent -f 002_migrate-chat.sql
BEGIN;

-- Existing phone agents keep chat off until someone turns it on.
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_enabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_model VARCHAR(100) NOT NULL DEFAULT 'local';
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_prompt_extra TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN IF NOT EXISTS chat_phone_required BOOLEAN NOT NULL DEFAULT false;

-- Existing rows are phone calls; a chat session is a row with type = 'chat'.
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS type VARCHAR(10) NOT NULL DEFAULT 'call';
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS messages JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS visitor_id VARCHAR(64);
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS verify_code VARCHAR(128);
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS verify_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS verified_at TIMESTAMPTZ;
ALTER TABLE call_records ADD COLUMN IF NOT EXISTS last_message_at TIMESTAMPTZ;

-- E.164 numbers with a prefix no longer fit in 20. Guarded, so a second run takes
-- no lock and changes nothing.
DO $$
BEGIN
  IF (SELECT character_maximum_length FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'call_records'
        AND column_name = 'caller_number') < 30 THEN
    ALTER TABLE call_records ALTER COLUMN caller_number TYPE VARCHAR(30);
  END IF;
END
$$;

CREATE INDEX IF NOT EXISTS idx_call_records_type ON call_records (type);

COMMIT;
