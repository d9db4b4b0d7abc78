-- AlloResto's restaurants on PostgreSQL, as they stood before the text chat.
-- Idempotent: `psql -v ON_ERROR_STOP=1 -f 001_base.sql` twice changes nothing the
-- second time. chat-proxy applies the files of this folder at start, in order.
BEGIN;

CREATE TABLE IF NOT EXISTS restaurants (
  id VARCHAR(64) PRIMARY KEY,
  name TEXT NOT NULL,
  lang VARCHAR(8) NOT NULL DEFAULT 'fr',
  position VARCHAR(16) NOT NULL DEFAULT 'bottom-right',
  agent_id VARCHAR(64),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Older tables predate the widget settings and the agent's id.
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS lang VARCHAR(8) NOT NULL DEFAULT 'fr';
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS position VARCHAR(16) NOT NULL DEFAULT 'bottom-right';
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_id VARCHAR(64);

COMMIT;
