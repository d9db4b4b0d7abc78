-- The SQLite flavour of postgres/005_reply-state.sql: a reply's state, one row per
-- visitor message that got a reply. On SQLite one agent server owns the file, so
-- at start every reply still streaming was left by a dead process.
CREATE TABLE IF NOT EXISTS chat_replies (
  session_id TEXT NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  in_reply_to TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('streaming', 'done', 'failed', 'interrupted')),
  instance_id TEXT NOT NULL DEFAULT '',
  error_code TEXT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at TEXT,
  PRIMARY KEY (session_id, in_reply_to)
);
CREATE INDEX IF NOT EXISTS idx_chat_replies_streaming ON chat_replies (instance_id) WHERE state = 'streaming';
CREATE INDEX IF NOT EXISTS idx_chat_replies_started ON chat_replies (session_id, started_at);
