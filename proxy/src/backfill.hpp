#pragma once
/// \file `chat-proxy backfill`: stores the token of every restaurant that has an agent
/// but no token, read from the agent server's admin API (the integration notes' manual
/// backfill, docs/design.md#history),
/// and upgrades a stored token to the agent's chat-scoped publicToken when the agent
/// server has one (least privilege: the apiToken opens the agent's admin routes).

#include <ostream>

#include "config.hpp"
#include "store.hpp"

namespace proxy {

/// What one run did.
struct BackfillSummary {
  int candidates = 0;  ///< restaurants with an agent id and no token
  int stored = 0;      ///< tokens stored where none was (or, with --dry-run, that would be)
  int upgraded = 0;    ///< stored tokens replaced by the publicToken (or that would be)
  int unchanged = 0;   ///< restaurants left as they were
  int failed = 0;
};

/// Runs the backfill, printing one line per restaurant and a summary to `out`,
/// never a token. Safe to run twice: a restaurant that already stores its agent's
/// publicToken (or, on an agent server without one, any token) is left as is.
BackfillSummary run_backfill(const Config& config, RestaurantStore& store, std::ostream& out);

}  // namespace proxy
