#pragma once
/// \file `chat-proxy backfill`: stores the token of every restaurant that has an agent
/// but no token, read from the agent server's admin API (the notes' manual backfill).

#include <ostream>

#include "config.hpp"
#include "store.hpp"

namespace chat::proxy {

/// What one run did.
struct BackfillSummary {
  int candidates = 0;  ///< restaurants with an agent id and no token
  int stored = 0;      ///< tokens stored (or, with --dry-run, that would be)
  int failed = 0;
};

/// Runs the backfill, printing one line per restaurant and a summary to `out`,
/// never a token. Safe to run twice: only missing tokens are written.
BackfillSummary run_backfill(const Config& config, RestaurantStore& store, std::ostream& out);

}  // namespace chat::proxy
