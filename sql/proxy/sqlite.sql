-- AlloResto's restaurants on SQLite (the proxy's default store). Runnable as is with
-- `sqlite3 alloresto.db < sql/proxy/sqlite.sql`, and twice without harm. An older table
-- without the newer columns is brought up to date by chat-proxy at start (SQLite has no
-- ADD COLUMN IF NOT EXISTS, so that step lives in proxy/src/store_sqlite.cpp).
CREATE TABLE IF NOT EXISTS restaurants (
  id VARCHAR(64) PRIMARY KEY,
  name TEXT NOT NULL,
  lang VARCHAR(8) NOT NULL DEFAULT 'fr',
  position VARCHAR(16) NOT NULL DEFAULT 'bottom-right',
  agent_id VARCHAR(64),
  agent_api_token VARCHAR(128),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
