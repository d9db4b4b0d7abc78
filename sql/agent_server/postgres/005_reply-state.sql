-- A reply is a stored thing with a state (issue 12, docs/operator-guide.md
-- "Crashes, restarts and shutdowns"): one row per visitor message that got a reply.
--   state        streaming (being written by instance_id), done (stored in
--                call_records.messages), failed (error_code says why), interrupted
--                (its instance stopped or died before the end)
--   reply_id     the agent message's id; a retry of the same visitor message
--                restarts the row under a new one
--   instance_id  the agent server writing it; on PostgreSQL the key of the advisory
--                lock that instance holds while it lives, so the others find the
--                replies of an instance that died at once (pg_locks)
-- Idempotent: psql -v ON_ERROR_STOP=1 -f 005_reply-state.sql
BEGIN;

CREATE TABLE IF NOT EXISTS chat_replies (
  session_id UUID NOT NULL REFERENCES call_records (id) ON DELETE CASCADE,
  in_reply_to VARCHAR(64) NOT NULL,
  reply_id VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL CHECK (state IN ('streaming', 'done', 'failed', 'interrupted')),
  instance_id VARCHAR(32) NOT NULL DEFAULT '',
  error_code VARCHAR(40),
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at TIMESTAMPTZ,
  PRIMARY KEY (session_id, in_reply_to)
);
-- The sweep for orphans reads only the replies in progress.
CREATE INDEX IF NOT EXISTS idx_chat_replies_streaming ON chat_replies (instance_id) WHERE state = 'streaming';
-- A session's latest reply.
CREATE INDEX IF NOT EXISTS idx_chat_replies_started ON chat_replies (session_id, started_at);

COMMIT;
