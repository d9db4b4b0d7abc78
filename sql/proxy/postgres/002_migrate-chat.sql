-- The chat migration of the integration notes, as written there: the agent's token,
-- which the proxy injects. Idempotent: `psql -v ON_ERROR_STOP=1 -f 002_migrate-chat.sql`.
ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_api_token VARCHAR(128);
