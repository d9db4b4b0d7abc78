#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "kit/pg.hpp"
#include "storage.hpp"

namespace agent_server {

/// The first key of the advisory lock an agent server holds on its listening
/// connection while it lives, `pg_advisory_lock(kInstanceLockClass, <instance id>)`:
/// its replies in progress are orphans once the lock is gone (pg_locks).
inline constexpr int kInstanceLockClass = 1130914164;  // "Chat" in ASCII

/// PostgreSQL backend through libpq: a small pool of connections, parameterised
/// queries only.
chat::Result<std::unique_ptr<Storage>> open_pg_storage(const std::string& url);

/// A new connection to `url`, its NOTICEs silenced; the caller PQfinish()es it.
chat::Result<PGconn*> pg_connect(const std::string& url);
/// Why a call failed: the primary message only (the DETAIL line may quote row
/// values such as tokens).
std::string pg_message(PGconn* conn, const PGresult* res);

using kit::PgResult;

}  // namespace agent_server
