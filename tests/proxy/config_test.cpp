#include <catch2/catch.hpp>

#include <map>

#include "config.hpp"

using proxy::Command;
using proxy::parse_config;

namespace {

chat::Result<proxy::Config> parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parse_config(args, [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

const std::string kSite = "site_0123456789abcdef0123456789ab";
const std::string kAdm = "adm_0123456789abcdef0123456789abc";

}  // namespace

TEST_CASE("defaults match docs/design.md", "[config]") {
  auto c = parse({});
  REQUIRE(c.ok());
  CHECK(c->command == Command::serve);
  CHECK(c->listen_host == "127.0.0.1");
  CHECK(c->listen_port == 3000);
  CHECK(c->database_url == "sqlite:alloresto.db");
  CHECK(c->agent_server.to_string() == "http://127.0.0.1:4000");
  CHECK_FALSE(c->admin_token.has_value());
  CHECK_FALSE(c->agent_server_admin_token.has_value());
}

TEST_CASE("flags win over the environment", "[config]") {
  auto c = parse({"--listen", "0.0.0.0:0", "--db", "postgres://u@h/db"},
                 {{"PROXY_LISTEN", "127.0.0.1:9"},
                  {"DATABASE_URL", "sqlite:x.db"},
                  {"AGENT_SERVER_URL", "http://agent:4100/"},
                  {"ALLORESTO_ADMIN_TOKEN", kSite},
                  {"AGENT_SERVER_ADMIN_TOKEN", kAdm}});
  REQUIRE(c.ok());
  CHECK(c->listen_host == "0.0.0.0");
  CHECK(c->listen_port == 0);
  CHECK(c->database_url == "postgres://u@h/db");
  CHECK(c->agent_server.to_string() == "http://agent:4100");
  CHECK(c->admin_token == std::optional<std::string>(kSite));
  CHECK(c->agent_server_admin_token == std::optional<std::string>(kAdm));

  auto env_only = parse({}, {{"PROXY_LISTEN", "127.0.0.1:3100"}, {"DATABASE_URL", "sqlite:y.db"}});
  REQUIRE(env_only.ok());
  CHECK(env_only->listen_port == 3100);
  CHECK(env_only->database_url == "sqlite:y.db");
}

TEST_CASE("commands and help", "[config]") {
  CHECK(parse({"--help"})->command == Command::help);
  auto b = parse({"backfill", "--dry-run"});
  REQUIRE(b.ok());
  CHECK(b->command == Command::backfill);
  CHECK(b->dry_run);
  CHECK_FALSE(parse({"backfill"})->dry_run);
  CHECK_FALSE(proxy::usage().empty());
}

TEST_CASE("conversations RESTAURANT_ID [--csv]", "[config]") {
  auto table = parse({"conversations", "r1"});
  REQUIRE(table.ok());
  CHECK(table->command == Command::conversations);
  CHECK(table->restaurant_id == "r1");
  CHECK_FALSE(table->csv);
  auto csv = parse({"conversations", "r1", "--csv", "--db", "sqlite:x.db"});
  REQUIRE(csv.ok());
  CHECK(csv->csv);
  CHECK(csv->database_url == "sqlite:x.db");
  CHECK_FALSE(parse({"conversations"}).ok());
  CHECK_FALSE(parse({"--csv"}).ok());
  CHECK_FALSE(parse({"backfill", "--csv"}).ok());
  CHECK(proxy::usage().find("conversations RESTAURANT_ID") != std::string::npos);
}

TEST_CASE("bad configuration is refused with a message", "[config]") {
  std::vector<std::pair<std::vector<std::string>, std::map<std::string, std::string>>> bad = {
      {{"--listen"}, {}},
      {{"--listen", "nohost"}, {}},
      {{"--listen", "127.0.0.1:99999"}, {}},
      {{"--listen", "127.0.0.1:http"}, {}},
      {{"--db", "mysql://x"}, {}},
      {{"--dry-run"}, {}},
      {{"serve"}, {}},
      {{"--frobnicate"}, {}},
      {{}, {{"AGENT_SERVER_URL", "ftp://x"}}},
      {{}, {{"AGENT_SERVER_URL", "http://x/api"}}},
      {{}, {{"AGENT_SERVER_URL", "http://user:pw@x"}}},
      {{}, {{"AGENT_SERVER_URL", "http://x:0"}}},
      {{}, {{"AGENT_SERVER_URL", "http://"}}},
      {{}, {{"ALLORESTO_ADMIN_TOKEN", "with space"}}},
      {{}, {{"AGENT_SERVER_ADMIN_TOKEN", "tab\there"}}},
      {{}, {{"PROXY_THREADS", "1"}}},
      {{}, {{"PROXY_UPSTREAM_TIMEOUT_MS", "abc"}}},
  };
  for (const auto& [args, env] : bad) {
    auto c = parse(args, env);
    CHECK_FALSE(c.ok());
    if (!c.ok()) CHECK_FALSE(c.error().message.empty());
  }
}

TEST_CASE("an empty token means unset", "[config]") {
  auto c = parse({}, {{"ALLORESTO_ADMIN_TOKEN", ""}});
  REQUIRE(c.ok());
  CHECK_FALSE(c->admin_token.has_value());
}

TEST_CASE("admin tokens shorter than 32 characters are refused, naming the variable, not the value", "[config]") {
  const std::string short_token = "s_0123456789abcdef0123456789abc";  // 31 characters
  REQUIRE(short_token.size() == 31);
  for (const char* name : {"ALLORESTO_ADMIN_TOKEN", "AGENT_SERVER_ADMIN_TOKEN"}) {
    INFO(name);
    auto c = parse({}, {{name, short_token}});
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find(name) != std::string::npos);
    CHECK(c.error().message.find("32 characters") != std::string::npos);
    CHECK(c.error().message.find(short_token) == std::string::npos);
    auto ok = parse({}, {{name, short_token + "d"}});
    CHECK(ok.ok());
  }
  // Backfill needs the agent server's admin token too: refused the same way.
  CHECK_FALSE(parse({"backfill"}, {{"AGENT_SERVER_ADMIN_TOKEN", "adm"}}).ok());
}
