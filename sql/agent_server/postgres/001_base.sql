-- The agent server's tables as they stood before the text chat: phone agents and
-- the records of their calls. Idempotent: psql -v ON_ERROR_STOP=1 -f 001_base.sql
CREATE TABLE IF NOT EXISTS agents (
  id UUID PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  prompt TEXT NOT NULL DEFAULT '',
  api_token VARCHAR(128) UNIQUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS call_records (
  id UUID PRIMARY KEY,
  agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  caller_number VARCHAR(20),
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at TIMESTAMPTZ,
  duration INTEGER,
  status VARCHAR(20) NOT NULL DEFAULT 'in_progress',
  transcript TEXT
);

CREATE INDEX IF NOT EXISTS idx_call_records_agent_id ON call_records (agent_id);
