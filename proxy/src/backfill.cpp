#include "backfill.hpp"

#include "agent_api.hpp"

namespace chat::proxy {

BackfillSummary run_backfill(const Config& config, RestaurantStore& store, std::ostream& out) {
  BackfillSummary summary;
  const char* prefix = config.dry_run ? "backfill (dry run): " : "backfill: ";
  auto rows = store.missing_tokens();
  if (!rows) {
    out << prefix << "cannot list restaurants: " << rows.error().message << "\n";
    summary.failed = 1;
    return summary;
  }
  summary.candidates = static_cast<int>(rows->size());
  for (const auto& row : *rows) {
    out << prefix << "restaurant " << row.id << " (agent " << *row.agent_id << "): ";
    auto agent = get_agent(config, *row.agent_id);
    if (!agent) {
      ++summary.failed;
      out << "failed: " << agent.error().message << "\n";
      continue;
    }
    if (config.dry_run) {
      ++summary.stored;
      out << "token would be stored\n";
      continue;
    }
    auto changed = store.set_token_if_missing(row.id, agent->api_token);
    if (!changed) {
      ++summary.failed;
      out << "failed: " << changed.error().message << "\n";
    } else if (*changed) {
      ++summary.stored;
      out << "token stored\n";
    } else {
      out << "already has a token\n";
    }
  }
  out << prefix << summary.candidates << " restaurant(s) without a token, " << summary.stored
      << (config.dry_run ? " would be stored, " : " stored, ") << summary.failed << " failed\n";
  return summary;
}

}  // namespace chat::proxy
