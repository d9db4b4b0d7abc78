#include "openai_model.hpp"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "chat/redact.hpp"
#include "chat/validation.hpp"
#include "restaurant_facts.hpp"
#include "time_zone.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxErrorBody = 16 * 1024;
constexpr std::size_t kMaxUpstreamMessage = 300;
// An SSE line longer than this is no chat completion chunk.
constexpr std::size_t kMaxEventLine = 256 * 1024;

std::string_view role_name(chat::Role role) {
  switch (role) {
    case chat::Role::visitor: return "user";
    case chat::Role::agent: return "assistant";
    case chat::Role::system: return "system";
  }
  return "user";
}

std::string seconds_text(std::chrono::milliseconds ms) {
  auto tenths = (ms.count() + 50) / 100;
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10 != 0) text += "." + std::to_string(tenths % 10);
  return text + " s";
}

// httplib's client only notices a cancellation when bytes arrive; a model that is
// silent (thinking, or stalled) would keep the reply thread for the whole idle
// timeout. This watcher shuts the socket down as soon as the token is cancelled.
class StopOnCancel {
 public:
  StopOnCancel(httplib::Client& client, const CancelToken& cancel)
      : thread_([this, &client, &cancel] {
          std::unique_lock lock(mutex_);
          while (!done_) {
            if (cancel.cancelled()) client.stop();
            cv_.wait_for(lock, std::chrono::milliseconds(50));
          }
        }) {}
  ~StopOnCancel() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  StopOnCancel(const StopOnCancel&) = delete;
  StopOnCancel& operator=(const StopOnCancel&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

std::string completions_path(std::string_view base_path) {
  std::string path(base_path);
  while (!path.empty() && path.back() == '/') path.pop_back();
  bool has_v1 = path.size() >= 3 && path.compare(path.size() - 3, 3, "/v1") == 0;
  if (!has_v1) path += "/v1";
  return path + "/chat/completions";
}

nlohmann::json build_chat_request(std::string_view model, const ModelRequest& request, std::size_t max_history) {
  std::string system = request.prompt;
  if (!request.prompt_extra.empty()) {
    if (!system.empty()) system += "\n\n";
    system += request.prompt_extra;
  }
  // The model cannot know the day and hour; "are you open tonight?" needs both. (An
  // agent with no prompt at all sends no system message.)
  auto now = system.empty() ? std::nullopt
                            : local_time(request.timezone, request.now.value_or(std::chrono::system_clock::now()));
  if (now) {
    system += "\n\n";
    system += clock_context(read_restaurant_facts(request.prompt + "\n" + request.prompt_extra), *now,
                            request.timezone, chat::lang_from_tag(request.lang));
  }
  nlohmann::json messages = nlohmann::json::array();
  if (!system.empty()) messages.push_back({{"role", "system"}, {"content", system}});
  std::size_t first = request.history.size() > max_history ? request.history.size() - max_history : 0;
  for (std::size_t i = first; i < request.history.size(); ++i) {
    const auto& m = request.history[i];
    messages.push_back({{"role", role_name(m.role)}, {"content", m.text}});
  }
  return {{"model", model}, {"stream", true}, {"messages", std::move(messages)}};
}

std::string upstream_error_message(const nlohmann::json& body) {
  std::string message;
  if (body.is_object() && body.contains("error")) {
    const auto& error = body["error"];
    if (error.is_string()) {
      message = error.get<std::string>();
    } else if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      message = error["message"].get<std::string>();
    }
  }
  // A server may echo the key it was given ("Incorrect API key provided: sk-...").
  message = chat::redact_secrets(message);
  if (message.size() > kMaxUpstreamMessage) {
    message.resize(kMaxUpstreamMessage);
    // Don't leave half a UTF-8 sequence at the cut.
    while (!message.empty() && !chat::is_valid_utf8(message)) message.pop_back();
    message += "...";
  }
  return message;
}

CompletionStream::CompletionStream(PieceSink sink, std::size_t max_bytes)
    : sink_(std::move(sink)),
      max_bytes_(max_bytes),
      parser_([this](const chat::SseEvent& event) { on_event(event); }, kMaxEventLine) {}

bool CompletionStream::feed(std::string_view bytes) {
  if (done_ || error_) return false;
  if (!parser_.feed(bytes)) fail("the model's stream has a line over " + std::to_string(kMaxEventLine) + " bytes");
  return !done_ && !error_;
}

void CompletionStream::fail(std::string message) {
  if (!error_) error_ = Error(ErrorCode::model_error, std::move(message));
}

void CompletionStream::on_event(const chat::SseEvent& event) {
  if (done_ || error_) return;
  if (event.data == "[DONE]") {
    done_ = true;
    return;
  }
  auto chunk = nlohmann::json::parse(event.data, nullptr, false);
  if (chunk.is_discarded() || !chunk.is_object()) {
    return fail("the model's stream sent an event that is not JSON");
  }
  if (chunk.contains("error") && !chunk["error"].is_null()) {
    std::string message = upstream_error_message(chunk);
    return fail("the model failed mid-reply" + (message.empty() ? std::string() : ": " + message));
  }
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return;  // e.g. a usage chunk
  const auto& choice = (*choices)[0];
  if (!choice.is_object()) return;
  auto delta = choice.find("delta");
  if (delta == choice.end() || !delta->is_object()) return;
  auto content = delta->find("content");
  // The first chunk often carries `content: null` with the role; only strings count.
  if (content == delta->end() || !content->is_string()) return;
  const auto& piece = content->get_ref<const std::string&>();
  if (piece.empty()) return;
  bytes_ += piece.size();
  if (bytes_ > max_bytes_) return fail("the model's reply is over " + std::to_string(max_bytes_) + " bytes");
  sink_(piece);
}

chat::Result<std::shared_ptr<OpenAiModel>> OpenAiModel::create(OpenAiOptions options, std::string model) {
  if (options.base_url.empty()) {
    return Error(ErrorCode::model_unavailable,
                 "model '" + model + "' needs an OpenAI-compatible server, and LLM_BASE_URL is not set");
  }
  auto url = parse_upstream_url(options.base_url);
  if (!url) return Error(ErrorCode::model_unavailable, "LLM_BASE_URL: " + url.error().message);
  return std::shared_ptr<OpenAiModel>(
      new OpenAiModel(std::move(options), std::move(model), std::move(url).value()));
}

OpenAiModel::OpenAiModel(OpenAiOptions options, std::string model, UpstreamUrl url)
    : options_(std::move(options)),
      model_(std::move(model)),
      url_(std::move(url)),
      path_(completions_path(url_.path)) {}

chat::Result<void> OpenAiModel::reply(const ModelRequest& request, const PieceSink& sink,
                                      const CancelToken& cancel) {
  if (cancel.cancelled()) return Error(ErrorCode::model_error, "the reply was cancelled");

  httplib::Client client(url_.origin);
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.idle_timeout);
  client.set_write_timeout(options_.idle_timeout);
  client.set_tcp_nodelay(true);

  httplib::Request req;
  req.method = "POST";
  req.path = path_;
  req.set_header("Content-Type", "application/json");
  req.set_header("Accept", "text/event-stream");
  if (!options_.api_key.empty()) req.set_header("Authorization", "Bearer " + options_.api_key);
  req.body = build_chat_request(model_, request, options_.max_history)
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  int status = 0;
  bool streaming = true;  // false: a server that ignored stream:true and sent one JSON body
  std::string plain_body;
  bool plain_too_large = false;
  auto last_bytes = Clock::now();
  CompletionStream stream(sink, options_.max_reply_bytes);

  req.response_handler = [&](const httplib::Response& res) {
    status = res.status;
    auto type = res.get_header_value("Content-Type");
    streaming = status == 200 && type.rfind("application/json", 0) != 0;
    return true;
  };
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    if (cancel.cancelled()) return false;
    last_bytes = Clock::now();
    if (streaming) return stream.feed(std::string_view(data, size));
    std::size_t limit = status == 200 ? options_.max_reply_bytes + kMaxErrorBody : kMaxErrorBody;
    if (plain_body.size() + size > limit) {
      plain_too_large = true;
      return false;
    }
    plain_body.append(data, size);
    return true;
  };

  httplib::Result result{nullptr, httplib::Error::Unknown};
  {
    StopOnCancel watcher(client, cancel);
    result = client.send(req);
  }

  if (cancel.cancelled()) return Error(ErrorCode::model_error, "the reply was cancelled");
  if (stream.error()) return *stream.error();
  if (stream.done()) return {};  // we stopped reading at [DONE]: the library calls that Canceled

  const std::string where = "the model server (" + url_.origin + ")";
  if (!result) {
    auto silence = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_bytes);
    switch (result.error()) {
      case httplib::Error::ConnectionTimeout:
        return Error(ErrorCode::upstream_timeout,
                     where + " did not accept the connection within " + seconds_text(options_.connect_timeout));
      case httplib::Error::Connection: return Error(ErrorCode::model_unavailable, where + " could not be reached");
      case httplib::Error::Read:
        // httplib reports a read timeout and a cut connection alike; the silence tells them apart.
        if (silence + std::chrono::milliseconds(200) >= options_.idle_timeout) {
          return Error(ErrorCode::upstream_timeout,
                       where + " sent nothing for " + seconds_text(options_.idle_timeout));
        }
        return Error(ErrorCode::model_error, where + " broke off the reply");
      case httplib::Error::Canceled:
        if (plain_too_large) return Error(ErrorCode::model_error, where + " sent a body that is too large");
        break;
      default: break;
    }
    return Error(ErrorCode::model_error, where + " failed: " + httplib::to_string(result.error()));
  }

  if (status != 200) {
    auto body = nlohmann::json::parse(plain_body, nullptr, false);
    std::string message = body.is_discarded() ? std::string() : upstream_error_message(body);
    return Error(ErrorCode::model_unavailable, where + " answered HTTP " + std::to_string(status) +
                                                   (message.empty() ? std::string() : ": " + message));
  }
  if (!streaming) {
    // Not a stream: one chat.completion object, the whole reply at once.
    auto body = nlohmann::json::parse(plain_body, nullptr, false);
    if (body.is_discarded()) return Error(ErrorCode::model_error, where + " sent a body that is not JSON");
    if (auto message = upstream_error_message(body); !message.empty()) {
      return Error(ErrorCode::model_error, where + " failed: " + message);
    }
    const nlohmann::json* content = nullptr;
    if (body.contains("choices") && body["choices"].is_array() && !body["choices"].empty()) {
      const auto& choice = body["choices"][0];
      if (choice.is_object() && choice.contains("message") && choice["message"].is_object() &&
          choice["message"].contains("content")) {
        content = &choice["message"]["content"];
      }
    }
    if (!content || !content->is_string()) {
      return Error(ErrorCode::model_error, where + " sent a completion without text");
    }
    sink(content->get_ref<const std::string&>());
    return {};
  }
  // A clean end of the body without [DONE]: some servers only close the connection.
  return {};
}

}  // namespace agent_server
