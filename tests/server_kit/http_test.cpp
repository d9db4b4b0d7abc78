// kit/http: bearer tokens, constant-time compare, request ids, bodies.
#include <catch2/catch.hpp>

#include "kit/http.hpp"

namespace {

httplib::Request with_auth(std::initializer_list<std::string> values) {
  httplib::Request req;
  for (const auto& v : values) req.headers.emplace("Authorization", v);
  return req;
}

}  // namespace

TEST_CASE("bearer tokens: scheme in any case, one header, trimmed") {
  CHECK(kit::bearer_token(with_auth({"Bearer abc"})) == "abc");
  CHECK(kit::bearer_token(with_auth({"bearer  abc "})) == "abc");
  CHECK(kit::bearer_token(with_auth({"BEARER abc"})) == "abc");
  CHECK_FALSE(kit::bearer_token(with_auth({"Basic abc"})));
  CHECK_FALSE(kit::bearer_token(with_auth({"Bearer "})));
  CHECK_FALSE(kit::bearer_token(with_auth({"Bearer a", "Bearer b"})));
  CHECK_FALSE(kit::bearer_token(httplib::Request{}));
}

TEST_CASE("constant-time compare") {
  CHECK(kit::constant_time_equals("secret", "secret"));
  CHECK_FALSE(kit::constant_time_equals("secret", "secreT"));
  CHECK_FALSE(kit::constant_time_equals("secret", "secret2"));
  CHECK_FALSE(kit::constant_time_equals("", "x"));
  CHECK(kit::constant_time_equals("", ""));
}

TEST_CASE("request ids: a sane one is kept, else a new one is made") {
  CHECK(kit::is_sane_request_id("abc-DEF_1.2"));
  CHECK(kit::is_sane_request_id(std::string(128, 'a')));
  CHECK_FALSE(kit::is_sane_request_id(std::string(129, 'a')));
  CHECK_FALSE(kit::is_sane_request_id(""));
  CHECK_FALSE(kit::is_sane_request_id("a b"));
  CHECK_FALSE(kit::is_sane_request_id("a\"}"));
  httplib::Request req;
  req.headers.emplace("X-Request-Id", "bad id");
  auto made = kit::request_id(req);
  CHECK(kit::is_sane_request_id(made));
  CHECK(made != "bad id");
}

TEST_CASE("declared lengths and bodies") {
  httplib::Request req;
  CHECK(kit::declared_length(req) == 0);
  CHECK_FALSE(kit::has_body(req));
  req.headers.emplace("Content-Length", "12");
  CHECK(kit::declared_length(req) == 12);
  CHECK(kit::has_body(req));
  httplib::Request bad;
  bad.headers.emplace("Content-Length", "-1");
  CHECK(kit::declared_length(bad) == UINT64_MAX);
  httplib::Request chunked;
  chunked.headers.emplace("Transfer-Encoding", "chunked");
  CHECK(kit::has_body(chunked));
}

TEST_CASE("read_body: whole, or refused past the limit") {
  auto reader_of = [](std::vector<std::string> pieces) {
    return httplib::ContentReader(
        [pieces](httplib::ContentReceiver receive) {
          for (const auto& p : pieces) {
            if (!receive(p.data(), p.size())) return false;
          }
          return true;
        },
        [](httplib::MultipartContentHeader, httplib::ContentReceiver) { return false; });
  };
  CHECK(kit::read_body(reader_of({"ab", "cd"}), 4).value() == "abcd");
  auto over = kit::read_body(reader_of({"ab", "cde"}), 4);
  REQUIRE_FALSE(over);
  CHECK(over.error().code == chat::ErrorCode::payload_too_large);
}
