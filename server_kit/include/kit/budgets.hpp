#pragma once
// Per-client budgets: what one address may do in a while, so that one client's
// flood never refuses another (an agent's own budget is the last resort).

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/error.hpp"
#include "kit/metrics.hpp"

namespace kit {

/// The documented defaults; 0 turns one off.
struct BudgetLimits {
  int sessions_per_hour = 20;    ///< new chat sessions
  int messages_per_minute = 12;  ///< visitor messages, all sessions together
  int sms_per_hour = 5;          ///< verification codes sent
  int phones_per_hour = 3;       ///< distinct phone numbers asked for (SMS pumping)
};

enum class Budget { sessions, messages, sms, phones };
std::string_view to_string(Budget budget) noexcept;

class ClientBudgets {
 public:
  using Clock = std::chrono::steady_clock;
  explicit ClientBudgets(BudgetLimits limits) : limits_(limits) {}

  /// Takes one of `budget` for `client`: nullopt when allowed, else the 429 to send
  /// (rate_limited, with Retry-After). Counted in the metrics either way.
  std::optional<chat::Error> take(Budget budget, const std::string& client, Clock::time_point now = Clock::now());
  /// A code sent to `phone`: the SMS budget, and the distinct numbers of the hour
  /// (a number asked for again does not count twice).
  std::optional<chat::Error> take_sms(const std::string& client, std::string_view phone,
                                      Clock::time_point now = Clock::now());

  /// `<prefix>_client_budget_refused_total{budget=...}`.
  void render(std::string& out, std::string_view prefix) const;
  const BudgetLimits& limits() const { return limits_; }

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated{};
  };
  struct Phones {
    std::vector<std::pair<std::string, Clock::time_point>> seen;
  };
  std::optional<int> take_locked(Budget budget, const std::string& client, Clock::time_point now);
  chat::Error refuse(Budget budget, int wait);
  void prune_locked(Clock::time_point now);

  const BudgetLimits limits_;
  std::mutex mutex_;
  std::map<Budget, std::unordered_map<std::string, Bucket>> buckets_;
  std::unordered_map<std::string, Phones> phones_;
  LabelledCounter refused_;
};

}  // namespace kit
