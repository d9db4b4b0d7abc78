// Agent-server figures for bench/agent/run.sh, from one client thread driving raw
// sockets with poll(), so the client takes as little of the 2 cores as it can.
//
//   load messages PORT TOKEN LANES SECONDS PER_SESSION
//     LANES visitors chat at once, each in a closed loop: POST a message, wait for
//     its reply's `done` on the session's event stream, post the next; after
//     PER_SESSION messages the visitor starts a new session (real chats are short,
//     and a session's messages are stored as one JSON array). Prints messages per
//     second end to end (POST sent -> `done` read) and the time from POST sent to
//     the first `delta` read, as percentiles.
//   load idle PORT TOKEN COUNT
//     Opens COUNT event streams at once on one session, prints how long until all
//     had their first bytes, then holds them until stdin closes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "load: %s\n", why.c_str());
  std::exit(1);
}

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) die("connect() failed");
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) die("send() failed");
    sent += static_cast<std::size_t>(n);
  }
}

// Appends what is readable now; false when the peer closed.
bool read_some(int fd, std::string& into) {
  char buffer[16384];
  auto n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  if (n > 0) {
    into.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

struct Response {
  int status = 0;  ///< 0 while incomplete
  std::string body;
  bool closing = false;  ///< "Connection: close": the server closes after it
};

// A complete response at the start of `buffer` (Content-Length bodies only):
// removes it and returns it.
Response take_response(std::string& buffer) {
  auto end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return {};
  std::size_t length = 0;
  for (const char* name : {"Content-Length: ", "content-length: "}) {
    auto at = buffer.find(name);
    if (at != std::string::npos && at < end) length = std::stoul(buffer.substr(at + 16));
  }
  if (buffer.size() < end + 4 + length) return {};
  Response out;
  out.status = std::atoi(buffer.c_str() + 9);
  out.body = buffer.substr(end + 4, length);
  out.closing = buffer.substr(0, end).find("Connection: close") != std::string::npos;
  buffer.erase(0, end + 4 + length);
  return out;
}

std::string request(const std::string& method, const std::string& path, const std::string& token,
                    const std::string& visitor, const std::string& body) {
  std::string out = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                    "\r\n";
  if (!visitor.empty()) out += "X-Chat-Visitor: " + visitor + "\r\n";
  if (method == "POST") {
    out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  } else {
    out += "Accept: text/event-stream\r\n";
  }
  return out + "\r\n" + body;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto index = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// One visitor: a keep-alive connection for its POSTs and its session's stream.
struct Lane {
  enum class State { creating, opening, chatting } state = State::creating;
  int api = -1;
  int stream = -1;
  std::string api_in, stream_in;
  std::string session, visitor;
  int sent_in_session = 0;
  Clock::time_point posted{};
  bool accepted = false;  // the POST's 202 came back
  bool delta_seen = false;
  bool done_seen = false;
};

int run_messages(int port, const std::string& token, int lanes_count, int seconds, int per_session) {
  std::vector<Lane> lanes(static_cast<std::size_t>(lanes_count));
  const std::string question = R"({"text":"Quels sont vos horaires ?"})";
  auto create_session = [&](Lane& lane) {
    lane.state = Lane::State::creating;
    send_all(lane.api, request("POST", "/api/chat/sessions", token, "", "{}"));
  };
  auto post_message = [&](Lane& lane) {
    lane.accepted = lane.delta_seen = lane.done_seen = false;
    lane.posted = Clock::now();
    ++lane.sent_in_session;
    send_all(lane.api,
             request("POST", "/api/chat/sessions/" + lane.session + "/messages", token, lane.visitor, question));
  };
  for (auto& lane : lanes) {
    lane.api = connect_to(port);
    create_session(lane);
  }

  std::vector<double> first_delta, round_trip;
  std::map<int, long> refused;  // status -> count, for anything but 202
  const auto start = Clock::now();
  const auto stop = start + std::chrono::seconds(seconds);
  std::vector<pollfd> polled;
  std::vector<std::pair<std::size_t, bool>> owner;  // lane, is_stream
  while (Clock::now() < stop) {
    polled.clear();
    owner.clear();
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      polled.push_back({lanes[i].api, POLLIN, 0});
      owner.emplace_back(i, false);
      if (lanes[i].stream >= 0) {
        polled.push_back({lanes[i].stream, POLLIN, 0});
        owner.emplace_back(i, true);
      }
    }
    if (::poll(polled.data(), polled.size(), 1000) < 0) die("poll() failed");
    for (std::size_t k = 0; k < polled.size(); ++k) {
      if (polled[k].revents == 0) continue;
      auto now = Clock::now();
      Lane& lane = lanes[owner[k].first];
      if (owner[k].second) {
        if (!read_some(lane.stream, lane.stream_in)) die("a stream closed");
        if (lane.state == Lane::State::opening && lane.stream_in.find("retry:") != std::string::npos) {
          lane.state = Lane::State::chatting;
          lane.stream_in.clear();
          post_message(lane);
          continue;
        }
        if (lane.state != Lane::State::chatting) continue;
        if (!lane.delta_seen && lane.stream_in.find("event: delta") != std::string::npos) {
          lane.delta_seen = true;
          first_delta.push_back(ms(now - lane.posted));
        }
        if (lane.stream_in.find("event: done") != std::string::npos) {
          lane.done_seen = true;
          round_trip.push_back(ms(now - lane.posted));
        }
        // Keep only a tail: an event name may straddle two reads.
        if (lane.stream_in.size() > 64) lane.stream_in.erase(0, lane.stream_in.size() - 32);
        if (lane.done_seen) lane.stream_in.clear();
      } else {
        if (!read_some(lane.api, lane.api_in)) die("the API connection closed");
        auto [status, body, closing] = take_response(lane.api_in);
        if (status == 0) continue;
        if (closing) {  // the library closes a connection after 5 requests
          ::close(lane.api);
          lane.api = connect_to(port);
        }
        if (lane.state == Lane::State::creating) {
          if (status != 201) die("creating a session: HTTP " + std::to_string(status) + " " + body);
          auto session = nlohmann::json::parse(body);
          lane.session = session.at("sessionId").get<std::string>();
          lane.visitor = session.at("visitorId").get<std::string>();
          lane.sent_in_session = 0;
          lane.state = Lane::State::opening;
          lane.stream = connect_to(port);
          send_all(lane.stream,
                   request("GET", "/api/chat/sessions/" + lane.session + "/events", token, lane.visitor, ""));
          continue;
        }
        if (status != 202) {
          ++refused[status];
          lane.done_seen = true;  // no reply is coming: go on
        }
        lane.accepted = true;
      }
      if (lane.state == Lane::State::chatting && lane.accepted && lane.done_seen) {
        if (lane.sent_in_session < per_session) {
          post_message(lane);
        } else {
          ::close(lane.stream);
          lane.stream = -1;
          lane.stream_in.clear();
          create_session(lane);
        }
      }
    }
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("lanes %d, %d s, %zu replies, %.0f messages/s\n", lanes_count, seconds, round_trip.size(),
              static_cast<double>(round_trip.size()) / elapsed);
  std::printf("first delta ms: p50 %.2f p90 %.2f p99 %.2f max %.2f\n", percentile(first_delta, 50),
              percentile(first_delta, 90), percentile(first_delta, 99), percentile(first_delta, 100));
  std::printf("post -> done ms: p50 %.2f p90 %.2f p99 %.2f max %.2f\n", percentile(round_trip, 50),
              percentile(round_trip, 90), percentile(round_trip, 99), percentile(round_trip, 100));
  for (auto [status, count] : refused) std::printf("refused: HTTP %d x %ld\n", status, count);
  for (auto& lane : lanes) {
    ::close(lane.api);
    if (lane.stream >= 0) ::close(lane.stream);
  }
  return refused.empty() ? 0 : 1;
}

int run_idle(int port, const std::string& token, int count) {
  int api = connect_to(port);
  send_all(api, request("POST", "/api/chat/sessions", token, "", "{}"));
  std::string in;
  Response created;
  while (created.status == 0) {
    pollfd p{api, POLLIN, 0};
    ::poll(&p, 1, 5000);
    if (!read_some(api, in)) die("the API connection closed");
    created = take_response(in);
  }
  if (created.status != 201) die("creating a session: HTTP " + std::to_string(created.status));
  auto session = nlohmann::json::parse(created.body);
  const std::string get = request("GET",
                                  "/api/chat/sessions/" + session.at("sessionId").get<std::string>() + "/events",
                                  token, session.at("visitorId").get<std::string>(), "");

  const auto start = Clock::now();
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) fds.push_back(connect_to(port));
  for (int fd : fds) send_all(fd, get);
  std::vector<std::string> received(fds.size());
  std::size_t started = 0;
  std::vector<bool> seen(fds.size(), false);
  while (started < fds.size()) {
    std::vector<pollfd> polled;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (seen[i]) continue;
      polled.push_back({fds[i], POLLIN, 0});
      index.push_back(i);
    }
    if (::poll(polled.data(), polled.size(), 30000) <= 0) die("streams did not start within 30 s");
    for (std::size_t k = 0; k < polled.size(); ++k) {
      if (polled[k].revents == 0) continue;
      auto i = index[k];
      if (!read_some(fds[i], received[i])) die("a stream closed: " + received[i].substr(0, 200));
      if (received[i].find("retry:") != std::string::npos) {
        seen[i] = true;
        ++started;
      }
    }
  }
  std::printf("%d streams open, all started %.0f ms after the first connect\n", count, ms(Clock::now() - start));
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  for (int fd : fds) ::close(fd);
  ::close(api);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 6 && args[0] == "messages") {
    return run_messages(std::stoi(args[1]), args[2], std::stoi(args[3]), std::stoi(args[4]), std::stoi(args[5]));
  }
  if (args.size() == 4 && args[0] == "idle") return run_idle(std::stoi(args[1]), args[2], std::stoi(args[3]));
  std::fprintf(stderr, "usage: load messages PORT TOKEN LANES SECONDS PER_SESSION\n"
                       "       load idle PORT TOKEN COUNT\n");
  return 2;
}
