-- The SQLite flavour of postgres/004_phone-verification.sql: the send times of
-- the last hour, for the cap on verification codes. ADD COLUMN runs only when the
-- column is missing.
ALTER TABLE call_records ADD COLUMN verify_sends TEXT NOT NULL DEFAULT '[]';
CREATE INDEX IF NOT EXISTS idx_call_records_caller_number ON call_records (caller_number);
