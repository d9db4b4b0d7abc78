-- Phone verification by SMS code (issue 4). The integration notes' columns
-- (docs/design.md#agent-server-tables) hold the rest:
--   caller_number   the number the code went to (E.164)
--   verify_code     "<salt hex>:<sha256(salt || code) hex>": never the code itself
--   verify_attempts wrong codes tried against the pending code
--   verified_at     when the visitor proved the number
-- verify_sends is the one addition: the send times of the last hour (a JSON array
-- of Unix ms), for the caps: 3 codes an hour per session, 60 s apart, 5 an hour
-- per number. A code expires 10 minutes after the last send.
-- Idempotent: psql -v ON_ERROR_STOP=1 -f 004_phone-verification.sql
BEGIN;

ALTER TABLE call_records ADD COLUMN IF NOT EXISTS verify_sends TEXT NOT NULL DEFAULT '[]';
-- Codes sent to one number are capped across sessions: found by caller_number.
CREATE INDEX IF NOT EXISTS idx_call_records_caller_number ON call_records (caller_number);

COMMIT;
