-- The dev stack keeps both applications on one PostgreSQL server: the agent server's
-- database (sip_agent, made by the image from POSTGRES_DB) and AlloResto's.
CREATE DATABASE alloresto;
