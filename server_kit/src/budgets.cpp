#include "kit/budgets.hpp"

#include <algorithm>
#include <cmath>

namespace kit {
namespace {

using std::chrono::duration;

struct Rate {
  int count;
  double period_seconds;
};

// Past this many clients tracked, full buckets (which say nothing) are dropped.
constexpr std::size_t kPruneAbove = 20000;

}  // namespace

std::string_view to_string(Budget budget) noexcept {
  switch (budget) {
    case Budget::sessions: return "sessions";
    case Budget::messages: return "messages";
    case Budget::sms: return "sms";
    case Budget::phones: return "phones";
  }
  return "unknown";
}

std::optional<int> ClientBudgets::take_locked(Budget budget, const std::string& client, Clock::time_point now) {
  Rate rate{0, 3600};
  switch (budget) {
    case Budget::sessions: rate = {limits_.sessions_per_hour, 3600}; break;
    case Budget::messages: rate = {limits_.messages_per_minute, 60}; break;
    case Budget::sms: rate = {limits_.sms_per_hour, 3600}; break;
    case Budget::phones: rate = {limits_.phones_per_hour, 3600}; break;
  }
  if (rate.count <= 0) return std::nullopt;
  // A token bucket holding a period's worth: a burst of `count` passes, then one
  // more every period/count.
  Bucket& bucket = buckets_[budget][client];
  if (bucket.updated == Clock::time_point{}) {
    bucket.tokens = rate.count;
  } else {
    double seconds = duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min<double>(rate.count, bucket.tokens + seconds * rate.count / rate.period_seconds);
  }
  bucket.updated = now;
  if (bucket.tokens < 1) {
    double wait = (1 - bucket.tokens) * rate.period_seconds / rate.count;
    return std::max(1, static_cast<int>(std::ceil(wait)));
  }
  bucket.tokens -= 1;
  return std::nullopt;
}

chat::Error ClientBudgets::refuse(Budget budget, int wait) {
  refused_.add(std::string(to_string(budget)));
  std::string what;
  switch (budget) {
    case Budget::sessions: what = "too many new conversations from your address"; break;
    case Budget::messages: what = "too many messages from your address"; break;
    case Budget::sms: what = "too many codes sent from your address"; break;
    case Budget::phones: what = "too many phone numbers tried from your address"; break;
  }
  chat::Error error(chat::ErrorCode::rate_limited, what + "; try again in " + std::to_string(wait) + " s");
  error.retry_after = wait;
  return error;
}

std::optional<chat::Error> ClientBudgets::take(Budget budget, const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune_locked(now);
  if (auto wait = take_locked(budget, client, now)) return refuse(budget, *wait);
  return std::nullopt;
}

std::optional<chat::Error> ClientBudgets::take_sms(const std::string& client, std::string_view phone,
                                                   Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune_locked(now);
  if (limits_.phones_per_hour > 0) {
    auto& seen = phones_[client].seen;
    seen.erase(std::remove_if(seen.begin(), seen.end(),
                              [&](const auto& entry) { return now - entry.second > std::chrono::hours(1); }),
               seen.end());
    auto known = std::find_if(seen.begin(), seen.end(), [&](const auto& entry) { return entry.first == phone; });
    if (known == seen.end()) {
      if (seen.size() >= static_cast<std::size_t>(limits_.phones_per_hour)) {
        auto oldest = std::min_element(seen.begin(), seen.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
        auto wait = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::hours(1) -
                                                                     (now - oldest->second));
        return refuse(Budget::phones, std::max(1, static_cast<int>(wait.count())));
      }
      seen.emplace_back(std::string(phone), now);
    } else {
      known->second = now;
    }
  }
  if (auto wait = take_locked(Budget::sms, client, now)) return refuse(Budget::sms, *wait);
  return std::nullopt;
}

void ClientBudgets::prune_locked(Clock::time_point now) {
  for (auto& [budget, clients] : buckets_) {
    if (clients.size() < kPruneAbove) continue;
    for (auto it = clients.begin(); it != clients.end();) {
      // A bucket untouched for an hour is full again, whatever its budget.
      it = now - it->second.updated > std::chrono::hours(1) ? clients.erase(it) : std::next(it);
    }
  }
  if (phones_.size() >= kPruneAbove) {
    for (auto it = phones_.begin(); it != phones_.end();) {
      bool stale = std::all_of(it->second.seen.begin(), it->second.seen.end(),
                               [&](const auto& entry) { return now - entry.second > std::chrono::hours(1); });
      it = stale ? phones_.erase(it) : std::next(it);
    }
  }
}

void ClientBudgets::render(std::string& out, std::string_view prefix) const {
  refused_.render(out, std::string(prefix) + "_client_budget_refused_total", "budget",
                  "Requests refused 429 because one client used up its budget.");
}

}  // namespace kit
