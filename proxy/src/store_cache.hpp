#pragma once
/// \file Restaurant rows kept in memory for a moment in front of the store: every
/// relayed request looks its restaurant up, and on SQLite the lookups took turns on
/// one connection's lock (the proxy's main source of lock waits, measured with
/// perf). Changes made through this store are seen at once; changes made elsewhere
/// (another proxy on the same PostgreSQL, `chat-proxy backfill`) within `ttl`.
/// Unknown ids are not kept: they cost a lookup each, as before.

#include <chrono>
#include <memory>

#include "store.hpp"

namespace proxy {

std::unique_ptr<RestaurantStore> with_cache(std::unique_ptr<RestaurantStore> store,
                                            std::chrono::milliseconds ttl = std::chrono::milliseconds(1000));

}  // namespace proxy
