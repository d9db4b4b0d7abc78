#include <catch2/catch.hpp>

#include <map>

#include "config.hpp"

using agent_server::parse_command_line;

namespace {

chat::Result<agent_server::CommandLine> parse(std::vector<std::string> args,
                                              std::map<std::string, std::string> env = {}) {
  return parse_command_line(args, [env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

}  // namespace

TEST_CASE("defaults") {
  auto c = parse({});
  REQUIRE(c.ok());
  CHECK_FALSE(c->help);
  CHECK(c->config.listen_host == "127.0.0.1");
  CHECK(c->config.listen_port == 4000);
  CHECK(c->config.database_url == "sqlite:agent-server.db");
  CHECK(c->config.admin_token.empty());
  CHECK(c->config.local_model_word_ms == 30);
  CHECK(c->config.heartbeat_ms == 15000);
  CHECK(c->config.session_messages_per_minute == 20);
  CHECK(c->config.agent_messages_per_minute == 600);
  CHECK(c->config.threads == 5760);
  CHECK(c->config.max_streams == 5040);  // >= 5,000 streams, with 720 workers to spare
}

TEST_CASE("the stream limit follows the thread limit unless set, and stays under it") {
  auto derived = parse({"--threads", "96"});
  REQUIRE(derived.ok());
  CHECK(derived->config.max_streams == 84);
  auto small = parse({"--threads", "16"});
  REQUIRE(small.ok());
  CHECK(small->config.max_streams == 8);
  auto set = parse({"--threads", "64", "--max-streams", "56"});
  REQUIRE(set.ok());
  CHECK(set->config.max_streams == 56);
  auto from_env = parse({}, {{"AGENT_SERVER_MAX_STREAMS", "3000"}, {"AGENT_SERVER_THREADS", "4000"}});
  REQUIRE(from_env.ok());
  CHECK(from_env->config.max_streams == 3000);

  auto over = parse({"--threads", "64", "--max-streams", "57"});
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message.find("at least 8 under the thread limit (64)") != std::string::npos);
  CHECK_FALSE(parse({"--max-streams", "0"}).ok());
}

TEST_CASE("environment, then flags over it") {
  std::map<std::string, std::string> env = {{"AGENT_SERVER_LISTEN", "0.0.0.0:4100"},
                                            {"DATABASE_URL", "postgres://u@h/db"},
                                            {"AGENT_SERVER_ADMIN_TOKEN", "adm_0123456789abcdef0123456789ab"},
                                            {"WIDGET_DIR", "/w"},
                                            {"LOCAL_MODEL_WORD_MS", "0"},
                                            {"CHAT_HEARTBEAT_MS", "100"},
                                            {"CHAT_SESSION_MESSAGES_PER_MIN", "3"},
                                            {"CHAT_AGENT_MESSAGES_PER_MIN", "0"}};
  auto from_env = parse({}, env);
  REQUIRE(from_env.ok());
  CHECK(from_env->config.listen_host == "0.0.0.0");
  CHECK(from_env->config.listen_port == 4100);
  CHECK(from_env->config.database_url == "postgres://u@h/db");
  CHECK(from_env->config.admin_token == "adm_0123456789abcdef0123456789ab");
  CHECK(from_env->config.widget_dir == "/w");
  CHECK(from_env->config.local_model_word_ms == 0);
  CHECK(from_env->config.heartbeat_ms == 100);
  CHECK(from_env->config.session_messages_per_minute == 3);
  CHECK(from_env->config.agent_messages_per_minute == 0);

  auto flags = parse({"--listen", "[::1]:0", "--db=sqlite:x.db", "--widget-dir", "/v", "--threads", "64"}, env);
  REQUIRE(flags.ok());
  CHECK(flags->config.listen_host == "::1");
  CHECK(flags->config.listen_port == 0);
  CHECK(flags->config.database_url == "sqlite:x.db");
  CHECK(flags->config.widget_dir == "/v");
  CHECK(flags->config.threads == 64);
}

TEST_CASE("--help wins, bad values are errors with a message") {
  CHECK(parse({"--listen", "x", "--help"})->help);
  CHECK(parse({"--help"})->help);
  for (const auto& args : std::vector<std::vector<std::string>>{{"--listen", "4000"},
                                                                {"--listen", "h:"},
                                                                {"--listen", "h:70000"},
                                                                {"--db", "mysql://x"},
                                                                {"--db", "sqlite:"},
                                                                {"--threads", "2"},
                                                                {"--threads", "15"},
                                                                {"--max-streams", "x"},
                                                                {"--nope"},
                                                                {"--db"}}) {
    auto r = parse(args);
    INFO(args[0]);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == chat::ErrorCode::invalid_request);
    CHECK_FALSE(r.error().message.empty());
  }
  auto bad_env = parse({}, {{"CHAT_HEARTBEAT_MS", "often"}});
  REQUIRE_FALSE(bad_env.ok());
  CHECK(bad_env.error().message.find("CHAT_HEARTBEAT_MS") != std::string::npos);
  // A postgres URL may hold a password: never echoed.
  auto secret = parse({"--db", "mysql://user:hunter2@h/db"});
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("an admin token shorter than 32 characters is refused, without echoing it") {
  const std::string short_token = "adm_0123456789abcdef0123456789a";  // 31 characters
  REQUIRE(short_token.size() == 31);
  auto refused = parse({}, {{"AGENT_SERVER_ADMIN_TOKEN", short_token}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("AGENT_SERVER_ADMIN_TOKEN") != std::string::npos);
  CHECK(refused.error().message.find("32 characters") != std::string::npos);
  CHECK(refused.error().message.find(short_token) == std::string::npos);
  CHECK_FALSE(parse({}, {{"AGENT_SERVER_ADMIN_TOKEN", "x"}}).ok());
  auto exact = parse({}, {{"AGENT_SERVER_ADMIN_TOKEN", short_token + "b"}});
  REQUIRE(exact.ok());
  CHECK(exact->config.admin_token == short_token + "b");
  // Unset (or empty) still means: admin API off.
  auto off = parse({}, {{"AGENT_SERVER_ADMIN_TOKEN", ""}});
  REQUIRE(off.ok());
  CHECK(off->config.admin_token.empty());
}

TEST_CASE("retention: CHAT_RETENTION_DAYS (default 365, 0 keeps) and the sweep's period") {
  auto defaults = parse({});
  REQUIRE(defaults.ok());
  CHECK(defaults->config.retention_days == 365);
  CHECK(defaults->config.retention_check_seconds == 3600);
  auto keep = parse({}, {{"CHAT_RETENTION_DAYS", "0"}, {"CHAT_RETENTION_CHECK_SECONDS", "5"}});
  REQUIRE(keep.ok());
  CHECK(keep->config.retention_days == 0);
  CHECK(keep->config.retention_check_seconds == 5);
  for (const char* bad : {"-1", "abc", "36501", "1.5"}) {
    INFO(bad);
    auto r = parse({}, {{"CHAT_RETENTION_DAYS", bad}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("CHAT_RETENTION_DAYS") != std::string::npos);
  }
  CHECK_FALSE(parse({}, {{"CHAT_RETENTION_CHECK_SECONDS", "0"}}).ok());
  CHECK(std::string(agent_server::usage()).find("CHAT_RETENTION_DAYS") != std::string::npos);
}
