// A small closed-loop load generator: C connections, each sending N requests one after
// another with keep-alive, then requests/s and latency percentiles as one JSON line.
//   [LOAD_BEARER=token] load HOST PORT METHOD PATH BODY CONNECTIONS REQUESTS_PER_CONNECTION
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: load HOST PORT METHOD PATH BODY CONNECTIONS REQUESTS\n");
    return 2;
  }
  std::string host = argv[1];
  int port = std::stoi(argv[2]);
  std::string method = argv[3];
  std::string path = argv[4];
  std::string body = argv[5];
  int connections = std::stoi(argv[6]);
  int requests = std::stoi(argv[7]);

  using Clock = std::chrono::steady_clock;
  std::vector<std::vector<double>> latencies(connections);
  std::vector<int> failures(connections, 0);
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client cli(host, port);
      // LOAD_BEARER: a token for the direct runs (the proxies inject their own).
      if (const char* token = std::getenv("LOAD_BEARER")) cli.set_bearer_token_auth(token);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);
      cli.set_read_timeout(10);
      latencies[c].reserve(requests);
      for (int i = 0; i < requests; ++i) {
        auto t0 = Clock::now();
        auto res = method == "POST" ? cli.Post(path, body, "application/json") : cli.Get(path);
        auto t1 = Clock::now();
        if (!res || res->status >= 400) {
          ++failures[c];
          continue;
        }
        latencies[c].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  int failed = 0;
  for (int c = 0; c < connections; ++c) {
    all.insert(all.end(), latencies[c].begin(), latencies[c].end());
    failed += failures[c];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[static_cast<size_t>(p * (all.size() - 1))]; };
  std::printf("{\"ok\":%zu,\"failed\":%d,\"seconds\":%.3f,\"rps\":%.1f,\"p50_us\":%.0f,\"p99_us\":%.0f}\n",
              all.size(), failed, seconds, all.size() / seconds, pct(0.50), pct(0.99));
  return failed == 0 ? 0 : 1;
}
