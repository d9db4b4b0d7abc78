#include "pg_cluster.hpp"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <mutex>
#include <vector>

#include "process.hpp"

namespace test_support {
namespace {

// The newest /usr/lib/postgresql/<version>/bin holding initdb.
std::string find_bin_dir() {
  std::string best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && bin.string() > best) best = bin.string();
  }
  return best;
}

std::mutex g_mutex;

}  // namespace

std::string database_of(const std::string& url) {
  auto start = url.find(":///");
  if (start == std::string::npos) return {};
  start += 4;
  return url.substr(start, url.find('?', start) - start);
}

PgCluster* PgCluster::shared() {
  static std::unique_ptr<PgCluster> cluster;
  static bool tried = false;
  std::lock_guard lock(g_mutex);
  if (!tried) {
    tried = true;
    std::unique_ptr<PgCluster> c(new PgCluster());
    if (c->start()) {
      cluster = std::move(c);
    }
  }
  return cluster.get();
}

bool PgCluster::start() {
  bin_ = find_bin_dir();
  if (bin_.empty()) {
    std::cerr << "pg_cluster: no /usr/lib/postgresql/*/bin/initdb; PostgreSQL cases are skipped\n";
    return false;
  }
  char pattern[] = "/tmp/chat-pg-XXXXXX";
  if (!::mkdtemp(pattern)) return false;
  dir_ = pattern;
  // initdb refuses to run as root: the cluster belongs to the postgres user then.
  as_postgres_ = ::geteuid() == 0;
  if (as_postgres_) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw || ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      std::cerr << "pg_cluster: running as root without a usable postgres user\n";
      return false;
    }
  }
  port_ = free_tcp_port();

  auto run = [&](std::vector<std::string> argv) {
    if (as_postgres_) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    std::string output;
    int code = run_command(argv, &output);
    if (code != 0) std::cerr << "pg_cluster: " << argv[as_postgres_ ? 4 : 0] << " failed:\n" << output;
    return code == 0;
  };
  std::string data = dir_ + "/data";
  if (!run({bin_ + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C",
            "--no-sync"})) {
    return false;
  }
  std::string options = "-c listen_addresses='' -k " + dir_ + " -p " + std::to_string(port_) +
                        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  return run({bin_ + "/pg_ctl", "-D", data, "-o", options, "-l", dir_ + "/server.log", "-w", "-t", "60", "start"});
}

PgCluster::~PgCluster() {
  if (dir_.empty()) return;
  std::vector<std::string> argv = {bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"};
  if (as_postgres_) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  run_command(argv);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PgCluster::url(const std::string& database) const {
  return "postgres:///" + database + "?host=" + dir_ + "&port=" + std::to_string(port_) + "&user=postgres";
}

std::string PgCluster::create_database() {
  std::string name;
  {
    std::lock_guard lock(g_mutex);
    name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++next_database_);
  }
  std::string output;
  if (psql("postgres", "CREATE DATABASE " + name, &output) != 0) {
    std::cerr << "pg_cluster: CREATE DATABASE failed: " << output;
    return {};
  }
  return url(name);
}

int PgCluster::psql_file(const std::string& database, const std::string& file, std::string* output) const {
  return run_command({"/usr/bin/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir_, "-p",
                      std::to_string(port_), "-U", "postgres", "-d", database, "-f", file},
                     output);
}

int PgCluster::psql(const std::string& database, const std::string& sql, std::string* output) const {
  return run_command({"/usr/bin/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", dir_, "-p",
                      std::to_string(port_), "-U", "postgres", "-d", database, "-c", sql},
                     output);
}

}  // namespace test_support
