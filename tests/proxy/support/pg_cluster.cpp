#include "pg_cluster.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

namespace proxy_test {
namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string find_bin() {
  namespace fs = std::filesystem;
  std::string best;
  if (!fs::exists("/usr/lib/postgresql")) return best;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql")) {
    auto bin = entry.path() / "bin";
    if (fs::exists(bin / "initdb") && bin.string() > best) best = bin.string();
  }
  return best;
}

}  // namespace

std::string PgCluster::as_postgres(const std::string& command) const {
  return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
}

PgCluster* PgCluster::shared() {
  static std::unique_ptr<PgCluster> cluster = [] {
    std::unique_ptr<PgCluster> c(new PgCluster());
    c->bin_ = find_bin();
    if (c->bin_.empty()) {
      WARN("PostgreSQL server binaries not found: PostgreSQL cases skipped");
      return std::unique_ptr<PgCluster>();
    }
    char pattern[] = "/tmp/chat-proxy-pg-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    c->dir_ = pattern;
    if (::geteuid() == 0) REQUIRE(run_shell("chown postgres: '" + c->dir_ + "'") == 0);
    REQUIRE(run_shell(c->as_postgres(c->bin_ + "/initdb -D '" + c->dir_ + "/data' -U postgres -A trust " +
                                     "-E UTF8 --no-sync >/dev/null 2>&1")) == 0);
    c->port_ = free_port();
    std::vector<std::string> argv;
    if (::geteuid() == 0) argv = {"/usr/sbin/runuser", "-u", "postgres", "--"};
    for (std::string arg : {c->bin_ + "/postgres", std::string("-D"), c->dir_ + "/data",
                            std::string("-k"), c->dir_, std::string("-p"), std::to_string(c->port_),
                            std::string("-c"), std::string("listen_addresses="), std::string("-F")}) {
      argv.push_back(arg);
    }
    c->server_ = std::make_unique<Process>(argv, std::map<std::string, std::string>{},
                                           "/tmp/chat-proxy-pg-" + std::to_string(c->port_) + ".log");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (run_shell(c->bin_ + "/pg_isready -q -h '" + c->dir_ + "' -p " + std::to_string(c->port_)) != 0) {
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return c;
  }();
  return cluster.get();
}

PgCluster::~PgCluster() {
  // Immediate shutdown: a test database needs no checkpoint.
  run_shell(as_postgres(bin_ + "/pg_ctl -D '" + dir_ + "/data' stop -m immediate -w >/dev/null 2>&1"));
  if (server_) server_->stop();
  if (!dir_.empty()) run_shell("rm -rf '" + dir_ + "'");
}

std::string PgCluster::create_database(const std::string& name) {
  REQUIRE(run_shell(bin_ + "/createdb -h '" + dir_ + "' -p " + std::to_string(port_) + " -U postgres " +
                    name) == 0);
  return "postgres:///" + name + "?host=" + dir_ + "&port=" + std::to_string(port_) + "&user=postgres";
}

int PgCluster::psql(const std::string& database, const std::string& sql_or_file, bool is_file) {
  std::string source = is_file ? "-f '" + sql_or_file + "'" : "-c \"" + sql_or_file + "\"";
  return run_shell(bin_ + "/psql -q -v ON_ERROR_STOP=1 -h '" + dir_ + "' -p " + std::to_string(port_) +
                   " -U postgres -d " + database + " " + source + " >/dev/null 2>&1");
}

}  // namespace proxy_test
