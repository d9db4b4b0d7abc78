#include <catch2/catch.hpp>

#include "headers.hpp"

using namespace proxy;

TEST_CASE("only the allowed client headers reach the agent server", "[headers]") {
  httplib::Headers client = {{"Authorization", "Bearer client-guess"},
                             {"Cookie", "session=1"},
                             {"Connection", "keep-alive, X-Chat-Visitor"},
                             {"Keep-Alive", "timeout=5"},
                             {"Transfer-Encoding", "chunked"},
                             {"Upgrade", "websocket"},
                             {"TE", "trailers"},
                             {"Proxy-Authorization", "Basic x"},
                             {"Accept-Encoding", "gzip"},
                             {"Host", "evil"},
                             {"X-Forwarded-For", "1.2.3.4"},
                             {"X-Chat-Visitor", "visitor-abc"},
                             {"Last-Event-ID", "7"},
                             {"Content-Type", "application/json"},
                             {"Accept", "text/event-stream"}};
  auto up = chat_upstream_headers(client, "10.0.0.9", "req-1", "ak_secret");
  CHECK(up.count("Authorization") == 1);
  CHECK(up.find("Authorization")->second == "Bearer ak_secret");
  for (const char* dropped : {"Cookie", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE",
                              "Proxy-Authorization", "Accept-Encoding", "Host"}) {
    INFO(dropped);
    CHECK(up.count(dropped) == 0);
  }
  CHECK(up.find("X-Chat-Visitor")->second == "visitor-abc");
  CHECK(up.find("Last-Event-ID")->second == "7");
  CHECK(up.find("Content-Type")->second == "application/json");
  CHECK(up.find("Accept")->second == "text/event-stream");
  CHECK(up.count("X-Forwarded-For") == 1);
  CHECK(up.find("X-Forwarded-For")->second == "10.0.0.9");
  CHECK(up.find("X-Forwarded-Proto")->second == "http");
  CHECK(up.find("X-Request-Id")->second == "req-1");
}

TEST_CASE("header values with line breaks are not copied", "[headers]") {
  httplib::Headers client = {{"X-Chat-Visitor", "a\r\nAuthorization: Bearer x"}};
  auto up = chat_upstream_headers(client, "127.0.0.1", "r", "t");
  CHECK(up.count("X-Chat-Visitor") == 0);
}

TEST_CASE("widget requests carry no token", "[headers]") {
  httplib::Headers client = {{"If-None-Match", "\"abc\""}, {"Authorization", "Bearer x"}};
  auto up = widget_upstream_headers(client, "127.0.0.1", "r");
  CHECK(up.count("Authorization") == 0);
  CHECK(up.find("If-None-Match")->second == "\"abc\"");
}

TEST_CASE("only caching and retry headers come back", "[headers]") {
  httplib::Headers upstream = {{"ETag", "\"e\""},
                               {"Cache-Control", "max-age=60"},
                               {"Set-Cookie", "x=1"},
                               {"Retry-After", "3"},
                               {"Server", "x"}};
  httplib::Response res;
  copy_downstream_headers(upstream, res);
  CHECK(res.get_header_value("ETag") == "\"e\"");
  CHECK(res.get_header_value("Cache-Control") == "max-age=60");
  CHECK(res.get_header_value("Retry-After") == "3");
  CHECK_FALSE(res.has_header("Set-Cookie"));
  CHECK_FALSE(res.has_header("Server"));
}
