-- The agent server's tables as they stood before the text chat (SQLite flavour).
-- Timestamps are ISO 8601 UTC text with milliseconds. Idempotent: sqlite3 db < 001_base.sql
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prompt TEXT NOT NULL DEFAULT '',
  api_token TEXT UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE IF NOT EXISTS call_records (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  caller_number VARCHAR(20),
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at TEXT,
  duration INTEGER,
  status TEXT NOT NULL DEFAULT 'in_progress',
  transcript TEXT
);

CREATE INDEX IF NOT EXISTS idx_call_records_agent_id ON call_records (agent_id);
