// The public edge against hostile clients, on the real binaries: body floods, slow
// clients, bursts of connections, one client flooding while another chats.
// Distinct clients are distinct loopback addresses (127.0.0.2, 127.0.0.3, ...).
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "http.hpp"
#include "stream_crowd.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using test_support::connect_from;
using test_support::HttpClient;
using test_support::raw_status;
using test_support::resident_kb;

namespace {

// Reads what the server answers on `fd` until it closes or `timeout` passes.
std::string read_answer(int fd, std::chrono::milliseconds timeout) {
  std::string out;
  auto until = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// Sends `head`, then up to `total` bytes of chunked body in 64 KB chunks while the
// server takes them; returns the server's answer and how much it took.
std::pair<std::string, std::size_t> chunked_flood(int port, const std::string& head, std::size_t total) {
  int fd = connect_from("127.0.0.1", port);
  REQUIRE(fd >= 0);
  timeval five{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five);
  std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  std::size_t sent = 0;
  bool open = ::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size());
  while (open && sent < total) {
    ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string answer = read_answer(fd, std::chrono::seconds(5));
  ::close(fd);
  return {answer, sent};
}

}  // namespace

TEST_CASE("body floods are refused before they are read, and memory stays flat") {
  Stack stack;
  auto [rid, agent] = stack.create_restaurant("Flood");
  const int pid = stack.proxy_process->pid();
  const long before = resident_kb(pid);
  constexpr std::size_t k200MB = 200u << 20;

  // No admin token: 401 before a byte of the body is taken.
  auto unauthenticated = chunked_flood(
      stack.proxy_port,
      "POST /api/restaurants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n",
      k200MB);
  CHECK(raw_status(unauthenticated.first) == 401);
  CHECK(unauthenticated.second < k200MB);

  // The admin's own oversized body: 413 once the limit is passed.
  auto admin = chunked_flood(stack.proxy_port,
                             "POST /api/restaurants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Authorization: Bearer " +
                                 kSiteAdminToken + "\r\nTransfer-Encoding: chunked\r\n\r\n",
                             k200MB);
  CHECK(raw_status(admin.first) == 413);
  CHECK(admin.first.find("payload_too_large") != std::string::npos);
  CHECK(admin.second < k200MB);

  // A visitor's chat call: 413 as well.
  auto chat = chunked_flood(stack.proxy_port,
                            "POST /api/chat/" + rid +
                                "/chat/sessions HTTP/1.1\r\nHost: x\r\n"
                                "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                            k200MB);
  CHECK(raw_status(chat.first) == 413);

  // A body announced over the limit: refused on its Content-Length alone.
  std::string declared = test_support::raw_http(
      stack.proxy_port, "POST /api/chat/" + rid +
                            "/chat/sessions HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n{");
  CHECK(raw_status(declared) == 413);

  // A chunked body with a trailer: refused as a bad request, saying why (not 413).
  std::string trailer = test_support::raw_http(
      stack.proxy_port, "POST /api/chat/" + rid +
                            "/chat/sessions HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "2\r\n{}\r\n0\r\nX-Checksum: 1\r\n\r\n");
  CHECK(raw_status(trailer) == 400);
  CHECK(trailer.find("trailer") != std::string::npos);

  const long after = resident_kb(pid);
  INFO("proxy RSS before " << before << " KB, after " << after << " KB");
  CHECK(after - before < 20 * 1024);
}

TEST_CASE("slow clients are cut, and never take the workers others need") {
  StackOptions options;
  options.proxy_env = {{"PROXY_THREADS", "8"},
                       {"PROXY_HEAD_TIMEOUT_MS", "1500"},
                       {"PROXY_MAX_CONNECTIONS_PER_CLIENT", "4"}};
  Stack stack(options);

  // 12 connections from one address, each sending its head a byte at a time, well
  // within the library's 5 s per read.
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: slow\r\nX-Padding: " + std::string(200, 'p');
  std::vector<int> slow;
  for (int i = 0; i < 12; ++i) {
    int fd = connect_from("127.0.0.2", stack.proxy_port);
    REQUIRE(fd >= 0);
    slow.push_back(fd);
  }
  std::vector<std::string> answers(slow.size());
  std::vector<bool> ended(slow.size());  // the proxy closed it
  std::atomic<int> closed{0};
  std::atomic<bool> dribbling{true};
  std::thread dribbler([&] {
    for (std::size_t pos = 0; dribbling && pos < head.size(); ++pos) {
      for (std::size_t i = 0; i < slow.size(); ++i) {
        ::send(slow[i], head.data() + pos, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        pollfd p{slow[i], POLLIN, 0};
        if (!ended[i] && ::poll(&p, 1, 0) > 0) {
          char buf[1024];
          ssize_t n = ::recv(slow[i], buf, sizeof buf, MSG_DONTWAIT);
          if (n > 0) answers[i].append(buf, static_cast<std::size_t>(n));
          if (n == 0) {
            ended[i] = true;
            ++closed;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the attack's own pace
    }
  });

  // The 8 over the cap are answered 429 at once, each by a worker for a moment (it
  // reads what the client still sends for up to 250 ms before closing): once they are
  // closed, the 4 slow heads hold 4 of the 8 workers. (Asked for before, a visitor
  // could find all 8 busy: a 503 seen under ASan.)
  REQUIRE(Stack::eventually([&] { return closed >= 8; }, std::chrono::seconds(15)));
  // Meanwhile other visitors are served, again and again, each from an address of its
  // own (this is not about the per-client cap).
  for (int i = 0; i < 5; ++i) {
    CHECK(HttpClient(stack.proxy_port).from("127.0.0." + std::to_string(3 + i)).get("/healthz").status == 200);
  }

  // The slow heads are cut at their deadline (408); those past the per-client cap
  // were refused at once (429).
  CHECK(Stack::eventually(
      [&] { return stack.proxy_metric("chat_proxy_connections_refused_total", "reason=\"head_timeout\"") >= 4; },
      std::chrono::seconds(15)));
  dribbling = false;
  dribbler.join();
  int timeouts = 0;
  int refused = 0;
  for (std::size_t i = 0; i < slow.size(); ++i) {
    answers[i] += read_answer(slow[i], std::chrono::seconds(2));
    ::close(slow[i]);
    int status = raw_status(answers[i]);
    if (status == 408) ++timeouts;
    if (status == 429) ++refused;
  }
  CHECK(timeouts == 4);
  CHECK(refused == 8);
  CHECK(stack.proxy_metric("chat_proxy_connections_refused_total", "reason=\"too_many_connections\"") == 8);
  CHECK(HttpClient(stack.proxy_port).from("127.0.0.8").get("/healthz").status == 200);
}

TEST_CASE("a burst of 1,500 connections gets 1,500 answers") {
  REQUIRE(test_support::StreamCrowd::allow_open_files(4000));
  Stack stack;
  test_support::StreamCrowd crowd(stack.proxy_port, 1500,
                                  "GET /healthz HTTP/1.1\r\nHost: burst\r\nConnection: close\r\n\r\n");
  REQUIRE(crowd.size() == 1500);
  CHECK(crowd.wait_all("HTTP/1.1 ", std::chrono::seconds(60)) == 1500);
  std::size_t ok = 0;
  std::size_t over_cap = 0;
  for (std::size_t i = 0; i < crowd.size(); ++i) {
    int status = raw_status(crowd.received(i));
    if (status == 200) ++ok;
    if (status == 429) ++over_cap;
    // Past the per-client cap (256 open at once) the answer is a clear 429, or 503
    // when every worker is busy: never silence.
    if (status != 200) CHECK((status == 429 || status == 503));
  }
  INFO(ok << " of 1500 answered 200, " << over_cap << " 429");
  CHECK(ok > 0);
  CHECK(stack.proxy_metric("chat_proxy_connections_refused_total", "reason=\"too_many_connections\"") ==
        static_cast<double>(over_cap));
}

TEST_CASE("one client's flood leaves another visitor's chat working") {
  Stack stack;
  auto [rid, agent] = stack.create_restaurant("Fair");
  const std::string base = "/api/chat/" + rid + "/chat/sessions";
  HttpClient flooder = HttpClient(stack.proxy_port).from("127.0.0.2");
  HttpClient honest = HttpClient(stack.proxy_port).from("127.0.0.3");

  // Sessions: the flooder's budget runs out (20 an hour by default), with Retry-After.
  int created = 0;
  test_support::HttpResponse last;
  for (int i = 0; i < 300; ++i) {
    last = flooder.post_json(base, nlohmann::json::object());
    if (last.status != 201) break;
    ++created;
  }
  CHECK(created == 20);
  CHECK(last.status == 429);
  CHECK(last.error_code() == "rate_limited");
  CHECK(std::stoi(last.header("Retry-After")) > 0);

  // The honest visitor opens a session and chats.
  auto session = honest.post_json(base, nlohmann::json::object());
  REQUIRE(session.status == 201);
  const std::string sid = session.json()["sessionId"];
  const std::string visitor = session.json()["visitorId"];
  httplib::Headers as_visitor = {{"X-Chat-Visitor", visitor}};

  // Messages: one reply at a time per session, so the flooder spreads its messages
  // over sessions (opened from another address of its own); 12 a minute pass.
  HttpClient second_address = HttpClient(stack.proxy_port).from("127.0.0.4");
  std::vector<std::pair<std::string, std::string>> sessions;
  for (int i = 0; i < 20; ++i) {
    auto s = second_address.post_json(base, nlohmann::json::object());
    REQUIRE(s.status == 201);
    sessions.emplace_back(s.json()["sessionId"], s.json()["visitorId"]);
  }
  int accepted = 0;
  int refused = 0;
  for (const auto& [id, v] : sessions) {
    auto r = flooder.post_json(base + "/" + id + "/messages", {{"text", "spam"}}, {{"X-Chat-Visitor", v}});
    if (r.status == 202) ++accepted;
    if (r.status == 429) ++refused;
  }
  CHECK(accepted == 12);
  CHECK(refused == 8);

  auto message = honest.post_json(base + "/" + sid + "/messages", {{"text", "Vous êtes ouverts ?"}}, as_visitor);
  CHECK(message.status == 202);
  CHECK(stack.proxy_metric("chat_proxy_client_budget_refused_total", "budget=\"sessions\"") == 1);
  CHECK(stack.proxy_metric("chat_proxy_client_budget_refused_total", "budget=\"messages\"") == 8);
}

TEST_CASE("SMS pumping: one client gets codes for a few numbers only") {
  Stack stack;
  auto [rid, agent] = stack.create_restaurant("Sms");
  const std::string base = "/api/chat/" + rid + "/chat/sessions";
  HttpClient pumper = HttpClient(stack.proxy_port).from("127.0.0.2");
  int sent = 0;
  test_support::HttpResponse last;
  for (int i = 0; i < 25; ++i) {
    // A session per number: one session waits between two codes.
    auto s = HttpClient(stack.proxy_port)
                 .from("127.0.1." + std::to_string(i + 1))
                 .post_json(base, nlohmann::json::object());
    REQUIRE(s.status == 201);
    std::string phone = "+3361234" + std::to_string(1000 + i);
    last = pumper.post_json(base + "/" + std::string(s.json()["sessionId"]) + "/phone", {{"phone", phone}},
                            {{"X-Chat-Visitor", std::string(s.json()["visitorId"])}});
    if (last.status != 202) break;
    ++sent;
  }
  CHECK(sent == 3);
  CHECK(last.status == 429);
  CHECK(last.error_code() == "rate_limited");
  CHECK(stack.proxy_metric("chat_proxy_client_budget_refused_total", "budget=\"phones\"") == 1);
}
