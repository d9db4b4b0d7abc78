#include "backfill.hpp"

#include "agent_api.hpp"

namespace proxy {

BackfillSummary run_backfill(const Config& config, RestaurantStore& store, std::ostream& out) {
  BackfillSummary summary;
  const bool dry = config.dry_run;
  const char* prefix = dry ? "backfill (dry run): " : "backfill: ";
  auto rows = store.with_agents();
  if (!rows) {
    out << prefix << "cannot list restaurants: " << rows.error().message << "\n";
    summary.failed = 1;
    return summary;
  }
  for (const auto& row : *rows) {
    const bool has_token = row.agent_api_token && !row.agent_api_token->empty();
    if (!has_token) ++summary.candidates;
    out << prefix << "restaurant " << row.id << " (agent " << *row.agent_id << "): ";
    auto agent = get_agent(config, *row.agent_id);
    if (!agent) {
      ++summary.failed;
      out << "failed: " << agent.error().message << "\n";
      continue;
    }
    // The chat-scoped publicToken when the agent server has one, its apiToken otherwise.
    const std::string& wanted = agent->site_token();
    const char* kind = agent->public_token ? "publicToken" : "apiToken";
    if (!has_token) {
      if (dry) {
        ++summary.stored;
        out << kind << " would be stored\n";
        continue;
      }
      auto changed = store.set_token_if_missing(row.id, wanted);
      if (!changed) {
        ++summary.failed;
        out << "failed: " << changed.error().message << "\n";
      } else if (*changed) {
        ++summary.stored;
        out << kind << " stored\n";
      } else {
        ++summary.unchanged;
        out << "a token was stored meanwhile, left as is\n";
      }
      continue;
    }
    const std::string& stored = *row.agent_api_token;
    if (stored == wanted) {
      ++summary.unchanged;
      out << "already has its " << kind << "\n";
      continue;
    }
    if (!agent->public_token) {
      // An agent server without chat-scoped tokens: what is stored stays (a token set
      // by hand is the operator's choice; the integration notes' backfill fills only what's
      // missing: docs/design.md#history).
      ++summary.unchanged;
      out << "has a token; the agent server gives no publicToken: left as is\n";
      continue;
    }
    // Least privilege: replace the stored token (the apiToken, or a stale one) with the
    // chat-scoped publicToken.
    const char* was = stored == agent->api_token ? "the apiToken" : "a token that is not the agent's";
    if (dry) {
      ++summary.upgraded;
      out << "stores " << was << "; would be replaced by the publicToken\n";
      continue;
    }
    auto changed = store.replace_token(row.id, stored, wanted);
    if (!changed) {
      ++summary.failed;
      out << "failed: " << changed.error().message << "\n";
    } else if (*changed) {
      ++summary.upgraded;
      out << "stored " << was << "; replaced by the publicToken\n";
    } else {
      ++summary.unchanged;
      out << "its token changed meanwhile, left as is\n";
    }
  }
  out << prefix << rows->size() << " restaurant(s) with an agent, " << summary.candidates
      << " without a token: " << summary.stored << (dry ? " would be stored, " : " stored, ") << summary.upgraded
      << (dry ? " would be upgraded to the publicToken, " : " upgraded to the publicToken, ") << summary.unchanged
      << " unchanged, " << summary.failed << " failed\n";
  return summary;
}

}  // namespace proxy
