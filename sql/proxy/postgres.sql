-- AlloResto's restaurants on PostgreSQL. Idempotent: `psql -f sql/proxy/postgres.sql`
-- twice changes nothing the second time. chat-proxy runs the same file at start.
CREATE TABLE IF NOT EXISTS restaurants (
  id VARCHAR(64) PRIMARY KEY,
  name TEXT NOT NULL,
  lang VARCHAR(8) NOT NULL DEFAULT 'fr',
  position VARCHAR(16) NOT NULL DEFAULT 'bottom-right',
  agent_id VARCHAR(64),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Older tables predate the widget settings.
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS lang VARCHAR(8) NOT NULL DEFAULT 'fr';
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS position VARCHAR(16) NOT NULL DEFAULT 'bottom-right';

-- The chat migration of the integration notes, as written there.
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_api_token VARCHAR(128);
