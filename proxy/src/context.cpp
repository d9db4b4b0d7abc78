#include "context.hpp"

#include "chat/random.hpp"

namespace chat::proxy {
namespace {
thread_local RequestFacts t_facts;  // NOLINT: per worker thread by design
}  // namespace

void reply_error(httplib::Response& res, const Error& error) {
  res.status = error.status();
  if (error.retry_after) res.set_header("Retry-After", std::to_string(*error.retry_after));
  res.set_content(error.body(), "application/json");
}

void reply_json(httplib::Response& res, const std::string& body, int status) {
  res.status = status;
  res.set_content(body, "application/json");
}

void begin_request(std::string request_id) {
  t_facts = RequestFacts{std::move(request_id), {}, {}, std::chrono::steady_clock::now()};
}

RequestFacts finish_request() {
  RequestFacts facts = std::move(t_facts);
  t_facts = RequestFacts{};
  if (facts.request_id.empty()) {
    facts.request_id = random_base64url(22);
    facts.start = std::chrono::steady_clock::now();
  }
  return facts;
}

const std::string& current_request_id() { return t_facts.request_id; }
void note_restaurant(const std::string& restaurant_id) { t_facts.restaurant_id = restaurant_id; }
void note_upstream_error(const std::string& kind) { t_facts.upstream_error = kind; }

}  // namespace chat::proxy
