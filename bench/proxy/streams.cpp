// Stream figures for bench/proxy/run.sh.
//   streams latency AGENT_PORT TOKEN MESSAGES NAME=PORT:PATH_PREFIX...
//     One session, one direct stream plus one per named relay; posts MESSAGES messages
//     and prints, per relay, how much later than the direct stream each delta arrived.
//   streams hold PORT PATH_PREFIX COUNT
//     Opens COUNT streams through PORT (one session each), waits for all to start,
//     posts a message on one of them and times its answer, prints the figures, holds
//     the streams until stdin closes, then closes them.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

// One event stream on its own thread, with the arrival time of each delta.
struct Stream {
  httplib::Client cli;
  std::mutex mutex;
  std::vector<Clock::time_point> deltas;
  std::string pending;
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};  // an "event: done" arrived
  std::atomic<bool> stop{false};
  std::thread thread;

  Stream(int port, std::string path, httplib::Headers headers) : cli("127.0.0.1", port) {
    cli.set_read_timeout(60);
    thread = std::thread([this, path = std::move(path), headers = std::move(headers)] {
      cli.Get(path, headers, [this](const char* data, size_t size) {
        auto now = Clock::now();
        std::lock_guard lock(mutex);
        pending.append(data, size);
        if (pending.find("retry:") != std::string::npos) started = true;
        if (pending.find("event: done") != std::string::npos) done = true;
        for (auto at = pending.find("event: delta"); at != std::string::npos; at = pending.find("event: delta")) {
          deltas.push_back(now);
          pending.erase(0, at + 12);
        }
        if (pending.size() > 4096) pending.erase(0, pending.size() - 64);
        return !stop.load();
      });
    });
  }
  ~Stream() {
    stop = true;
    cli.stop();
    thread.join();
  }
};

bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

int latency(int argc, char** argv) {
  int agent_port = std::stoi(argv[2]);
  std::string token = argv[3];
  int messages = std::stoi(argv[4]);
  httplib::Client agent("127.0.0.1", agent_port);
  agent.set_bearer_token_auth(token);
  auto created = agent.Post("/api/chat/sessions", "{}", "application/json");
  if (!created || created->status != 201) return std::fprintf(stderr, "no session\n"), 1;
  auto session = nlohmann::json::parse(created->body);
  std::string sid = session["sessionId"], visitor = session["visitorId"];
  std::string tail = "/chat/sessions/" + sid + "/events?visitor=" + visitor;

  std::map<std::string, std::unique_ptr<Stream>> streams;
  streams["direct"] = std::make_unique<Stream>(agent_port, "/api" + tail,
                                               httplib::Headers{{"Authorization", "Bearer " + token}});
  for (int i = 5; i < argc; ++i) {
    std::string spec = argv[i];
    auto eq = spec.find('='), colon = spec.find(':');
    streams[spec.substr(0, eq)] = std::make_unique<Stream>(std::stoi(spec.substr(eq + 1, colon - eq - 1)),
                                                           spec.substr(colon + 1) + tail, httplib::Headers{});
  }
  for (auto& [name, s] : streams) {
    if (!wait_until([&] { return s->started.load(); }, std::chrono::seconds(10))) {
      return std::fprintf(stderr, "%s did not start\n", name.c_str()), 1;
    }
  }
  std::size_t expected = 0;
  for (int m = 0; m < messages; ++m) {
    auto posted = agent.Post("/api/chat/sessions/" + sid + "/messages", {{"X-Chat-Visitor", visitor}},
                             R"({"text":"Bonjour, quels sont vos horaires ?"})", "application/json");
    if (!posted || posted->status != 202) break;
    // The reply is done when the direct stream stops growing.
    std::size_t last = 0;
    wait_until(
        [&] {
          std::lock_guard lock(streams["direct"]->mutex);
          auto n = streams["direct"]->deltas.size();
          bool settled = n > expected && n == last;
          last = n;
          return settled;
        },
        std::chrono::seconds(30));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    expected = last;
  }
  auto& direct = streams["direct"]->deltas;
  for (auto& [name, s] : streams) {
    if (name == "direct") continue;
    std::vector<double> added;
    for (std::size_t i = 0; i < std::min(direct.size(), s->deltas.size()); ++i) {
      added.push_back(std::chrono::duration<double, std::micro>(s->deltas[i] - direct[i]).count());
    }
    std::sort(added.begin(), added.end());
    auto pct = [&](double p) { return added.empty() ? 0.0 : added[static_cast<size_t>(p * (added.size() - 1))]; };
    std::printf(
        "{\"target\":\"%s\",\"deltas\":%zu,\"direct_deltas\":%zu,\"added_p50_us\":%.0f,\"added_p99_us\":%.0f}\n",
        name.c_str(), s->deltas.size(), direct.size(), pct(0.5), pct(0.99));
  }
  return 0;
}

int hold(char** argv) {
  int port = std::stoi(argv[2]);
  std::string prefix = argv[3];
  int count = std::stoi(argv[4]);
  struct Opened {
    std::string session, visitor;
  };
  std::vector<Opened> sessions(static_cast<std::size_t>(count));
  std::atomic<int> next{0}, failed{0};
  auto start = Clock::now();
  {
    // Sessions created by 8 keep-alive clients at once, then one stream each.
    std::vector<std::thread> creators;
    for (int t = 0; t < 8; ++t) {
      creators.emplace_back([&] {
        httplib::Client cli("127.0.0.1", port);
        cli.set_keep_alive(true);
        for (int i = next++; i < count; i = next++) {
          auto created = cli.Post(prefix + "/chat/sessions", "{}", "application/json");
          if (!created || created->status != 201) {
            ++failed;
            continue;
          }
          auto session = nlohmann::json::parse(created->body);
          sessions[static_cast<std::size_t>(i)] = {session["sessionId"], session["visitorId"]};
        }
      });
    }
    for (auto& t : creators) t.join();
  }
  if (failed > 0) return std::fprintf(stderr, "%d sessions failed\n", failed.load()), 1;
  std::vector<std::unique_ptr<Stream>> streams;
  for (const auto& s : sessions) {
    streams.push_back(std::make_unique<Stream>(
        port, prefix + "/chat/sessions/" + s.session + "/events?visitor=" + s.visitor, httplib::Headers{}));
  }
  bool all = wait_until(
      [&] { return std::all_of(streams.begin(), streams.end(), [](auto& s) { return s->started.load(); }); },
      std::chrono::seconds(300));
  double opened_s = std::chrono::duration<double>(Clock::now() - start).count();
  // While every stream is held: a message on the last one, timed to its first
  // delta and to its done event.
  httplib::Client cli("127.0.0.1", port);
  auto& last = *streams.back();
  auto posted_at = Clock::now();
  auto posted = cli.Post(prefix + "/chat/sessions/" + sessions.back().session + "/messages",
                         {{"X-Chat-Visitor", sessions.back().visitor}},
                         R"({"text":"Vous êtes ouverts ce soir ?"})", "application/json");
  bool answered = posted && posted->status == 202 &&
                  wait_until([&] { return last.done.load(); }, std::chrono::seconds(30));
  double first_delta_ms = -1;
  {
    std::lock_guard lock(last.mutex);
    if (!last.deltas.empty())
      first_delta_ms = std::chrono::duration<double, std::milli>(last.deltas.front() - posted_at).count();
  }
  double done_ms = std::chrono::duration<double, std::milli>(Clock::now() - posted_at).count();
  std::printf("{\"streams\":%d,\"all_started\":%s,\"seconds\":%.2f,\"answered\":%s,\"first_delta_ms\":%.1f,"
              "\"done_ms\":%.1f}\n",
              count, all ? "true" : "false", opened_s, answered ? "true" : "false", first_delta_ms, done_ms);
  std::fflush(stdout);
  std::string line;
  std::getline(std::cin, line);  // the script measures, then closes our stdin
  return all && answered ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 5 && std::string(argv[1]) == "latency") return latency(argc, argv);
  if (argc == 5 && std::string(argv[1]) == "hold") return hold(argv);
  std::fprintf(stderr, "usage: see the comment at the top of streams.cpp\n");
  return 2;
}
