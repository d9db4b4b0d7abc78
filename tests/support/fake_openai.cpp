#include "fake_openai.hpp"

#include <cstdlib>
#include <stdexcept>

namespace test_support {
namespace {

constexpr const char* kModel = "fake-model";

void write(httplib::DataSink& sink, const std::string& text) { sink.write(text.data(), text.size()); }

}  // namespace

std::string completion_chunk(const std::string& id, const nlohmann::json& delta,
                             const nlohmann::json& finish_reason) {
  nlohmann::json chunk = {
      {"id", id},
      {"object", "chat.completion.chunk"},
      {"created", 1764000000},
      {"model", kModel},
      {"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish_reason}}}},
  };
  return "data: " + chunk.dump() + "\n\n";
}

FakeOpenAi::FakeOpenAi() {
  server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake OpenAI server: cannot bind");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() before listen_after_bind() has started would be lost: wait for it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeOpenAi::~FakeOpenAi() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  server_.stop();
  thread_.join();
}

std::string FakeOpenAi::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FakeOpenAi::set_script(LlmScript script) {
  std::lock_guard lock(mutex_);
  default_ = std::move(script);
}

void FakeOpenAi::push_script(LlmScript script) {
  std::lock_guard lock(mutex_);
  queued_.push_back(std::move(script));
}

void FakeOpenAi::release_stalls() {
  {
    std::lock_guard lock(mutex_);
    released_ = true;
  }
  cv_.notify_all();
}

std::vector<LlmRequest> FakeOpenAi::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool FakeOpenAi::wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

LlmScript FakeOpenAi::next_script() {
  std::lock_guard lock(mutex_);
  if (queued_.empty()) return default_;
  LlmScript script = std::move(queued_.front());
  queued_.pop_front();
  return script;
}

bool FakeOpenAi::wait_stall() {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, std::chrono::seconds(120), [&] { return released_ || stopping_; });
  return !stopping_;
}

void FakeOpenAi::handle(const httplib::Request& req, httplib::Response& res) {
  LlmRequest recorded{req.path, req.get_header_value("Authorization"), req.get_header_value("Content-Type"),
                      nlohmann::json::parse(req.body, nullptr, false)};
  if (recorded.body.is_discarded()) recorded.body = nullptr;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(recorded);
  }
  cv_.notify_all();

  if (req.path != "/v1/chat/completions") {
    res.status = 404;
    res.set_content(R"({"error":{"message":"Unknown request URL","type":"invalid_request_error"}})",
                    "application/json");
    return;
  }
  LlmScript script = next_script();
  using Kind = LlmScript::Kind;
  const std::string bearer = "Bearer ";
  const std::string key = recorded.authorization.rfind(bearer, 0) == 0
                              ? recorded.authorization.substr(bearer.size())
                              : std::string();
  for (auto at = script.error_message.find("{key}"); at != std::string::npos;
       at = script.error_message.find("{key}", at + key.size())) {
    script.error_message.replace(at, 5, key);
  }
  if (script.kind == Kind::http_error) {
    res.status = script.status;
    nlohmann::json body = {
        {"error", {{"message", script.error_message}, {"type", "server_error"}, {"code", nullptr}}}};
    res.set_content(body.dump(), "application/json");
    return;
  }
  if (script.kind == Kind::plain_json) {
    std::string text;
    for (const auto& p : script.pieces) text += p;
    nlohmann::json body = {
        {"id", "chatcmpl-fake"},
        {"object", "chat.completion"},
        {"model", kModel},
        {"choices",
         {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", "stop"}}}}};
    res.set_content(body.dump(), "application/json");
    return;
  }

  // Exactly text/event-stream: with a charset the library would compress the stream.
  res.set_chunked_content_provider("text/event-stream", [this, script](std::size_t, httplib::DataSink& sink) {
    const std::string id = "chatcmpl-fake";
    write(sink, completion_chunk(id, {{"role", "assistant"}, {"content", nullptr}}));
    std::size_t count = script.pieces.size();
    if (script.kind != Kind::stream && script.kind != Kind::close_without_done && count > 1) count = 1;
    for (std::size_t i = 0; i < count; ++i) {
      if (script.piece_gap.count() > 0) {
        std::unique_lock lock(mutex_);
        if (cv_.wait_for(lock, script.piece_gap, [&] { return stopping_; })) return false;
      }
      write(sink, completion_chunk(id, {{"content", script.pieces[i]}}));
    }
    switch (script.kind) {
      case Kind::error_event: {
        nlohmann::json error = {{"error", {{"message", script.error_message}, {"type", "server_error"}}}};
        write(sink, "data: " + error.dump() + "\n\n");
        sink.done();
        return true;
      }
      case Kind::cut_mid_stream: return false;  // the library drops the connection without the last chunk
      case Kind::stall:
        if (!wait_stall()) return false;
        break;
      default: break;
    }
    write(sink, completion_chunk(id, nlohmann::json::object(), "stop"));
    if (script.kind != Kind::close_without_done) write(sink, "data: [DONE]\n\n");
    sink.done();
    return true;
  });
}

}  // namespace test_support
