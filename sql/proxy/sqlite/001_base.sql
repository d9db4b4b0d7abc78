-- AlloResto's restaurants on SQLite (the proxy's default store), as they stood before
-- the text chat. chat-proxy applies the files of this folder at start, in order.
-- SQLite has no ADD COLUMN IF NOT EXISTS: chat-proxy reads pragma table_info and runs
-- only the ADD COLUMN statements whose column is missing, so this file also completes
-- an older table (its rows kept). With the sqlite3 shell, run each file once, in
-- order, on a new database: `sqlite3 alloresto.db < 001_base.sql`.
CREATE TABLE IF NOT EXISTS restaurants (
  id VARCHAR(64) PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The widget settings and the agent's id.
ALTER TABLE restaurants ADD COLUMN lang VARCHAR(8) NOT NULL DEFAULT 'fr';
ALTER TABLE restaurants ADD COLUMN position VARCHAR(16) NOT NULL DEFAULT 'bottom-right';
ALTER TABLE restaurants ADD COLUMN agent_id VARCHAR(64);
