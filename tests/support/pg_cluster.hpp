#pragma once
// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder (as the
// postgres user when we are root), listening on a Unix socket only (no TCP port to
// clash), stopped with `pg_ctl stop -m immediate` and removed at the end. One per
// test process, shared by its cases; each case takes a fresh database.

#include <memory>
#include <string>

namespace test_support {

class PgCluster {
 public:
  /// The cluster of this test process, started on first use; nullptr (and a message
  /// on stderr) when PostgreSQL's server binaries are missing or initdb fails.
  static PgCluster* shared();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  /// Creates a new empty database with a unique name; returns its URL
  /// (`postgres:///NAME?host=DIR&port=P&user=postgres`).
  std::string create_database();
  /// The URL of an existing database.
  std::string url(const std::string& database) const;
  /// Runs `psql -v ON_ERROR_STOP=1 -f FILE` on a database; returns psql's exit code.
  int psql_file(const std::string& database, const std::string& file, std::string* output = nullptr) const;
  /// Runs one SQL command with psql (`-At`: unaligned, tuples only).
  int psql(const std::string& database, const std::string& sql, std::string* output = nullptr) const;

  const std::string& socket_dir() const { return dir_; }
  int port() const { return port_; }

 private:
  PgCluster() = default;
  bool start();

  std::string bin_;
  std::string dir_;
  int port_ = 0;
  bool as_postgres_ = false;
  int next_database_ = 0;
};

/// The name of a database in a URL made by PgCluster (for psql).
std::string database_of(const std::string& url);

}  // namespace test_support
