#include "context.hpp"

#include "kit/server.hpp"

namespace proxy {
namespace {
thread_local RequestFacts t_facts;  // per worker thread by design
}  // namespace

RequestFacts take_request_facts() {
  RequestFacts facts = std::move(t_facts);
  t_facts = RequestFacts{};
  return facts;
}

const std::string& current_request_id() { return kit::current_request_id(); }
void note_restaurant(const std::string& restaurant_id) { t_facts.restaurant_id = restaurant_id; }
void note_upstream_error(const std::string& kind) { t_facts.upstream_error = kind; }

}  // namespace proxy
