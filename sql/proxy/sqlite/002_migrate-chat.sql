-- The chat migration of the integration notes (the SQLite flavour of
-- postgres/002_migrate-chat.sql): the agent's token, which the proxy injects.
ALTER TABLE restaurants ADD COLUMN agent_api_token VARCHAR(128);
